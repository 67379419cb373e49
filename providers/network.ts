// Network rules as subjects: one subject per ingress rule (inline in a security group, firewall or NSG, or a
// rule resource of its own), with protocol, port ranges and sources normalized across clouds.
import { InspectionNote, Normalized, Subject, explicit, invalid, settingsOf, unknown } from "./model";
import { UNKNOWN, isUnknownValue } from "./props";

/** A port range, inclusive. [0, 65535] means every port. */
export type PortRange = [number, number];
export const ALL_PORTS: PortRange = [0, 65535];

export interface RuleInput {
    location: string;
    /** UNKNOWN (an output): the rule may or may not admit traffic; reported as not inspected, never judged. */
    direction: "ingress" | "egress" | typeof UNKNOWN;
    allow: boolean | typeof UNKNOWN;
    enabled?: boolean | typeof UNKNOWN;
    /** Lower-case protocol names or numbers; "all" for every protocol. */
    protocol: unknown;
    ports: PortRange[] | typeof UNKNOWN | "invalid";
    /** CIDRs or provider tags ("Internet", "*", "VirtualNetwork"); UNKNOWN for outputs. */
    sources: (string | typeof UNKNOWN)[];
    /** Where each field came from, for messages. */
    where: { ports: string; sources: string; protocol: string };
    /** Deny rules the cloud evaluates before this one (Azure NSG priority); set when the provider can see them all. */
    priorDenies?: DenyRule[];
    /** Why this rule's verdict needs the other rules of the stack (GCP firewalls, separate Azure security rules). */
    judgedWithSiblings?: string;
    /**
     * Which rule of a resource holding several this is (the index of an NSG's inline rule), for the stack-level join.
     * A number, so that messages never mistake it for a value to withhold.
     */
    siblingKey?: number;
}

/**
 * A deny rule evaluated before an allow rule: traffic it matches is dropped, whatever the allow says. `maybe`: it is
 * not known whether it comes first (a priority that is an output).
 */
export interface DenyRule {
    protocol: string | typeof UNKNOWN;
    ports: PortRange[] | typeof UNKNOWN | "invalid";
    sources: (string | typeof UNKNOWN)[];
    where: string;
    maybe?: boolean;
}

export function denyOf(r: RuleInput, where: string, maybe = false): DenyRule {
    const proto = normalizeProtocol(r.protocol);
    return { protocol: proto === undefined ? "all" : proto, ports: r.ports, sources: r.sources, where, maybe };
}

/**
 * Rules to subjects. A rule whose direction, access or enabled flag is an output cannot be judged (it may be an
 * egress or deny rule): it becomes one inspection note instead of a verdict either way.
 */
export function ruleSubjects(rules: RuleInput[], platform: Subject["platform"]): Normalized {
    const subjects: Subject[] = [];
    const notes: InspectionNote[] = [];
    for (const r of rules) {
        const open = [
            r.direction === UNKNOWN && "direction",
            r.allow === UNKNOWN && "access",
            r.enabled === UNKNOWN && "enabled",
        ].filter(Boolean);
        if (open.length > 0) {
            notes.push({
                where: r.location || "rule",
                reason: `its ${open.join(" and ")} ${open.length > 1 ? "are" : "is"} not known until the update runs, so whether it opens control-plane ports is judged then`,
            });
        } else subjects.push(ruleSubject(r, platform));
    }
    return { subjects, notes };
}

/** "6443", "2379-2380", "*" → ranges; undefined when malformed. */
export function parsePortSpec(spec: unknown): PortRange | "all" | undefined {
    if (typeof spec === "number" && Number.isInteger(spec)) return [spec, spec];
    if (typeof spec !== "string") return undefined;
    const s = spec.trim();
    if (s === "*" || s.toLowerCase() === "any") return "all";
    const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(s);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    return a <= b && b <= 65535 ? [a, b] : undefined;
}

/** A list of port specs ("6443", "2379-2380", "*"): every port when empty, "invalid" when any is malformed. */
export function portRanges(specs: unknown[]): PortRange[] | "invalid" {
    if (specs.length === 0) return [ALL_PORTS];
    const parsed = specs.map(parsePortSpec);
    return parsed.some((p) => p === undefined)
        ? "invalid"
        : parsed.map((p) => (p === "all" ? ALL_PORTS : (p as PortRange)));
}

export function normalizeProtocol(p: unknown): string | typeof UNKNOWN | undefined {
    if (p === UNKNOWN || isUnknownValue(p)) return UNKNOWN;
    if (p === undefined || p === null) return undefined;
    const s = String(p).trim().toLowerCase();
    if (s === "-1" || s === "all" || s === "*" || s === "any") return "all";
    if (s === "6") return "tcp";
    if (s === "17") return "udp";
    if (s === "1" || s === "58" || s === "icmpv6") return "icmp";
    return s;
}

export function sourceList(values: unknown[]): (string | typeof UNKNOWN)[] {
    const out: (string | typeof UNKNOWN)[] = [];
    for (const v of values) {
        if (v === undefined || v === null) continue;
        if (isUnknownValue(v)) out.push(UNKNOWN);
        else if (Array.isArray(v)) out.push(...sourceList(v));
        else if (typeof v === "string" && v.trim() !== "") out.push(v.trim());
    }
    return out;
}

export function ruleSubject(r: RuleInput, platform: Subject["platform"]): Subject {
    if (r.direction === UNKNOWN || r.allow === UNKNOWN || r.enabled === UNKNOWN)
        throw new Error("ruleSubject needs a known direction, access and enabled flag");
    const settings = settingsOf({
        "network.direction": explicit(r.direction, "direction"),
        "network.allow": explicit(r.allow, "access"),
        "network.enabled": explicit(r.enabled !== false, "enabled"),
    });
    const proto = normalizeProtocol(r.protocol);
    settings["network.protocol"] =
        proto === UNKNOWN ? unknown(r.where.protocol) : explicit(proto ?? "all", r.where.protocol);
    settings["network.ports"] =
        r.ports === UNKNOWN
            ? unknown(r.where.ports)
            : r.ports === "invalid"
              ? invalid(r.where.ports)
              : {
                    ...explicit(r.ports, r.where.ports),
                    shown: r.ports
                        .map(([a, b]) => (a === 0 && b === 65535 ? "all ports" : a === b ? String(a) : `${a}-${b}`))
                        .join(", "),
                };
    settings["network.sources"] = explicit(r.sources, r.where.sources);
    if (r.priorDenies) settings["network.priorDenies"] = explicit(r.priorDenies, "higher-priority deny rules");
    if (r.judgedWithSiblings)
        settings["network.judgedWithSiblings"] = explicit(r.siblingKey ?? true, r.judgedWithSiblings);
    return { component: "network", platform, location: r.location, settings };
}
