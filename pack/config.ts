// Policy configuration: the JSON schemas the pack declares, and parsing what the engine hands back.
// Pack-wide settings live on the `pack-wide-settings` policy (read from the Configure request whatever that policy's
// enforcement level); every policy also takes its own. The CLI validates each policy's configuration against its
// schema (gojsonschema, draft 4), so the schemas stay plain draft-4 JSON schema.
import type { Rule, RuleContext } from "../policies";
import { globMatch } from "./glob";

/** The policy that carries pack-wide settings, and the one that reports what could not be inspected. */
export const PACK_WIDE_POLICY = "pack-wide-settings";
export const INSPECTION_POLICY = "resource-inputs-inspectable";

export interface Exemption {
    /** Glob on the resource's logical name. */
    resource?: string;
    /** Glob on the resource's URN. */
    urn?: string;
    /** Glob on the resource's type token. */
    type?: string;
    /** Why the resource is exempt; shown whenever the exemption suppresses a finding. */
    reason: string;
    /** Exactly this URN (in-code exemptions: the resource's own tag). */
    exactUrn?: string;
    /** How the exemption is named in messages when it is not a glob from configuration. */
    by?: string;
}

/** Whether a resource's own tags, labels and annotations may exempt it (pack-wide `inCodeExemptions`). */
export type InCodeMode = "enabled" | "require-expiry" | "disabled";
export const IN_CODE_MODES: readonly InCodeMode[] = ["enabled", "require-expiry", "disabled"];

export interface EffectiveConfig extends RuleContext {
    exemptions: Exemption[];
}

export const DEFAULT_MINIMUM_PREFIX = { ipv4: 16, ipv6: 48 };
/**
 * API server, alternative API ports, insecure port, kubelet (+ read-only), kube-proxy, controller-manager, scheduler,
 * etcd client/peer and metrics (2381, kubeadm's --listen-metrics-urls), the RKE2 supervisor (9345) and Talos apid
 * and trustd (50000, 50001).
 */
export const DEFAULT_PORTS = [
    "6443",
    "8443",
    "8080",
    "10250",
    "10255",
    "10256",
    "10257",
    "10259",
    "2379-2380",
    "2381",
    "9345",
    "50000",
    "50001",
];

function parsePorts(list: string[]): [number, number][] {
    const out: [number, number][] = [];
    for (const p of list) {
        const m = /^\s*(\d{1,5})(?:\s*-\s*(\d{1,5}))?\s*$/.exec(p);
        if (m) out.push([Number(m[1]), Number(m[2] ?? m[1])]);
    }
    return out;
}

const exemptionSchema = {
    type: "array",
    description:
        "Resources this policy does not judge. Each entry matches by glob on resource name, URN or type token, " +
        "and needs a reason.",
    items: {
        type: "object",
        properties: {
            resource: {
                type: "string",
                minLength: 1,
                description: 'Glob on the resource\'s logical name, e.g. "legacy-*".',
            },
            urn: {
                type: "string",
                minLength: 1,
                description: 'Glob on the resource\'s URN, e.g. "urn:pulumi:prod::*".',
            },
            type: { type: "string", minLength: 1, description: 'Glob on the type token, e.g. "aws:eks/*".' },
            reason: {
                type: "string",
                minLength: 3,
                description: "Why the exemption is acceptable; shown in the output.",
            },
        },
        required: ["reason"],
        additionalProperties: false,
        anyOf: [{ required: ["resource"] }, { required: ["urn"] }, { required: ["type"] }],
    },
};

const cidrSchema = {
    allowedCidrs: {
        type: "array",
        description:
            "Networks always acceptable as authorized networks of a public endpoint (your VPN or office egress).",
        items: { type: "string", minLength: 2 },
    },
    minimumPrefixLength: {
        type: "object",
        description:
            "Authorized networks broader than these prefix lengths count as exposure (private ranges never do).",
        properties: {
            ipv4: { type: "integer", minimum: 0, maximum: 32, default: DEFAULT_MINIMUM_PREFIX.ipv4 },
            ipv6: { type: "integer", minimum: 0, maximum: 128, default: DEFAULT_MINIMUM_PREFIX.ipv6 },
        },
        additionalProperties: false,
    },
};

export interface ConfigSchema {
    properties: Record<string, object>;
    required?: string[];
}

const portSchema = {
    ports: {
        type: "array",
        description:
            `Ports (or "from-to" ranges) that count as control-plane ports. Default: ${DEFAULT_PORTS.join(", ")}; ` +
            "443 is added for security groups attached to a cluster in the stack.",
        items: { type: ["string", "integer"] },
    },
};

const inCodeSchema = {
    inCodeExemptions: {
        type: "string",
        enum: IN_CODE_MODES,
        default: "enabled",
        description:
            "Whether a resource's own `kube-api-guard/exempt` tag, label or annotation may exempt it: enabled, " +
            "require-expiry (only with `until YYYY-MM-DD`) or disabled (the tag is ignored and the finding says so).",
    },
};

/** The schema of the pack-wide settings: what every policy takes, and whether in-code exemptions apply. */
export function packWideSchema(): ConfigSchema {
    return { properties: { ...schemaFor(undefined).properties, ...inCodeSchema } };
}

export function schemaFor(rule: Rule | undefined): ConfigSchema {
    const properties: Record<string, object> = { exemptions: exemptionSchema };
    if (!rule || rule.knobs === "cidrs" || rule.knobs === "ports") Object.assign(properties, cidrSchema);
    if (rule?.knobs === "ports") Object.assign(properties, portSchema);
    return { properties };
}

function isObj(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseExemptions(v: unknown): Exemption[] {
    if (!Array.isArray(v)) return [];
    const out: Exemption[] = [];
    for (const e of v) {
        if (!isObj(e) || typeof e.reason !== "string" || e.reason.trim() === "") continue;
        const ex: Exemption = { reason: e.reason.trim() };
        for (const k of ["resource", "urn", "type"] as const)
            if (typeof e[k] === "string" && e[k] !== "") ex[k] = e[k] as string;
        if (ex.resource || ex.urn || ex.type) out.push(ex);
    }
    return out;
}

function strings(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
}

/** Merges pack-wide and per-policy configuration (both as the engine returns them). */
export function effectiveConfig(packWide: unknown, own: unknown): EffectiveConfig {
    const p = isObj(packWide) ? packWide : {};
    const o = isObj(own) ? own : {};
    const prefix = { ...DEFAULT_MINIMUM_PREFIX };
    for (const src of [p.minimumPrefixLength, o.minimumPrefixLength]) {
        if (!isObj(src)) continue;
        if (Number.isInteger(src.ipv4)) prefix.ipv4 = src.ipv4 as number;
        if (Number.isInteger(src.ipv6)) prefix.ipv6 = src.ipv6 as number;
    }
    const ports = Array.isArray(o.ports) ? o.ports.map((x) => String(x)) : DEFAULT_PORTS;
    return {
        exemptions: [...parseExemptions(p.exemptions), ...parseExemptions(o.exemptions)],
        allowedCidrs: [...strings(p.allowedCidrs), ...strings(o.allowedCidrs)],
        minimumPrefixLength: prefix,
        ports: parsePorts(ports),
    };
}

export interface ResourceRef {
    type: string;
    name: string;
    urn: string;
}

export function inCodeMode(packWide: unknown): InCodeMode {
    const v = isObj(packWide) ? packWide.inCodeExemptions : undefined;
    return IN_CODE_MODES.includes(v as InCodeMode) ? (v as InCodeMode) : "enabled";
}

export function findExemption(exemptions: Exemption[], r: ResourceRef): Exemption | undefined {
    return exemptions.find(
        (e) =>
            (e.exactUrn === undefined || e.exactUrn === r.urn) &&
            (e.resource === undefined || globMatch(e.resource, r.name)) &&
            (e.urn === undefined || globMatch(e.urn, r.urn)) &&
            (e.type === undefined || globMatch(e.type, r.type)),
    );
}

/** The settings each policy of the pack takes, by policy name (what its configSchema declares). */
export function settingsByPolicy(rules: readonly Rule[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    out.set(PACK_WIDE_POLICY, Object.keys(packWideSchema().properties));
    for (const r of rules) out.set(r.id, Object.keys(schemaFor(r).properties));
    out.set(INSPECTION_POLICY, Object.keys(schemaFor(undefined).properties));
    return out;
}
