// Network rules judged in the order the cloud evaluates them, where the rules are resources of their own: GCP
// firewalls of one network (priority; at equal priority deny wins) and the rules of one Azure NSG, inline and separate
// SecurityRule resources together (priority; first match wins). Each allow is judged minus the deny rules evaluated before it. AWS security groups
// have no deny rules and no order. Grouping is by key (network, NSG), so the work is linear in the stack apart from
// the deny rules of one group, which are capped.
import {
    AZURE_CLASSIC_NSG,
    AZURE_CLASSIC_SECURITY_RULE,
    AZURE_NATIVE_NSG,
    AZURE_NATIVE_SECURITY_RULE,
    azureNsgRuleInputs,
    azurePriority,
    azureRuleInput,
    mayDeny,
    withPriorDenies,
} from "./azure";
import { GCE_FIREWALL, gceFirewallInputs, gcpPriority, gcpSources } from "./gcp";
import { explicit } from "./model";
import { DenyRule, RuleInput, denyOf } from "./network";
import { UNKNOWN, isRecord, isUnknownValue } from "./props";
import type { StackResource, StackSubject } from "./stack";
import { normalize } from ".";

/** Deny rules compared with one allow, at most (the lowest priority numbers first). */
export const MAX_DENIES_PER_GROUP = 500;

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
}

function obj(v: unknown): Record<string, unknown> {
    return isRecord(v) ? v : {};
}

function text(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" && !isUnknownValue(v) ? v : undefined;
}

function stringList(v: unknown): string[] | typeof UNKNOWN {
    if (isUnknownValue(v) || (Array.isArray(v) && v.some(isUnknownValue))) return UNKNOWN;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Sort key: a priority not known yet sorts first (it may come before anything). */
const rank = (p: unknown): number => (typeof p === "number" ? p : -1);

const isAzureRule = (t: string) => AZURE_NATIVE_SECURITY_RULE.test(t) || t === AZURE_CLASSIC_SECURITY_RULE;
const isAzureNsg = (t: string) => AZURE_NATIVE_NSG.test(t) || t === AZURE_CLASSIC_NSG;

/**
 * Deny rules the cloud evaluates before an allow, by the allow's URN (a rule resource), or by its URN and its place
 * inside the resource (`priorKey`: an NSG's inline rule).
 */
type Prior = Map<string, DenyRule[]>;

const priorKey = (urn: string, at?: number): string => (at === undefined ? urn : `${urn}\u0000${at}`);

/** A deny of an NSG whose inline rules are an output: any of them may come first. */
function unknownInline(nsg: StackResource): DenyRule {
    return {
        protocol: UNKNOWN,
        ports: UNKNOWN,
        sources: [UNKNOWN],
        where: `NSG "${nsg.name}" securityRules (not known yet)`,
        maybe: true,
    };
}

/**
 * Azure NSGs: the inline rules (securityRules) and the separate SecurityRule resources of one NSG are one rule list,
 * evaluated in priority order, first match wins, deny included. Every inbound allow, inline or separate, is judged
 * minus the deny rules of either kind with a lower priority number. A separate rule belongs to the NSG its
 * networkSecurityGroupName depends on (the URN), else to the NSG of that name in its resource group.
 */
function azurePrior(resources: StackResource[], out: Prior): void {
    const nsgName = (p: Record<string, unknown>, name: string) =>
        `${text(p.resourceGroupName) ?? "?"}/${text(p.networkSecurityGroupName) ?? text(p.name) ?? name}`.toLowerCase();
    const byUrn = new Map<string, StackResource>();
    const byName = new Map<string, StackResource>();
    for (const r of resources)
        if (isAzureNsg(r.type)) {
            byUrn.set(r.urn, r);
            byName.set(nsgName(obj(r.props), r.name), r);
        }
    const groups = new Map<string, StackResource[]>();
    for (const nsg of byUrn.values()) groups.set(nsg.urn, []);
    for (const r of resources) {
        if (!isAzureRule(r.type)) continue;
        const p = obj(r.props);
        const dep = (r.propertyDependencies.networkSecurityGroupName ?? []).find((u) => byUrn.has(u));
        const named = text(p.networkSecurityGroupName)
            ? `${text(p.resourceGroupName) ?? "?"}/${text(p.networkSecurityGroupName)}`.toLowerCase()
            : undefined;
        const nsg = dep ? byUrn.get(dep) : named ? byName.get(named) : undefined;
        pushTo(groups, nsg ? nsg.urn : (named ?? `rule:${r.urn}`), r);
    }
    type Ranked = { input: RuleInput; priority: number | typeof UNKNOWN | undefined; urn?: string };
    for (const [key, rules] of groups) {
        const nsg = byUrn.get(key);
        const props = nsg ? obj(nsg.props) : {};
        const inline: Ranked[] = nsg ? azureNsgRuleInputs(props) : [];
        const separate: Ranked[] = rules.map((r) => ({
            input: { ...azureRuleInput(obj(r.props), ""), location: `security rule "${r.name}"` },
            priority: azurePriority(obj(r.props)),
            urn: r.urn,
        }));
        const named = (x: Ranked): Ranked =>
            x.urn || !nsg ? x : { ...x, input: { ...x.input, location: `NSG "${nsg.name}" ${x.input.location}` } };
        const denies = [...inline, ...separate]
            .filter((x) => mayDeny(x.input))
            .sort((a, b) => rank(a.priority) - rank(b.priority))
            .slice(0, MAX_DENIES_PER_GROUP)
            .map(named);
        const opaque = nsg && isUnknownValue(props.securityRules ?? props.securityRule) ? [unknownInline(nsg)] : [];
        const judge = (x: Ranked): DenyRule[] => [
            ...opaque,
            ...(withPriorDenies([{ input: x.input, priority: x.priority }, ...denies])[0].priorDenies ?? []),
        ];
        for (const s of separate) out.set(priorKey(s.urn!), judge(s));
        if (nsg)
            inline.forEach((x, i) => {
                if (x.input.direction === "ingress" && x.input.allow === true) out.set(priorKey(nsg.urn, i), judge(x));
            });
    }
}

interface Targets {
    tags: string[];
    accounts: string[];
    unknown: boolean;
}

function targetsOf(p: Record<string, unknown>): Targets {
    const tags = stringList(p.targetTags);
    const accounts = stringList(p.targetServiceAccounts);
    return {
        tags: tags === UNKNOWN ? [] : tags,
        accounts: accounts === UNKNOWN ? [] : accounts,
        unknown: tags === UNKNOWN || accounts === UNKNOWN,
    };
}

/** Does the deny firewall apply to every instance the allow firewall applies to? UNKNOWN when targets are outputs. */
function targetsCovered(d: Targets, a: Targets): boolean | typeof UNKNOWN {
    if (d.unknown || a.unknown) return UNKNOWN;
    if (d.tags.length === 0 && d.accounts.length === 0) return true;
    if (d.tags.length > 0 && a.tags.length > 0) return a.tags.every((t) => d.tags.includes(t));
    if (d.accounts.length > 0 && a.accounts.length > 0) return a.accounts.every((t) => d.accounts.includes(t));
    return false;
}

function gcpPrior(resources: StackResource[], out: Prior): void {
    const networkKey = (r: StackResource) => {
        const dep = (r.propertyDependencies.network ?? [])[0];
        if (dep) return dep;
        const n = text(obj(r.props).network);
        return n ? `name:${n.split("/").pop()}` : `fw:${r.urn}`;
    };
    const byNetwork = new Map<string, StackResource[]>();
    for (const r of resources) if (r.type === GCE_FIREWALL) pushTo(byNetwork, networkKey(r), r);
    for (const firewalls of byNetwork.values()) {
        // Each deny firewall's rules are built once, in a definite and a "maybe first" form, and shared by every allow.
        const denying = firewalls
            .filter((f) => Array.isArray(obj(f.props).denies) || isUnknownValue(obj(f.props).denies))
            .map((f) => {
                const p = obj(f.props);
                const priority = gcpPriority(p);
                const sources = gcpSources(p);
                // A disabled firewall is not enforced (disabled: true); one whose direction or disabled flag is an
                // output may or may not deny first.
                const rules = gceFirewallInputs(p)
                    .filter((i) => i.direction !== "egress" && i.allow === false && i.enabled !== false)
                    .map((input) => {
                        const at = `firewall "${f.name}" ${input.location} (priority ${typeof priority === "number" ? priority : "not known yet"})`;
                        const unsure = input.enabled !== true || input.direction !== "ingress";
                        return {
                            sure: denyOf({ ...input, sources }, at, unsure),
                            maybe: denyOf({ ...input, sources }, at, true),
                        };
                    });
                return { f, priority, targets: targetsOf(p), rules };
            })
            .sort((a, b) => rank(a.priority) - rank(b.priority))
            .slice(0, MAX_DENIES_PER_GROUP);
        if (denying.length === 0) {
            for (const f of firewalls) out.set(f.urn, []);
            continue;
        }
        for (const f of firewalls) {
            const p = obj(f.props);
            if (!Array.isArray(p.allows) && !isUnknownValue(p.allows)) continue;
            const own = gcpPriority(p);
            const ownTargets = targetsOf(p);
            const prior: DenyRule[] = [];
            for (const d of denying) {
                // Sorted by priority: past our own (a deny wins ties), no later deny comes first.
                if (typeof own === "number" && typeof d.priority === "number" && d.priority > own) break;
                if (d.f === f) continue;
                const targets = targetsCovered(d.targets, ownTargets);
                if (targets === false) continue;
                const maybe = own === UNKNOWN || d.priority === UNKNOWN || targets === UNKNOWN;
                for (const r of d.rules) prior.push(maybe ? r.maybe : r.sure);
            }
            out.set(f.urn, prior);
        }
    }
}

/**
 * Subjects for the rules whose verdict needs their siblings, with the deny rules evaluated before them; and the
 * same for such rules that other links (moved ports, EKS cluster groups) judged again with extra ports.
 */
export function orderNetworkRules(resources: StackResource[], linked: StackSubject[]): StackSubject[] {
    const prior: Prior = new Map();
    azurePrior(resources, prior);
    gcpPrior(resources, prior);
    if (prior.size === 0) return linked;
    const judged = new Set<string>();
    for (const k of prior.keys()) judged.add(k.split("\u0000")[0]);
    const fill = (s: StackSubject): StackSubject => {
        const j = s.subject.settings["network.judgedWithSiblings"];
        const d = j ? prior.get(priorKey(s.urn, typeof j.value === "number" ? j.value : undefined)) : undefined;
        if (d && !s.subject.settings["network.priorDenies"])
            s.subject.settings["network.priorDenies"] = explicit(d, "higher-priority deny rules");
        return s;
    };
    const out = linked.map(fill);
    for (const r of resources) {
        if (!judged.has(r.urn)) continue;
        for (const subject of normalize(r.type, r.props).subjects) {
            if (subject.component !== "network" || !subject.settings["network.judgedWithSiblings"]) continue;
            out.push(
                fill({
                    urn: r.urn,
                    name: r.name,
                    type: r.type,
                    subject: { ...subject, settings: { ...subject.settings } },
                }),
            );
        }
    }
    return out;
}
