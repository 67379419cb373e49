// RBAC at stack level: every binding of the stack joined with the role it grants, when that role is in the stack
// (a Role or ClusterRole resource, an item of a *List kind, a child of a ConfigGroup or Helm chart: all arrive as
// resources), and with the ClusterRoles of the stack that aggregate into it (aggregationRule selectors, and the
// aggregate-to-{admin,edit,view} labels of the built-in roles). Joins follow the engine's property dependencies
// first (roleRef), then plain dependencies, then names. Linear in the stack: roles are indexed by key and URN.
import { BINDING, BINDING_LIST, ROLE, ROLE_LIST, binding, bindingKindOf, listItems } from "./kubernetes";
import { Setting, explicit, settingsOf } from "./model";
import { isRecord, isUnknownValue } from "./props";
import {
    BUILTIN_CLUSTER_ROLES,
    GrantRule,
    aggregationSelectors,
    builtinsAggregating,
    labelsOf,
    roleRules,
    selects,
} from "./rbac";
import type { StackResource, StackSubject } from "./stack";

interface Role {
    kind: "Role" | "ClusterRole";
    name: string;
    namespace: string;
    labels: Record<string, string>;
    /** Own rules, then (after aggregation) the rules of the roles it aggregates. */
    rules: GrantRule[];
    unknown: boolean;
    aggregation?: { selectors: Record<string, string>[]; unknown: boolean };
    /** The role's own rules, before aggregation. */
    own?: GrantRule[];
    label: string;
    urn: string;
}

/** Rules one role (or the candidates of a role reference that is an output) is judged on, at most. */
export const MAX_AGGREGATED_RULES = 5000;

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
}

function obj(v: unknown): Record<string, unknown> {
    return isRecord(v) ? v : {};
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && !isUnknownValue(v) ? v : undefined;
}

function roleOf(
    props: Record<string, unknown>,
    kind: "Role" | "ClusterRole",
    fallbackName: string,
    urn: string,
    at: string,
): Role {
    const meta = obj(props.metadata);
    const name = str(meta.name) ?? fallbackName;
    const label = `${kind} "${name}"${at}`;
    const { rules, unknown } = roleRules(props, label);
    return {
        kind,
        name,
        namespace: str(meta.namespace) ?? "default",
        labels: labelsOf(props),
        rules,
        unknown,
        aggregation: kind === "ClusterRole" ? aggregationSelectors(props) : undefined,
        label,
        urn,
    };
}

function keyOf(kind: string, name: string, namespace: string): string {
    return kind === "Role" ? `Role/${namespace}/${name}` : `ClusterRole/${name}`;
}

/** Roles of the stack, by key and by URN (a *List resource holds many). */
function indexRoles(resources: StackResource[]): { byKey: Map<string, Role>; byUrn: Map<string, Role[]>; all: Role[] } {
    const byKey = new Map<string, Role>();
    const byUrn = new Map<string, Role[]>();
    const all: Role[] = [];
    const add = (r: Role) => {
        all.push(r);
        byKey.set(keyOf(r.kind, r.name, r.namespace), r);
        const l = byUrn.get(r.urn) ?? [];
        l.push(r);
        byUrn.set(r.urn, l);
    };
    for (const r of resources) {
        const single = ROLE.test(r.type);
        if (!single && !ROLE_LIST.test(r.type)) continue;
        const kind = /:ClusterRole(Patch|List)?$/.test(r.type) ? "ClusterRole" : "Role";
        if (single) add(roleOf(obj(r.props), kind, r.name, r.urn, " (in this stack)"));
        else
            for (const it of listItems(obj(r.props)).items)
                add(roleOf(it.props, kind, "", r.urn, ` (${it.location} of ${r.type.split(":").pop()} "${r.name}")`));
    }
    // Aggregation: a ClusterRole with an aggregationRule holds the rules of every ClusterRole whose labels match.
    // Resolved for three levels (admin ← edit ← view is the deepest chain Kubernetes builds in). Candidates come from
    // an index by label, and a role holds at most MAX_AGGREGATED_RULES rules (beyond that it is judged incomplete).
    const byLabel = new Map<string, Role[]>();
    for (const r of all) {
        if (r.kind !== "ClusterRole") continue;
        for (const [k, v] of Object.entries(r.labels)) pushTo(byLabel, `${k}=${v}`, r);
    }
    const aggregating = all.filter((r) => r.aggregation);
    for (const r of aggregating) r.own = r.rules;
    const isAggregating = new Set(aggregating);
    for (let depth = 0; depth < 3; depth++) {
        // Another pass changes something only when an aggregating role selects another aggregating role.
        let nested = false;
        for (const r of aggregating) {
            const matched = new Set<Role>();
            for (const sel of r.aggregation!.selectors) {
                const [k, v] = Object.entries(sel)[0];
                for (const c of byLabel.get(`${k}=${v}`) ?? [])
                    if (c !== r && selects(sel, c.labels)) {
                        matched.add(c);
                        if (isAggregating.has(c)) nested = true;
                    }
            }
            const rules = [...r.own!];
            let capped = false;
            for (const c of matched) {
                for (const x of c.rules) {
                    if (rules.length >= MAX_AGGREGATED_RULES) {
                        capped = true;
                        break;
                    }
                    rules.push({ ...x, where: `${r.label} aggregates ${x.where}` });
                }
            }
            r.rules = rules;
            r.unknown = r.unknown || r.aggregation!.unknown || capped || [...matched].some((c) => c.unknown);
        }
        if (!nested) break;
    }
    return { byKey, byUrn, all };
}

const wildcardCache = new WeakMap<GrantRule[], string | null>();

/** Where a rule list grants "*" in verbs or resources (cached per list: bindings of one role share it). */
function wildcardWhere(rules: GrantRule[]): string | undefined {
    const hit = wildcardCache.get(rules);
    if (hit !== undefined) return hit ?? undefined;
    const w = findWildcard(rules);
    wildcardCache.set(rules, w ?? null);
    return w;
}

function findWildcard(rules: GrantRule[]): string | undefined {
    for (const r of rules) {
        for (const field of ["verbs", "resources"] as const)
            if (r[field].includes("*")) return `${r.where}.${field} contains "*"`;
    }
    return undefined;
}

interface BindingRef {
    urn: string;
    name: string;
    type: string;
    props: Record<string, unknown>;
    location: string;
    deps: { roleRef: string[]; all: string[] };
}

function bindingsOf(resources: StackResource[]): BindingRef[] {
    const out: BindingRef[] = [];
    for (const r of resources) {
        const single = BINDING.test(r.type);
        if (!single && !BINDING_LIST.test(r.type)) continue;
        const deps = {
            roleRef: [...(r.propertyDependencies.roleRef ?? []), ...(r.propertyDependencies["roleRef.name"] ?? [])],
            all: [...r.dependencies, ...Object.values(r.propertyDependencies).flat()],
        };
        if (single) out.push({ urn: r.urn, name: r.name, type: r.type, props: obj(r.props), location: "", deps });
        else
            for (const it of listItems(obj(r.props)).items)
                out.push({
                    urn: r.urn,
                    name: r.name,
                    type: r.type,
                    props: it.props,
                    location: it.location,
                    deps: { roleRef: [], all: deps.all },
                });
    }
    return out;
}

/** The roles a binding's dependencies point at, of the referenced kind (and name, when it is known). */
function byDependency(
    urns: string[],
    byUrn: Map<string, Role[]>,
    kind: string | undefined,
    name: string | undefined,
): Role[] {
    const out: Role[] = [];
    for (const u of new Set(urns)) {
        for (const r of byUrn.get(u) ?? []) {
            if ((kind === undefined || r.kind === kind) && (name === undefined || r.name === name)) out.push(r);
        }
    }
    return out;
}

export function rbacLinks(resources: StackResource[]): StackSubject[] {
    const roles = indexRoles(resources);
    // Built-in ClusterRoles (admin, edit, view) take the rules of stack ClusterRoles carrying their aggregate-to labels.
    const intoBuiltin = new Map<string, Role[]>();
    for (const r of roles.all) {
        if (r.kind !== "ClusterRole") continue;
        for (const b of builtinsAggregating(r.labels)) pushTo(intoBuiltin, b, r);
    }
    if (roles.all.length === 0) return [];
    // Candidates of a role reference that is an output, computed once per kind (every binding shares them).
    const kinds = new Map<string, Role[]>();
    const allOfKind = (kind: string | undefined) => {
        const key = kind ?? "*";
        if (!kinds.has(key))
            kinds.set(
                key,
                roles.all.filter((r) => kind === undefined || r.kind === kind),
            );
        return kinds.get(key)!;
    };
    const builtinCache = new Map<string, { rules: GrantRule[]; incomplete: boolean }>();
    const builtinRules = (name: string) => {
        if (!builtinCache.has(name)) {
            const added = intoBuiltin.get(name) ?? [];
            const all = added.flatMap((r) => r.rules);
            builtinCache.set(name, {
                rules: all
                    .slice(0, MAX_AGGREGATED_RULES)
                    .map((x) => ({ ...x, where: `ClusterRole "${name}" (built-in) aggregates ${x.where}` })),
                incomplete: added.some((r) => r.unknown) || all.length > MAX_AGGREGATED_RULES,
            });
        }
        return builtinCache.get(name)!;
    };
    const possibleCache = new Map<Role[], GrantRule[]>();
    const possibleRules = (candidates: Role[]) => {
        if (!possibleCache.has(candidates)) {
            const out: GrantRule[] = [];
            for (const c of candidates) {
                for (const x of c.rules) {
                    if (out.length >= MAX_AGGREGATED_RULES) break;
                    out.push(x);
                }
            }
            possibleCache.set(candidates, out);
        }
        return possibleCache.get(candidates)!;
    };
    const out: StackSubject[] = [];
    for (const b of bindingsOf(resources)) {
        const base = binding(b.props, bindingKindOf(b.type), b.location);
        const refSetting = base.settings["rbac.roleRef"];
        const rawRef = obj(b.props.roleRef);
        const kind = str(rawRef.kind) as "Role" | "ClusterRole" | undefined;
        const name = str(rawRef.name);
        const ns = String(base.settings["rbac.namespace"].value ?? "default");
        let joined: Role[] = [];
        let how = "";
        let candidates: Role[] | undefined;
        const viaProp = byDependency(b.deps.roleRef, roles.byUrn, kind, name);
        if (viaProp.length > 0) {
            joined = viaProp.slice(0, 1);
            how = "roleRef property dependency";
        } else if (refSetting.state !== "unknown" && kind && name !== undefined) {
            const r = roles.byKey.get(keyOf(kind, name, ns));
            if (r) {
                joined = [r];
                how = "name";
            }
        } else {
            // The reference is an output: a dependency on one role of the kind decides it; otherwise every role of
            // that kind in the stack is a candidate, and the verdict waits for the update.
            const viaDep = byDependency(b.deps.all, roles.byUrn, kind, undefined);
            if (viaDep.length === 1) {
                joined = viaDep;
                how = "dependency";
            } else candidates = viaDep.length > 1 ? viaDep : allOfKind(kind);
        }
        const { "rbac.grants": _grants, ...rest } = base.settings;
        void _grants;
        const settings = settingsOf(rest);
        let location: string;
        let rules: GrantRule[];
        let where: string;
        let incomplete: boolean;
        if (joined.length === 1) {
            const r = joined[0];
            rules = r.rules;
            incomplete = r.unknown;
            location = `joined with ${r.kind} "${r.name}" (by ${how}; ${r.label.slice(r.label.indexOf("(") + 1, -1)})`;
            where = `${r.kind} "${r.name}"`;
        } else if (candidates) {
            if (candidates.length === 0) continue;
            const possible = possibleRules(candidates);
            const w = wildcardWhere(possible);
            settings["rbac.grants"] = {
                state: "unknown",
                value: possible,
                where: `${base.location ? `${base.location}.` : ""}roleRef (an output: one of ${candidates.length} ${kind ?? "role"}s of this stack)`,
            };
            settings["rbac.roleWildcard"] = w
                ? { state: "unknown", where: settings["rbac.grants"].where }
                : explicit(false, "roleRef");
            out.push({
                urn: b.urn,
                name: b.name,
                type: b.type,
                subject: { component: "rbac", platform: "kubernetes", location: base.location, settings },
            });
            continue;
        } else if (
            kind === "ClusterRole" &&
            name &&
            BUILTIN_CLUSTER_ROLES[name]?.aggregates &&
            (intoBuiltin.get(name) ?? []).length > 0
        ) {
            ({ rules, incomplete } = builtinRules(name));
            location = `joined with the ClusterRoles of this stack that aggregate into the built-in ClusterRole "${name}"`;
            where = `ClusterRole "${name}"`;
        } else continue;
        const w = wildcardWhere(rules);
        settings["rbac.grants"] = explicit(rules, `${where} rules`);
        settings["rbac.roleWildcard"] = w ? explicit(true, w) : explicit(false, `${where} rules`);
        if (incomplete) settings["rbac.grantsIncomplete"] = { state: "unknown", where: `${where} rules` } as Setting;
        out.push({
            urn: b.urn,
            name: b.name,
            type: b.type,
            subject: {
                component: "rbac",
                platform: "kubernetes",
                location: base.location ? `${base.location}, ${location}` : location,
                settings,
            },
        });
    }
    return out;
}
