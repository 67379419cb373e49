// From a resource to findings for one rule: normalize (cached), judge each subject, apply exemptions.
import { judge, Rule, RuleContext } from "../policies";
import type { Normalized } from "../providers";
import { StackResource, StackSubject, linkStack } from "../providers/stack";
import { normalizeCached } from "./cache";
import { EffectiveConfig, Exemption, ResourceRef, findExemption } from "./config";
import { exemptionMessage, resourceLabel, unknownMessage, violationMessage } from "./messages";

export interface Finding {
    /** "policy": at the policy's configured enforcement level; "advisory": always advisory (unknowns, exemptions, notes). */
    level: "policy" | "advisory";
    message: string;
}

/** Configuration is parsed only when a rule needs it (CIDR knobs) or a finding may be exempted. */
export type ConfigSource = EffectiveConfig | (() => EffectiveConfig);

function lazy(c: ConfigSource): () => EffectiveConfig {
    if (typeof c !== "function") return () => c;
    let v: EffectiveConfig | undefined;
    return () => (v ??= c());
}

const NO_KNOBS: RuleContext = { allowedCidrs: [], minimumPrefixLength: { ipv4: 0, ipv6: 0 }, ports: [] };

/** Exemptions that apply only to the resource of this URN (its in-code tags), looked up only for a finding. */
export type OwnExemptions = (urn: string) => Exemption[];

export function judgeNormalized(
    rule: Rule,
    r: ResourceRef,
    n: Normalized,
    config: ConfigSource,
    own?: OwnExemptions,
): Finding[] {
    // judge() finds nothing in a subject of another component: skip the configuration too (most rules, most subjects).
    if (!n.subjects.some((s) => s.component === rule.component)) return [];
    const cfg = lazy(config);
    const ctx = rule.knobs ? cfg() : NO_KNOBS;
    const findings: Finding[] = [];
    for (const subject of n.subjects) {
        const o = judge(rule, subject, ctx);
        if (o.verdict === "fail") findings.push({ level: "policy", message: violationMessage(rule, r, subject, o) });
        else if (o.verdict === "unknown")
            findings.push({ level: "advisory", message: unknownMessage(rule, r, subject, o) });
    }
    if (findings.length === 0) return findings;
    const exemption = findExemption(cfg().exemptions, r) ?? (own ? findExemption(own(r.urn), r) : undefined);
    if (!exemption) return findings;
    return findings.map((f) => ({ level: "advisory", message: exemptionMessage(rule, r, exemption, f.message) }));
}

export function judgeResource(rule: Rule, r: ResourceRef, props: unknown, cfg: ConfigSource): Finding[] {
    return judgeNormalized(rule, r, normalizeCached(r.urn, r.type, props), cfg);
}

/** The inspection notes of a resource: what could not be read, and why. One advisory finding per resource. */
export function inspectionFindings(r: ResourceRef, props: unknown, config: ConfigSource): Finding[] {
    const n = normalizeCached(r.urn, r.type, props);
    if (n.notes.length === 0) return [];
    const cfg = lazy(config)();
    const text = n.notes.map((x) => `${x.where}: ${x.reason}`).join("; ");
    const message = `${resourceLabel(r)}: some settings could not be inspected, so policies could not judge them: ${text}.`;
    const exemption = findExemption(cfg.exemptions, r);
    return [{ level: "advisory", message: exemption ? `${message} (exempted; reason: ${exemption.reason})` : message }];
}

export interface StackFinding extends Finding {
    urn: string;
}

let lastStack: { resources: StackResource[]; subjects: StackSubject[] } | undefined;

/**
 * Stack links are computed once per AnalyzeStack call, however many stack rules look at them: the entry point
 * shares one deserialized value per resource, so the same stack is recognised by the identity of every input.
 */
function sameStack(previous: StackResource[], resources: StackResource[]): boolean {
    if (previous === resources) return true;
    if (previous.length !== resources.length) return false;
    for (let i = 0; i < resources.length; i++) {
        const p = resources[i].props;
        if (p !== previous[i].props || typeof p !== "object" || p === null) return false;
    }
    return true;
}

function stackSubjects(resources: StackResource[]): StackSubject[] {
    if (lastStack && sameStack(lastStack.resources, resources)) return lastStack.subjects;
    const subjects = linkStack(resources);
    lastStack = { resources, subjects };
    return subjects;
}

/** Findings of one stack rule; a finding identical to one already made on the same resource is made once. */
export function judgeStack(
    rule: Rule,
    resources: StackResource[],
    config: ConfigSource,
    own?: OwnExemptions,
): StackFinding[] {
    const cfg = lazy(config);
    const out: StackFinding[] = [];
    const seen = new Set<string>();
    for (const s of stackSubjects(resources)) {
        if (rule.component !== s.subject.component) continue;
        const r = { type: s.type, name: s.name, urn: s.urn };
        if (s.alone) {
            // Already judged per resource: report the joined subject only where it changes the verdict.
            const ctx = rule.knobs ? cfg() : NO_KNOBS;
            if (judge(rule, s.alone, ctx).verdict === judge(rule, s.subject, ctx).verdict) continue;
        }
        for (const f of judgeNormalized(rule, r, { subjects: [s.subject], notes: [] }, cfg, own)) {
            const key = `${s.urn}\u0000${f.level}\u0000${f.message}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push({ ...f, urn: s.urn });
        }
    }
    return out;
}
