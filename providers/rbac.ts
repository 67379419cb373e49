// RBAC as Kubernetes evaluates it: binding subjects and role references (with preview unknowns), the rules of a
// Role or ClusterRole normalized to plain lists, the ClusterRoles every cluster has (bootstrap policy), and
// aggregation. The rules say which capabilities a role grants; policies/rbac.ts decides which ones are dangerous.
import { Setting, explicit, unknown } from "./model";
import { isRecord, isUnknownValue } from "./props";

export interface RbacSubject {
    kind: string;
    name: string;
    namespace?: string;
    /** The subject (or its kind or name) is a preview unknown. */
    unknown?: true;
}

/** One rule of a role, as lists of strings; `where` names the role and the rule for messages. */
export interface GrantRule {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
    resourceNames: string[];
    nonResourceURLs: string[];
    where: string;
}

/** Caps: a binding or role is judged on its first entries; beyond them the rest is reported as not inspected. */
export const RBAC_LIMITS = { subjects: 1000, rules: 1000, listItems: 1000, values: 200 };

function str(v: unknown): string | undefined {
    return typeof v === "string" && !isUnknownValue(v) ? v : undefined;
}

/** Binding subjects. Unknown: the whole list is an output. Elements that are outputs are kept as unknown subjects. */
export function subjectsSetting(props: Record<string, unknown>, where = "subjects"): Setting {
    const raw = props.subjects;
    if (isUnknownValue(raw)) return unknown(where);
    const list = Array.isArray(raw) ? raw.slice(0, RBAC_LIMITS.subjects) : [];
    const out: RbacSubject[] = [];
    for (const s of list) {
        if (isUnknownValue(s)) {
            out.push({ kind: "", name: "", unknown: true });
            continue;
        }
        if (!isRecord(s)) continue;
        const x: RbacSubject = { kind: str(s.kind) ?? "", name: str(s.name) ?? "", namespace: str(s.namespace) };
        if (isUnknownValue(s.kind) || isUnknownValue(s.name) || isUnknownValue(s.namespace)) x.unknown = true;
        out.push(x);
    }
    const shown = out.map((x) => (x.unknown ? "(unknown)" : `${x.kind} ${x.name}`.slice(0, 120))).join(", ");
    return { ...explicit(out, where), shown: `[${shown}]` };
}

/** The role a binding grants. Unknown when the reference, its kind or its name is an output. */
export function roleRefSetting(props: Record<string, unknown>, where = "roleRef"): Setting {
    const ref = props.roleRef;
    if (isUnknownValue(ref) || (isRecord(ref) && (isUnknownValue(ref.name) || isUnknownValue(ref.kind))))
        return unknown(where);
    const r = isRecord(ref) ? ref : {};
    return explicit({ kind: str(r.kind) ?? "", name: str(r.name) ?? "" }, where);
}

function strings(v: unknown): { list: string[]; unknown: boolean } {
    if (isUnknownValue(v)) return { list: [], unknown: true };
    if (!Array.isArray(v)) return { list: [], unknown: false };
    let unk = false;
    const list: string[] = [];
    for (const x of v.slice(0, RBAC_LIMITS.values)) {
        if (isUnknownValue(x)) unk = true;
        else if (typeof x === "string") list.push(x);
    }
    return { list, unknown: unk };
}

/** The rules of a Role or ClusterRole. `unknown`: some rule, or a list inside one, is an output. */
export function roleRules(props: Record<string, unknown>, label: string): { rules: GrantRule[]; unknown: boolean } {
    const raw = props.rules;
    if (isUnknownValue(raw)) return { rules: [], unknown: true };
    const list = Array.isArray(raw) ? raw.slice(0, RBAC_LIMITS.rules) : [];
    let unk = false;
    const rules: GrantRule[] = [];
    list.forEach((r, i) => {
        if (isUnknownValue(r)) {
            unk = true;
            return;
        }
        if (!isRecord(r)) return;
        const f = ["apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs"].map((k) => strings(r[k]));
        if (f.some((x) => x.unknown)) unk = true;
        rules.push({
            apiGroups: f[0].list,
            resources: f[1].list,
            verbs: f[2].list,
            resourceNames: f[3].list,
            nonResourceURLs: f[4].list,
            where: `${label} rules[${i}]`,
        });
    });
    return { rules, unknown: unk };
}

/** Label selectors of a ClusterRole's aggregationRule (matchLabels only; matchExpressions are reported unknown). */
export function aggregationSelectors(
    props: Record<string, unknown>,
): { selectors: Record<string, string>[]; unknown: boolean } | undefined {
    const ag = props.aggregationRule;
    if (ag === undefined || ag === null) return undefined;
    if (!isRecord(ag)) return { selectors: [], unknown: true };
    const raw = ag.clusterRoleSelectors;
    if (isUnknownValue(raw)) return { selectors: [], unknown: true };
    let unk = false;
    const selectors: Record<string, string>[] = [];
    for (const s of Array.isArray(raw) ? raw.slice(0, RBAC_LIMITS.values) : []) {
        if (!isRecord(s)) {
            unk = unk || isUnknownValue(s);
            continue;
        }
        if (Array.isArray(s.matchExpressions) && s.matchExpressions.length > 0) unk = true;
        const ml = isRecord(s.matchLabels) ? s.matchLabels : {};
        const sel: Record<string, string> = {};
        for (const [k, v] of Object.entries(ml)) {
            if (typeof v === "string" && !isUnknownValue(v)) sel[k] = v;
            else unk = true;
        }
        if (Object.keys(sel).length > 0) selectors.push(sel);
    }
    return { selectors, unknown: unk };
}

export function labelsOf(props: Record<string, unknown>): Record<string, string> {
    const meta = isRecord(props.metadata) ? props.metadata : {};
    const labels = isRecord(meta.labels) ? meta.labels : {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) if (typeof v === "string") out[k] = v;
    return out;
}

export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

// ClusterRoles every cluster has, from the Kubernetes RBAC bootstrap policy
// (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go): admin, edit and view aggregate the
// system:aggregate-to-* roles through the labels rbac.authorization.k8s.io/aggregate-to-{admin,edit,view}.
const READ = ["get", "list", "watch"];
const WRITE = ["create", "update", "patch", "delete", "deletecollection"];

function rule(where: string, verbs: string[], apiGroups: string[], resources: string[]): GrantRule {
    return { apiGroups, resources, verbs, resourceNames: [], nonResourceURLs: [], where };
}

const AGGREGATE_TO_EDIT = (where: string): GrantRule[] => [
    rule(
        where,
        READ,
        [""],
        ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"],
    ),
    rule(where, ["impersonate"], [""], ["serviceaccounts"]),
    rule(where, WRITE, [""], ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
    rule(
        where,
        WRITE,
        [""],
        [
            "replicationcontrollers",
            "serviceaccounts",
            "services",
            "services/proxy",
            "endpoints",
            "persistentvolumeclaims",
            "configmaps",
            "secrets",
        ],
    ),
    rule(where, WRITE, ["apps"], ["statefulsets", "daemonsets", "deployments", "replicasets"]),
    rule(where, WRITE, ["batch"], ["jobs", "cronjobs"]),
];

const AGGREGATE_TO_VIEW = (where: string): GrantRule[] => [
    rule(
        where,
        READ,
        [""],
        [
            "pods",
            "replicationcontrollers",
            "serviceaccounts",
            "services",
            "endpoints",
            "persistentvolumeclaims",
            "configmaps",
            "pods/log",
            "events",
            "namespaces",
        ],
    ),
    rule(where, READ, ["apps"], ["statefulsets", "daemonsets", "deployments", "replicasets"]),
    rule(where, READ, ["batch"], ["jobs", "cronjobs"]),
];

/** Built-in ClusterRoles by name, with the label they aggregate into (for roles a stack adds to them). */
export const BUILTIN_CLUSTER_ROLES: Record<string, { rules: (where: string) => GrantRule[]; aggregates?: string }> = {
    "cluster-admin": { rules: (w) => [rule(w, ["*"], ["*"], ["*"])] },
    admin: {
        rules: (w) => [
            ...AGGREGATE_TO_EDIT(w),
            ...AGGREGATE_TO_VIEW(w),
            rule(w, [...READ, ...WRITE], ["rbac.authorization.k8s.io"], ["roles", "rolebindings"]),
        ],
        aggregates: "rbac.authorization.k8s.io/aggregate-to-admin",
    },
    edit: {
        rules: (w) => [...AGGREGATE_TO_EDIT(w), ...AGGREGATE_TO_VIEW(w)],
        aggregates: "rbac.authorization.k8s.io/aggregate-to-edit",
    },
    view: { rules: AGGREGATE_TO_VIEW, aggregates: "rbac.authorization.k8s.io/aggregate-to-view" },
    "system:kubelet-api-admin": {
        rules: (w) => [
            rule(w, READ, [""], ["nodes"]),
            rule(w, ["proxy"], [""], ["nodes"]),
            rule(w, ["*"], [""], ["nodes/proxy", "nodes/metrics", "nodes/spec", "nodes/stats", "nodes/log"]),
        ],
    },
};

/** Which built-in roles also take the rules of a ClusterRole with these labels (admin ⊇ edit ⊇ view). */
export function builtinsAggregating(labels: Record<string, string>): string[] {
    const out = new Set<string>();
    if (labels["rbac.authorization.k8s.io/aggregate-to-view"] === "true")
        ["view", "edit", "admin"].forEach((n) => out.add(n));
    if (labels["rbac.authorization.k8s.io/aggregate-to-edit"] === "true") ["edit", "admin"].forEach((n) => out.add(n));
    if (labels["rbac.authorization.k8s.io/aggregate-to-admin"] === "true") out.add("admin");
    return [...out];
}

/**
 * Members of system:masters that a program declares: EKS aws-auth (kube-system ConfigMap `mapRoles`/`mapUsers`,
 * YAML lists of {rolearn|userarn, username, groups}). Members of system:masters bypass RBAC and every authorization
 * webhook and cannot be removed by deleting a binding (kubernetes.io/docs/concepts/security/rbac-good-practices/
 * #least-privilege). Undefined when the ConfigMap is not aws-auth.
 */
export function awsAuthMasters(props: Record<string, unknown>, parse: (text: string) => unknown): Setting | undefined {
    const meta = isRecord(props.metadata) ? props.metadata : {};
    if (meta.name !== "aws-auth" || meta.namespace !== "kube-system") return undefined;
    if (isUnknownValue(props.data)) return unknown("data");
    const data = isRecord(props.data) ? props.data : {};
    const members: { who: string; where: string }[] = [];
    let unk = false;
    for (const key of ["mapRoles", "mapUsers"]) {
        const text = data[key];
        if (isUnknownValue(text)) {
            unk = true;
            continue;
        }
        if (typeof text !== "string" || text.length > 1_000_000) continue;
        let list: unknown;
        try {
            list = parse(text);
        } catch {
            continue;
        }
        if (!Array.isArray(list)) continue;
        list.slice(0, RBAC_LIMITS.subjects).forEach((e, i) => {
            if (!isRecord(e)) return;
            const groups = Array.isArray(e.groups) ? e.groups.slice(0, RBAC_LIMITS.values) : [];
            if (!groups.includes("system:masters")) return;
            const arn =
                typeof e.rolearn === "string"
                    ? e.rolearn
                    : typeof e.userarn === "string"
                      ? e.userarn
                      : typeof e.username === "string"
                        ? e.username
                        : "?";
            members.push({ who: arn.slice(0, 200), where: `data.${key}[${i}]` });
        });
    }
    if (members.length === 0 && unk) return unknown("data.mapRoles / data.mapUsers");
    const shown = members.map((m) => `${m.where} ${m.who}`).join(", ");
    return { ...explicit(members, "data.mapRoles / data.mapUsers (groups: system:masters)"), shown: `[${shown}]` };
}
