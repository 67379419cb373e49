// RBAC escalation paths: capabilities that turn a broad group or an ordinary workload identity into a cluster admin
// in one step, judged on what a binding grants (its role's rules, joined at stack level, or a built-in ClusterRole).
// Sources: Kubernetes "Role Based Access Control Good Practices" (kubernetes.io/docs/concepts/security/
// rbac-good-practices/#privilege-escalation-risks) and "Privilege escalation prevention and bootstrapping"
// (kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping);
// CIS Kubernetes Benchmark section 5.1 as kube-bench ships it (cfg/cis-2.0/policies.yaml), and the managed benchmarks'
// section 4.1 (cfg/eks-2.0.0, cfg/gke-1.9.0, cfg/aks-1.8.0 policies.yaml; titles in policies/cis.ts).
import type { Setting, Subject } from "../providers/model";
import type { CheckRule, CisRef, Outcome, Severity } from "./rule";

interface RbacSubject {
    kind: string;
    name: string;
    namespace?: string;
    unknown?: true;
}
interface GrantRule {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
    resourceNames: string[];
    where: string;
}

/**
 * Who a subject stands for, when it is a broad population rather than one identity: anyone (anonymous,
 * unauthenticated), every authenticated identity, every service account (of the cluster or of a namespace), or the
 * default service account of a namespace (every pod that names no service account runs as it).
 */
export function broadness(x: RbacSubject, bindingNamespace: string): string | undefined {
    if (x.unknown) return undefined;
    switch (x.name) {
        case "system:anonymous":
            return "anonymous requests (system:anonymous)";
        case "system:unauthenticated":
            return "every unauthenticated request (system:unauthenticated)";
        case "system:authenticated":
            return "every authenticated identity (system:authenticated)";
        case "system:serviceaccounts":
            return "every service account in the cluster (system:serviceaccounts)";
    }
    const nsGroup = /^system:serviceaccounts:([^:]+)$/.exec(x.name);
    if (nsGroup && x.kind !== "ServiceAccount") return `every service account in namespace ${nsGroup[1]} (${x.name})`;
    const ns = x.namespace || bindingNamespace || "default";
    if (x.kind === "ServiceAccount" && x.name === "default")
        return `the default service account of namespace ${ns} (every pod there that names no service account)`;
    const user = /^system:serviceaccount:([^:]+):default$/.exec(x.name);
    if (user && x.kind === "User")
        return `the default service account of namespace ${user[1]} (every pod there that names no service account)`;
    return undefined;
}

export function subjectList(s: Subject): { list: RbacSubject[]; setting: Setting | undefined; unknown: boolean } {
    const setting = s.settings["rbac.subjects"];
    if (!setting || setting.state === "unknown") return { list: [], setting, unknown: setting?.state === "unknown" };
    const list = Array.isArray(setting.value) ? (setting.value as RbacSubject[]) : [];
    return { list, setting, unknown: list.some((x) => x.unknown) };
}

export function broadSubjects(s: Subject): string[] {
    const ns = String(s.settings["rbac.namespace"]?.value ?? "");
    return [
        ...new Set(
            subjectList(s)
                .list.map((x) => broadness(x, ns))
                .filter((x): x is string => x !== undefined),
        ),
    ];
}

/** One capability: these verbs on these resources of these API groups (and, optionally, only these object names). */
interface Capability {
    verbs: string[];
    groups: string[];
    /** "pods/exec"; "*" for any resource. */
    resources: string[];
    /** Object names that make the grant dangerous; a rule without resourceNames applies to every name. */
    names?: string[];
    what: string;
}

// Kubernetes RBAC matching (pkg/apis/rbac/v1/evaluation_helpers.go: VerbMatches, APIGroupMatches, ResourceMatches):
// "*" matches every verb, group or resource, and "*/exec" the exec subresource of every resource.
function namesMatch(r: GrantRule, c: Capability): boolean {
    if (!c.names || r.resourceNames.length === 0) return true;
    return r.resourceNames.some((n) => c.names!.includes(n));
}

/**
 * The first rule granting the capability through named verbs and resources. A grant only through "*" in verbs or
 * resources is the wildcard policy's finding (rbac-wildcard-role-not-bound-to-broad-groups), not repeated here;
 * "*" in apiGroups still counts.
 */
function grants(rules: GrantRule[], c: Capability): GrantRule | undefined {
    return rules.find(
        (r) =>
            c.verbs.some((v) => r.verbs.includes(v)) &&
            (r.apiGroups.includes("*") || c.groups.some((g) => r.apiGroups.includes(g))) &&
            c.resources.some(
                (w) => r.resources.includes(w) || (w.includes("/") && r.resources.includes(`*/${w.split("/")[1]}`)),
            ) &&
            namesMatch(r, c),
    );
}

interface Path {
    id: string;
    title: string;
    severity: Severity;
    cis: string;
    /** Controls of later benchmark releases, and of the managed benchmarks, that cover the path too. */
    moreCis?: CisRef[];
    why: string;
    remediation: string;
    anchor: string;
    tags: string[];
    /** Every group of capabilities must be granted (one capability of each). */
    needs: Capability[][];
}

const CORE = [""];
const PATHS: Path[] = [
    {
        id: "rbac-escalate-bind-impersonate-not-granted-to-broad-subjects",
        title: "No broad group or default service account may escalate or bind roles, or impersonate other identities",
        severity: "critical",
        cis: "5.1.8",
        moreCis: [
            { benchmark: "cis-eks-2.0", id: "4.1.8" },
            { benchmark: "cis-gke-1.9", id: "4.1.7" },
            { benchmark: "cis-aks-1.8", id: "4.1.7" },
        ],
        why: "escalate and bind let the holder grant itself any role, and impersonate lets it act as any user, group or service account, cluster-admin included",
        remediation:
            "Remove the escalate, bind and impersonate verbs from the role, or bind it only to a dedicated identity that needs them.",
        anchor: "#escalate-verb",
        tags: ["escalation"],
        needs: [
            [
                {
                    verbs: ["escalate", "bind"],
                    groups: ["rbac.authorization.k8s.io"],
                    resources: ["roles", "clusterroles"],
                    what: "escalate or bind roles",
                },
                {
                    verbs: ["impersonate"],
                    groups: ["", "authentication.k8s.io"],
                    resources: ["users", "groups", "serviceaccounts", "uids", "userextras"],
                    what: "impersonate other identities",
                },
            ],
        ],
    },
    {
        id: "rbac-node-proxy-not-granted-to-broad-subjects",
        title: "No broad group or default service account may use the nodes/proxy subresource",
        severity: "critical",
        cis: "5.1.10",
        moreCis: [
            { benchmark: "cis-kubernetes-2.1", id: "5.1.14" },
            { benchmark: "cis-eks-2.0", id: "4.1.10" },
            { benchmark: "cis-aks-1.8", id: "4.1.9" },
        ],
        why: "nodes/proxy reaches the kubelet API directly, which runs commands in every pod on the node and bypasses audit logging and admission control",
        remediation:
            "Remove nodes/proxy from the role; grant monitoring tools nodes/metrics or nodes/stats, and from Kubernetes 1.36 nodes/healthz, nodes/pods or nodes/configz, instead.",
        anchor: "#access-to-proxy-subresource-of-nodes",
        tags: ["escalation", "kubelet"],
        needs: [
            [
                {
                    verbs: ["get", "create", "update", "patch", "delete"],
                    groups: CORE,
                    resources: ["nodes/proxy"],
                    what: "reach the kubelet API through nodes/proxy",
                },
            ],
        ],
    },
    {
        id: "rbac-serviceaccount-token-creation-not-granted-to-broad-subjects",
        title: "No broad group or default service account may create service account tokens",
        severity: "high",
        cis: "5.1.13",
        moreCis: [
            { benchmark: "cis-eks-2.0", id: "4.1.12" },
            { benchmark: "cis-aks-1.8", id: "4.1.12" },
        ],
        why: "create on serviceaccounts/token mints a token for any service account in scope, including privileged controllers",
        remediation:
            "Remove create on serviceaccounts/token from the role; workloads get their own token through a projected volume.",
        anchor: "#token-request",
        tags: ["escalation", "serviceaccount"],
        needs: [
            [
                {
                    verbs: ["create"],
                    groups: CORE,
                    resources: ["serviceaccounts/token"],
                    what: "create tokens for service accounts",
                },
            ],
        ],
    },
    {
        id: "rbac-csr-approval-not-granted-to-broad-subjects",
        title: "No broad group or default service account may approve certificate signing requests for API client signers",
        severity: "critical",
        cis: "5.1.11",
        moreCis: [{ benchmark: "cis-aks-1.8", id: "4.1.10" }],
        why: "approving CSRs for the kube-apiserver-client signers issues client certificates for any user or group, system:masters included",
        remediation:
            "Remove update on certificatesigningrequests/approval and approve on signers from the role, or limit resourceNames to your own signer.",
        anchor: "#csrs-and-certificate-issuing",
        tags: ["escalation", "certificates"],
        needs: [
            [
                {
                    verbs: ["update", "patch"],
                    groups: ["certificates.k8s.io"],
                    resources: ["certificatesigningrequests/approval"],
                    what: "approve certificate signing requests",
                },
            ],
            [
                {
                    verbs: ["approve"],
                    groups: ["certificates.k8s.io"],
                    resources: ["signers"],
                    names: [
                        "kubernetes.io/kube-apiserver-client",
                        "kubernetes.io/kube-apiserver-client-kubelet",
                        "kubernetes.io/*",
                    ],
                    what: "for the API client signers",
                },
            ],
        ],
    },
    {
        id: "rbac-admission-webhook-write-not-granted-to-broad-subjects",
        title: "No broad group or default service account may change validating or mutating webhook configurations",
        severity: "critical",
        cis: "5.1.12",
        moreCis: [
            { benchmark: "cis-eks-2.0", id: "4.1.11" },
            { benchmark: "cis-aks-1.8", id: "4.1.11" },
        ],
        why: "a webhook configuration decides which service sees, changes or waves through every object admitted to the cluster, secrets included",
        remediation:
            "Remove create, update, patch, delete and deletecollection on validatingwebhookconfigurations and mutatingwebhookconfigurations from the role.",
        anchor: "#control-admission-webhooks",
        tags: ["escalation", "admission"],
        needs: [
            [
                {
                    // deletecollection removes every webhook configuration at once.
                    verbs: ["create", "update", "patch", "delete", "deletecollection"],
                    groups: ["admissionregistration.k8s.io"],
                    resources: ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"],
                    what: "write admission webhook configurations",
                },
            ],
        ],
    },
    {
        // `get` is included: exec and attach over WebSockets arrive as GET requests and are authorized with the get
        // verb (kubernetes-client/python#2084: "The permission for pods/exec has to include the verb create for
        // kubectl, and get for the Python code"); later Kubernetes releases also require create for them.
        id: "rbac-pod-exec-attach-not-granted-to-broad-subjects",
        title: "No broad group or default service account may exec into or attach to pods",
        severity: "high",
        cis: "",
        why: "exec and attach run commands inside running pods with their service accounts, mounted secrets and host access",
        remediation:
            "Remove pods/exec and pods/attach from the role, or bind it only to the operators who need a shell.",
        anchor: "#workload-creation",
        tags: ["escalation", "pods"],
        needs: [
            [
                {
                    verbs: ["create", "get"],
                    groups: CORE,
                    resources: ["pods/exec", "pods/attach"],
                    what: "exec into or attach to pods",
                },
            ],
        ],
    },
    {
        id: "rbac-secrets-read-not-granted-to-broad-subjects",
        title: "No broad group or default service account may read secrets",
        severity: "high",
        cis: "5.1.2",
        moreCis: [
            { benchmark: "cis-eks-2.0", id: "4.1.2" },
            { benchmark: "cis-gke-1.9", id: "4.1.2" },
            { benchmark: "cis-aks-1.8", id: "4.1.2" },
        ],
        why: "list and watch return every secret's content, and secrets hold service account tokens and credentials that grant more access",
        remediation:
            "Remove get, list and watch on secrets from the role; give each workload access to its own secrets by resourceNames.",
        anchor: "#listing-secrets",
        tags: ["secrets"],
        needs: [[{ verbs: ["get", "list", "watch"], groups: CORE, resources: ["secrets"], what: "read secrets" }]],
    },
];

const NO_RULES: GrantRule[] = [];
function grantRules(s: Setting): GrantRule[] {
    return Array.isArray(s.value) ? (s.value as GrantRule[]) : NO_RULES;
}

type Grant = { rule: GrantRule; what: string }[] | undefined;
/** Per rule list (bindings of one role share it) and path: the judgment is made once per AnalyzeStack. */
const grantCache = new WeakMap<GrantRule[], Map<string, Grant>>();

function pathGrant(rules: GrantRule[], p: Path): Grant {
    let m = grantCache.get(rules);
    if (!m) {
        m = new Map();
        grantCache.set(rules, m);
    }
    if (!m.has(p.id)) m.set(p.id, findPathGrant(rules, p));
    return m.get(p.id);
}

/** The rules that together grant the path, one per group of capabilities; undefined when some group is missing. */
function findPathGrant(rules: GrantRule[], p: Path): Grant {
    const out: { rule: GrantRule; what: string }[] = [];
    for (const group of p.needs) {
        let hit: { rule: GrantRule; what: string } | undefined;
        for (const c of group) {
            const r = grants(rules, c);
            if (r) {
                hit = { rule: r, what: c.what };
                break;
            }
        }
        if (!hit) return undefined;
        out.push(hit);
    }
    return out;
}

function judgePath(p: Path, s: Subject): Outcome {
    const g = s.settings["rbac.grants"];
    const subjects = subjectList(s);
    const broad = broadSubjects(s);
    const matched = pathGrant(grantRules(g), p);
    if (g.state === "unknown") {
        // The role is not known yet: its candidates (roles of the stack it may name) are in the value, when any.
        if (Array.isArray(g.value) && !matched) return { verdict: "pass" };
        return broad.length > 0 || subjects.unknown
            ? { verdict: "unknown", setting: g, detail: "is not known yet, so whether it grants this cannot be told" }
            : { verdict: "pass" };
    }
    if (!matched) {
        const incomplete = s.settings["rbac.grantsIncomplete"];
        if (incomplete && (broad.length > 0 || subjects.unknown))
            return { verdict: "unknown", setting: incomplete, detail: "holds rules not known yet" };
        return { verdict: "pass" };
    }
    const how = matched.map((m) => `${m.what} (${m.rule.where})`).join(" ");
    if (broad.length === 0) {
        if (subjects.setting && (subjects.setting.state === "unknown" || subjects.unknown)) {
            return {
                verdict: "unknown",
                setting: subjects.setting,
                detail: `are not all known yet; the role lets its holders ${how}`,
            };
        }
        return { verdict: "pass" };
    }
    return { verdict: "fail", setting: subjects.setting!, detail: `: ${broad.join(", ")} can ${how}` };
}

export const RBAC_PATH_RULES: CheckRule[] = PATHS.map((p) => ({
    kind: "check",
    id: p.id,
    title: p.title,
    component: "rbac",
    settings: ["rbac.grants"],
    severity: p.severity,
    enforcement: "mandatory",
    cis: [...(p.cis ? [{ benchmark: "cis-kubernetes-1.12" as const, id: p.cis }] : []), ...(p.moreCis ?? [])],
    why: p.why,
    remediation: p.remediation,
    url: `https://kubernetes.io/docs/concepts/security/rbac-good-practices/${p.anchor}`,
    tags: ["rbac", "access", "stack", ...p.tags],
    stack: true,
    check: (s) => judgePath(p, s),
}));
