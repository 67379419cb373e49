// Entry point: the only module that talks to @pulumi/policy. It registers one CrossGuard policy per rule, plus the
// pack-wide settings carrier and the inspection-notes policy. The engine internals it relies on are patched in
// engine/internals.ts, nowhere else.
import {
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
} from "@pulumi/policy";
import { BENCHMARKS, RULES, Rule, controlTitle } from "./policies";
import { isInspected, nothingToJudge } from "./pack/cache";
import {
    EffectiveConfig,
    Exemption,
    INSPECTION_POLICY,
    PACK_WIDE_POLICY,
    ResourceRef,
    effectiveConfig,
    inCodeMode,
    packWideSchema,
    schemaFor,
} from "./pack/config";
import { NO_TAG_EXEMPTIONS, TagExemptions, readTagExemptions, tagLabel, todayUtc } from "./pack/exemptions";
import { Finding, inspectionFindings, judgeResource, judgeStack } from "./pack/judge";
import { unknownConfig } from "./pack/unknown-config";
import { resourceLabel } from "./pack/messages";
import type { StackResource } from "./providers/stack";
import {
    ConfigureRequest,
    inputsTruncated,
    installEnginePatches,
    rawInputs,
    reportAdvisory,
    stackReadOnce,
} from "./engine/internals";
import { MAX_DEPTH } from "./engine/wire";

export { PACK_WIDE_POLICY, INSPECTION_POLICY };
/** Every name an in-code exemption may use. */
const POLICY_NAMES: readonly string[] = [...RULES.map((r) => r.id), INSPECTION_POLICY];

/**
 * The policy configuration of the latest Configure request, replaced whole by each request: nothing of an earlier
 * configuration survives in a long-lived pack process. Pack-wide settings are read from it directly, so they apply
 * whatever the enforcement level of `pack-wide-settings` (`{"all": "disabled"}` included) and whatever the order in
 * which policies run.
 */
let configured: ConfigureRequest = {};

export function packWideSettings(): unknown {
    return configured[PACK_WIDE_POLICY]?.properties ?? {};
}

installEnginePatches({
    // Every policy below is synchronous and reads only type, props (rawInputs), urn, name and getConfig().
    directAnalyze: true,
    onConfigure: (c) => {
        const problems = unknownConfig(
            c,
            new Map(policies.map((p) => [p.name, Object.keys(p.configSchema?.properties ?? {})])),
        );
        if (problems.length === 0) configured = c;
        return problems;
    },
    nothingToJudge: (urn, type, props) => {
        let p: unknown;
        const get = () => (p ??= props());
        return nothingToJudge(urn, type, get) && !(isInspected(type) && inputsTruncated(get()));
    },
});

/** In-code exemptions per inputs object (the engine shares one deserialized value among a request's policies). */
const tagCache = new WeakMap<object, { day: string; tags: TagExemptions }>();

/** Today (UTC) as the exemptions compare it, computed again only once the day is over: every policy asks. */
let today = { day: "", until: 0 };
function currentDay(): string {
    const now = Date.now();
    if (now >= today.until || now < today.until - 86_400_000) {
        const d = new Date(now);
        today = { day: todayUtc(d), until: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) };
    }
    return today.day;
}

function tagsOf(props: unknown): TagExemptions {
    if (typeof props !== "object" || props === null) return NO_TAG_EXEMPTIONS;
    const day = currentDay();
    const hit = tagCache.get(props);
    if (hit && hit.day === day) return hit.tags;
    const tags = readTagExemptions(props, POLICY_NAMES, day);
    tagCache.set(props, { day, tags });
    return tags;
}

interface Tagged {
    urn: string;
    tags: TagExemptions;
}

/** The in-code exemptions of these resources that apply to this policy (none when turned off by configuration). */
function tagExemptions(policy: string, tagged: Tagged[]): Exemption[] {
    const mode = inCodeMode(packWideSettings());
    if (mode === "disabled") return [];
    const out: Exemption[] = [];
    for (const { urn, tags } of tagged) {
        for (const t of tags.exemptions) {
            if (t.expired || !t.policies.includes(policy) || (mode === "require-expiry" && !t.until)) continue;
            const reason = t.until ? `${t.reason} (until ${t.until})` : t.reason;
            out.push({ exactUrn: urn, reason, by: tagLabel(t) });
        }
    }
    return out;
}

/** This policy's configuration merged over the pack-wide one, plus the in-code exemptions that apply to it. */
function configOf(policy: string, own: () => unknown, tagged: Tagged[]): EffectiveConfig {
    let ownConfig: unknown;
    try {
        ownConfig = own();
    } catch {
        ownConfig = {};
    }
    const cfg = effectiveConfig(packWideSettings(), ownConfig);
    cfg.exemptions.push(...tagExemptions(policy, tagged));
    return cfg;
}

/** Why an in-code exemption on the resource did not suppress this policy's finding, if one asked to. */
function tagNote(policy: string, tags: TagExemptions): string {
    const mode = inCodeMode(packWideSettings());
    const notes: string[] = [];
    for (const t of tags.exemptions) {
        if (!t.policies.includes(policy)) continue;
        if (mode === "disabled") {
            notes.push(
                `${tagLabel(t)} asks for an exemption, but in-code exemptions are turned off by the pack's ` +
                    `configuration (${PACK_WIDE_POLICY} inCodeExemptions: disabled)`,
            );
        } else if (t.expired) {
            notes.push(`the exemption in ${tagLabel(t)} expired on ${t.until} (its reason: ${t.reason})`);
        } else if (mode === "require-expiry" && !t.until) {
            notes.push(
                `${tagLabel(t)} has no expiry and the pack's configuration requires one ` +
                    `(${PACK_WIDE_POLICY} inCodeExemptions: require-expiry); add "until YYYY-MM-DD"`,
            );
        }
    }
    return notes.length === 0 ? "" : ` Not exempted: ${notes.join("; ")}.`;
}

function withTagNotes<F extends Finding>(findings: F[], policy: string, tags: (f: F) => TagExemptions): F[] {
    return findings.map((f) => {
        if (f.level !== "policy") return f;
        const note = tagNote(policy, tags(f));
        return note ? { ...f, message: f.message + note } : f;
    });
}

/**
 * The in-code exemptions of a stack's resources by URN, read only for the resources a stack finding names (reading
 * every resource's tags costs as much as judging a large stack), once per stack read: every stack policy gets the
 * same array. Where URNs repeat, the last resource with tags counts.
 */
const stackTags = new WeakMap<StackResource[], (urn: string) => TagExemptions>();

function taggedOf(resources: StackResource[]): (urn: string) => TagExemptions {
    let lookup = stackTags.get(resources);
    if (!lookup) {
        let byUrn: Map<string, StackResource[]> | undefined;
        const known = new Map<string, TagExemptions>();
        lookup = (urn) => {
            let tags = known.get(urn);
            if (tags) return tags;
            if (!byUrn) {
                byUrn = new Map();
                for (const r of resources) {
                    const list = byUrn.get(r.urn);
                    if (list) list.push(r);
                    else byUrn.set(r.urn, [r]);
                }
            }
            tags = NO_TAG_EXEMPTIONS;
            for (const r of byUrn.get(urn) ?? []) {
                const t = tagsOf(r.props);
                if (t !== NO_TAG_EXEMPTIONS) tags = t;
            }
            known.set(urn, tags);
            return tags;
        };
        stackTags.set(resources, lookup);
    }
    return lookup;
}

function ref(args: ResourceValidationArgs): ResourceRef {
    return { type: args.type, name: args.name, urn: args.urn };
}

function report(findings: (Finding & { urn?: string })[], reportViolation: ReportViolation): void {
    for (const f of findings) {
        if (f.level === "advisory") reportAdvisory(reportViolation, f.message, f.urn);
        else reportViolation(f.message, f.urn);
    }
}

function stackResources(args: StackValidationArgs): StackResource[] {
    const read = stackReadOnce(args.resources);
    if (read) return read;
    return args.resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: rawInputs(r.props),
        dependencies: (r.dependencies ?? []).map((d) => d.urn),
        propertyDependencies: Object.fromEntries(
            Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map((d) => d.urn)]),
        ),
    }));
}

function safely(
    name: string,
    what: string,
    reportViolation: ReportViolation,
    fn: () => (Finding & { urn?: string })[],
): void {
    let findings: (Finding & { urn?: string })[];
    try {
        findings = fn();
    } catch (e) {
        const kind = e instanceof Error ? e.name : typeof e;
        findings = [
            {
                level: "advisory",
                message: `${what}: ${name} could not judge this (${kind}); please report this with the resource type.`,
            },
        ];
    }
    report(findings, reportViolation);
}

function framework(rule: Rule) {
    const cis = rule.cis[0];
    if (!cis) return undefined;
    const b = BENCHMARKS[cis.benchmark];
    return { name: b.name, version: b.version, reference: cis.id, specification: controlTitle(cis) ?? "" };
}

export function policyFor(rule: Rule): ResourceValidationPolicy {
    const policy: ResourceValidationPolicy & {
        validateStack?: (args: StackValidationArgs, report: ReportViolation) => void;
    } = {
        name: rule.id,
        description: rule.title,
        enforcementLevel: rule.enforcement,
        severity: rule.severity,
        remediationSteps: rule.remediation,
        url: rule.url,
        tags: [...rule.tags, ...rule.cis.map((c) => `${c.benchmark}:${c.id}`)],
        framework: framework(rule),
        configSchema: schemaFor(rule),
        validateResource: (args, reportViolation) => {
            if (!isInspected(args.type)) return;
            safely(rule.id, `${args.type} "${args.name}"`, reportViolation, () => {
                const raw = rawInputs(args.props);
                const tags = tagsOf(raw);
                const cfg = () => configOf(rule.id, () => args.getConfig(), [{ urn: args.urn, tags }]);
                return withTagNotes(judgeResource(rule, ref(args), raw, cfg), rule.id, () => tags);
            });
        },
    };
    if (rule.stack) {
        // Also a stack policy: subjects that join resources of the stack (@pulumi/policy runs both kinds).
        policy.validateStack = (args, reportViolation) => {
            safely(rule.id, "stack", reportViolation, () => {
                const resources = stackResources(args);
                const tagged = taggedOf(resources);
                const own = (urn: string) => tagExemptions(rule.id, [{ urn, tags: tagged(urn) }]);
                const cfg = () => configOf(rule.id, () => args.getConfig(), []);
                return withTagNotes(judgeStack(rule, resources, cfg, own), rule.id, (f) => tagged(f.urn));
            });
        };
    }
    return policy;
}

/**
 * Carries the pack-wide settings so that the Pulumi CLI validates them against a schema and Pulumi Cloud can
 * configure them. It judges nothing: the settings are read from the Configure request (see `configured`).
 */
const packWidePolicy: ResourceValidationPolicy = {
    name: PACK_WIDE_POLICY,
    description:
        "Pack-wide settings (exemptions, allowed CIDRs, in-code exemptions) applied by every kube-api-guard policy, whatever this policy's enforcement level. Reports nothing itself.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["configuration"],
    remediationSteps: "Nothing to fix: this policy carries configuration.",
    configSchema: packWideSchema(),
    validateResource: () => undefined,
};

function inspectionNotes(args: ResourceValidationArgs, raw: unknown, tags: TagExemptions): Finding[] {
    const label = resourceLabel(ref(args));
    const out: Finding[] = [];
    if (inputsTruncated(raw)) {
        out.push({
            level: "advisory",
            message:
                `${label}: some inputs are nested more than ${MAX_DEPTH} levels deep; ` +
                "what lies deeper was not read, so settings there were not judged.",
        });
    }
    for (const p of tags.problems) {
        out.push({ level: "advisory", message: `${label}: ${tagLabel(p)} is not applied: ${p.problem}.` });
    }
    return out;
}

const inspectionPolicy: ResourceValidationPolicy = {
    name: INSPECTION_POLICY,
    description:
        "Every setting kube-api-guard looks for could be read (no undecodable or oversized user data, no malformed documents)",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["inspection"],
    remediationSteps:
        "Make the reported content readable (plain, base64, gzip, MIME or cloud-init within the documented size limits) or exempt the resource with a reason.",
    url: "https://cloudinit.readthedocs.io/en/latest/explanation/format.html",
    configSchema: schemaFor(undefined),
    validateResource: (args, reportViolation) => {
        if (!isInspected(args.type)) return;
        safely(INSPECTION_POLICY, `${args.type} "${args.name}"`, reportViolation, () => {
            const raw = rawInputs(args.props);
            const tags = tagsOf(raw);
            const cfg = () => configOf(INSPECTION_POLICY, () => args.getConfig(), [{ urn: args.urn, tags }]);
            return [...inspectionFindings(ref(args), raw, cfg), ...inspectionNotes(args, raw, tags)];
        });
    },
};

export const policies: ResourceValidationPolicy[] = [packWidePolicy, ...RULES.map(policyFor), inspectionPolicy];

new PolicyPack("kube-api-guard", {
    description:
        "Stops insecure Kubernetes API exposure before it is deployed: managed control planes, self-managed components, RBAC and network access.",
    policies,
});
