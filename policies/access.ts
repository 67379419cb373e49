// Access to the API: RBAC grants to anonymous and broad groups, cluster-admin outside system:masters, wildcard
// roles bound to broad groups (stack level), the API server exposed through a Service, and control-plane ports
// open to the internet in security groups, firewalls and NSGs.
import type { Setting, SettingKey, Subject } from "../providers/model";
import { UNKNOWN } from "../providers/props";
import { contains, exposure, parseCidr } from "./cidr";
import { RBAC_PATH_RULES, broadSubjects, subjectList } from "./rbac";
import type { CheckRule, Outcome, Rule, RuleContext } from "./rule";

interface RbacSubject {
    kind: string;
    name: string;
    namespace?: string;
    unknown?: true;
}

function subjectsOf(s: Subject): RbacSubject[] {
    return subjectList(s).list;
}

/** The role a binding grants; undefined when it is not known yet (an output). */
function roleRef(s: Subject): { kind: string; name: string } | undefined {
    const r = s.settings["rbac.roleRef"];
    if (r?.state === "unknown") return undefined;
    return (r?.value as { kind: string; name: string } | undefined) ?? { kind: "", name: "" };
}

const UNAUTHENTICATED = new Set(["system:anonymous", "system:unauthenticated"]);
/** Default bindings Kubernetes and kubeadm create for these groups, which are not findings. */
const DEFAULT_UNAUTHENTICATED = [
    { binding: "ClusterRoleBinding", role: "ClusterRole/system:public-info-viewer" },
    // kubeadm token discovery: GET of kube-public/cluster-info only.
    { binding: "RoleBinding", role: "Role/kubeadm:bootstrap-signer-clusterinfo", namespace: "kube-public" },
];
const DEFAULT_AUTHENTICATED_ROLES = new Set(["system:basic-user", "system:discovery", "system:public-info-viewer"]);

function named(list: RbacSubject[]): string {
    return list.map((x) => `${x.kind || "?"} ${x.name}`).join(", ");
}

function rbacFail(s: Subject, detail: string): Outcome {
    return { verdict: "fail", setting: s.settings["rbac.subjects"], detail };
}

/** Subjects not known yet: an advisory naming what is unknown, never a pass or a verdict. */
function subjectsUnknown(s: Subject, what: string): Outcome | undefined {
    const l = subjectList(s);
    if (!l.unknown || !l.setting) return undefined;
    return {
        verdict: "unknown",
        setting: l.setting,
        detail: `${l.setting.state === "unknown" ? "are" : "are partly"} not known yet, so whether they include ${what} cannot be told`,
    };
}

const anonymous: CheckRule = {
    kind: "check",
    id: "rbac-binding-anonymous-subjects-forbidden",
    title: "No RBAC binding grants anything to system:anonymous or system:unauthenticated beyond the Kubernetes defaults",
    component: "rbac",
    settings: ["rbac.subjects"],
    severity: "critical",
    enforcement: "mandatory",
    // GKE v1.9.0 names these bindings (cfg/gke-1.9.0/policies.yaml); the Kubernetes benchmark has no such control.
    cis: [
        { benchmark: "cis-gke-1.9", id: "4.1.8" },
        { benchmark: "cis-gke-1.9", id: "4.1.9" },
    ],
    why: "whatever the role allows becomes available to anyone who can reach the API server, without credentials",
    remediation:
        "Remove system:anonymous and system:unauthenticated from the binding's subjects; grant the permissions to an authenticated group or service account instead.",
    url: "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles",
    tags: ["rbac", "anonymous", "access"],
    check: (s) => {
        const hits = subjectsOf(s).filter((x) => UNAUTHENTICATED.has(x.name));
        if (hits.length === 0)
            return subjectsUnknown(s, "system:anonymous or system:unauthenticated") ?? { verdict: "pass" };
        const ref = roleRef(s);
        if (!ref)
            return {
                verdict: "unknown",
                setting: s.settings["rbac.roleRef"],
                detail: `is not known yet; the binding grants it to ${named(hits)}`,
            };
        const kind = String(s.settings["rbac.bindingKind"]?.value ?? "");
        const ns = String(s.settings["rbac.namespace"]?.value ?? "");
        if (
            DEFAULT_UNAUTHENTICATED.some(
                (d) =>
                    d.binding === kind &&
                    d.role === `${ref.kind}/${ref.name}` &&
                    (d.namespace === undefined || d.namespace === ns),
            )
        )
            return { verdict: "pass" };
        return rbacFail(s, `: ${named(hits)} bound to ${ref.kind} "${ref.name}"`);
    },
};

/**
 * Groups whose cluster-admin binding is a default, not a finding: system:masters (Kubernetes' own
 * cluster-admin binding) and kubeadm:cluster-admins, to which kubeadm 1.29+ binds cluster-admin for admin.conf
 * (cmd/kubeadm/app/constants ClusterAdminsGroupAndClusterRoleBinding; only super-admin.conf stays in system:masters).
 */
const CLUSTER_ADMIN_GROUPS = new Set(["system:masters", "kubeadm:cluster-admins"]);

const clusterAdmin: CheckRule = {
    kind: "check",
    id: "rbac-cluster-admin-bound-to-system-masters-only",
    title: "cluster-admin is bound only to system:masters",
    component: "rbac",
    settings: ["rbac.subjects"],
    severity: "high",
    enforcement: "advisory",
    cis: [
        { benchmark: "cis-kubernetes-1.12", id: "5.1.1" },
        { benchmark: "cis-eks-2.0", id: "4.1.1" },
        { benchmark: "cis-gke-1.9", id: "4.1.1" },
        { benchmark: "cis-aks-1.8", id: "4.1.1" },
    ],
    why: "cluster-admin is every permission on every object; each extra holder is a credential that owns the cluster",
    remediation:
        "Bind a narrower ClusterRole (or namespaced Roles) to these subjects; keep cluster-admin for one break-glass group (kubeadm's kubeadm:cluster-admins, or system:masters).",
    url: "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege",
    tags: ["rbac", "cluster-admin", "access"],
    check: (s) => {
        const ref = roleRef(s);
        // A role reference that is an output names a role the program creates, never the built-in cluster-admin.
        if (!ref || ref.kind !== "ClusterRole" || ref.name !== "cluster-admin") return { verdict: "pass" };
        const others = subjectsOf(s).filter((x) => !(x.kind === "Group" && CLUSTER_ADMIN_GROUPS.has(x.name)));
        const known = others.filter((x) => !x.unknown);
        if (known.length > 0) return rbacFail(s, `: cluster-admin bound to ${named(known)}`);
        return subjectsUnknown(s, "identities other than system:masters") ?? { verdict: "pass" };
    },
};

const authenticated: CheckRule = {
    kind: "check",
    id: "rbac-binding-system-authenticated-restricted",
    title: "No RBAC binding grants more than the defaults to system:authenticated",
    component: "rbac",
    settings: ["rbac.subjects"],
    severity: "high",
    enforcement: "mandatory",
    cis: [{ benchmark: "cis-gke-1.9", id: "4.1.10" }],
    why: "system:authenticated is every identity the cluster accepts: every service-account token, and on GKE every Google account",
    remediation:
        "Bind the role to the specific groups or service accounts that need it instead of system:authenticated.",
    url: "https://cloud.google.com/kubernetes-engine/docs/best-practices/rbac#prevent-default-group-usage",
    tags: ["rbac", "access"],
    check: (s) => {
        const hits = subjectsOf(s).filter((x) => x.name === "system:authenticated");
        if (hits.length === 0) return { verdict: "pass" };
        const ref = roleRef(s);
        if (!ref)
            return {
                verdict: "unknown",
                setting: s.settings["rbac.roleRef"],
                detail: "is not known yet; the binding grants it to system:authenticated",
            };
        if (ref.kind === "ClusterRole" && DEFAULT_AUTHENTICATED_ROLES.has(ref.name)) return { verdict: "pass" };
        return rbacFail(s, `: system:authenticated bound to ${ref.kind} "${ref.name}"`);
    },
};

const wildcard: CheckRule = {
    kind: "check",
    id: "rbac-wildcard-role-not-bound-to-broad-groups",
    title: "Roles with wildcard verbs or resources are not bound to broad groups or a namespace's default service account",
    component: "rbac",
    settings: ["rbac.roleWildcard"],
    severity: "critical",
    enforcement: "mandatory",
    cis: [
        { benchmark: "cis-kubernetes-1.12", id: "5.1.3" },
        { benchmark: "cis-eks-2.0", id: "4.1.3" },
        { benchmark: "cis-gke-1.9", id: "4.1.3" },
        { benchmark: "cis-aks-1.8", id: "4.1.3" },
    ],
    why: "a wildcard role is cluster-admin under another name; bound to a broad group it hands the cluster to everyone in it",
    remediation: "List explicit verbs and resources in the role, and bind it only to the identities that need it.",
    url: "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimize-wildcard-use",
    tags: ["rbac", "wildcard", "access", "stack"],
    stack: true,
    check: (s) => {
        const w = s.settings["rbac.roleWildcard"];
        const broad = broadSubjects(s);
        if (w.state === "unknown") {
            return broad.length > 0
                ? {
                      verdict: "unknown",
                      setting: w,
                      detail: `is not known yet, and the binding names ${broad.join(", ")}`,
                  }
                : { verdict: "pass" };
        }
        if (w.value !== true) return { verdict: "pass" };
        if (broad.length > 0) return { verdict: "fail", setting: w, detail: `, bound to ${broad.join(", ")}` };
        return subjectsUnknown(s, "broad groups") ?? { verdict: "pass" };
    },
};

const masters: CheckRule = {
    kind: "check",
    id: "rbac-system-masters-membership-avoided",
    title: "No identity is made a member of system:masters (EKS aws-auth mapRoles and mapUsers)",
    component: "rbac",
    settings: ["rbac.mastersMembers"],
    severity: "high",
    enforcement: "advisory",
    cis: [
        { benchmark: "cis-kubernetes-1.12", id: "5.1.7" },
        { benchmark: "cis-gke-1.9", id: "4.1.6" },
    ],
    why: "members of system:masters bypass RBAC and every authorization webhook, and no binding can be removed to take that away",
    remediation:
        "Map the IAM role or user to a group of your own bound to the ClusterRole it needs, or use EKS access entries with an access policy, instead of system:masters.",
    url: "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege",
    tags: ["rbac", "system-masters", "access", "eks"],
    check: (s) => {
        const m = s.settings["rbac.mastersMembers"];
        if (m.state === "unknown") return { verdict: "unknown", setting: m, detail: "is not known yet" };
        const list = Array.isArray(m.value) ? (m.value as { who: string; where: string }[]) : [];
        return list.length === 0
            ? { verdict: "pass" }
            : {
                  verdict: "fail",
                  setting: m,
                  detail: `: ${list.length} identit${list.length > 1 ? "ies are" : "y is"} mapped into system:masters`,
              };
    },
};

const service: CheckRule = {
    kind: "check",
    id: "kube-apiserver-service-not-exposed",
    title: "The API server is not exposed through a NodePort, LoadBalancer or external IP Service",
    component: "service",
    settings: ["service.targetsApiServer"],
    severity: "critical",
    enforcement: "mandatory",
    cis: [],
    why: "the API server becomes reachable from outside the cluster network, bypassing the endpoint's access controls",
    remediation:
        "Keep the Service type ClusterIP without externalIPs; reach the API through the cluster endpoint, a VPN or a bastion.",
    url: "https://kubernetes.io/docs/concepts/security/api-server-bypass-risks/",
    tags: ["exposure", "service", "access"],
    check: (s) => {
        const type = s.settings["service.type"];
        if (type.state === "unknown") return { verdict: "unknown", setting: type, detail: "is not known yet" };
        const ipsSetting = s.settings["service.externalIPs"];
        if (ipsSetting.state === "unknown")
            return { verdict: "unknown", setting: ipsSetting, detail: "is not known yet" };
        const ips = ipsSetting.value as string[];
        const what = String(s.settings["service.targetsApiServer"].value);
        if (type.value === "NodePort" || type.value === "LoadBalancer")
            return { verdict: "fail", setting: type, detail: `: ${what} is reachable from outside the cluster` };
        if (ips.length > 0)
            return {
                verdict: "fail",
                setting: s.settings["service.externalIPs"],
                detail: `: ${what} is reachable on external IPs`,
            };
        return { verdict: "pass" };
    },
};

/** Sources that mean "the internet". */
const INTERNET_TAGS = new Set(["*", "internet", "any", "0.0.0.0/0", "::/0"]);

/**
 * Azure's AzureCloud service tag, or a regional AzureCloud.<region>: "all datacenter public IP addresses" of the cloud
 * (learn.microsoft.com/azure/virtual-network/service-tags-overview), which include the public addresses of every
 * Azure customer's VMs. Anyone with an Azure subscription can connect from it, and Microsoft says service tags are
 * not a security boundary (MSRC, "Improved Guidance for Azure Network Service Tags", 2024-06): for control-plane
 * ports it counts as the internet. Accepted when listed in `allowedCidrs` (AzureCloud covers its regional tags).
 */
const AZURE_CLOUD = /^azurecloud(\.[a-z0-9]+)?$/i;

function azureCloudAllowed(src: string, ctx: RuleContext): boolean {
    return ctx.allowedCidrs.some((a) => {
        const t = a.trim().toLowerCase();
        return t === src.toLowerCase() || t === "azurecloud";
    });
}

function publicSource(src: string, ctx: RuleContext): string | undefined {
    if (INTERNET_TAGS.has(src.toLowerCase())) return src;
    if (AZURE_CLOUD.test(src)) return azureCloudAllowed(src, ctx) ? undefined : src;
    const c = parseCidr(src);
    if (!c) return undefined; // a tag (VirtualNetwork, a security group) or a name: not an internet source
    return exposure(c, ctx) ? src : undefined;
}

/** How a source open to the internet is named in a finding. */
function sourceLabel(src: string): string {
    return AZURE_CLOUD.test(src)
        ? `${src} (every public address of Azure's datacenters${src.includes(".") ? " in that region" : ""}, any Azure customer's VMs included)`
        : src;
}

function overlaps(ranges: [number, number][], watched: [number, number][]): [number, number][] {
    const hits: [number, number][] = [];
    for (const [a, b] of ranges)
        for (const [c, d] of watched) if (a <= d && c <= b) hits.push([Math.max(a, c), Math.min(b, d)]);
    return hits;
}

function show(r: [number, number]): string {
    return r[0] === r[1] ? String(r[0]) : `${r[0]}-${r[1]}`;
}

interface DenyRule {
    protocol: string | typeof UNKNOWN;
    ports: [number, number][] | typeof UNKNOWN | "invalid";
    sources: (string | typeof UNKNOWN)[];
    where: string;
    maybe?: boolean;
}

/** Ranges of `a` not covered by any range of `b`. */
function subtract(a: [number, number][], b: [number, number][]): [number, number][] {
    let out = a;
    for (const [c, d] of b) {
        const next: [number, number][] = [];
        for (const [x, y] of out) {
            if (d < x || c > y) {
                next.push([x, y]);
                continue;
            }
            if (x < c) next.push([x, c - 1]);
            if (y > d) next.push([d + 1, y]);
        }
        out = next;
    }
    return out;
}

/**
 * Does a deny rule's source list drop everything an open source admits from the internet? A tag (`*`, `Internet`)
 * covers every address; a CIDR covers the CIDRs inside it; a tag source is covered by CIDRs only when they span both
 * address families.
 */
function denyCovers(deny: string[], src: string): boolean {
    if (deny.some((d) => INTERNET_TAGS.has(d.toLowerCase()) && parseCidr(d) === undefined)) return true;
    // AzureCloud covers its regional tags; Internet (above) covers AzureCloud, Azure's public space being in it.
    if (AZURE_CLOUD.test(src) && deny.some((d) => [src.toLowerCase(), "azurecloud"].includes(d.toLowerCase())))
        return true;
    const cidrs = deny.map(parseCidr).filter((c): c is NonNullable<typeof c> => c !== undefined);
    const s = parseCidr(src);
    if (s) return cidrs.some((c) => contains(c, s));
    return cidrs.some((c) => c.prefix === 0 && c.family === 4) && cidrs.some((c) => c.prefix === 0 && c.family === 6);
}

/**
 * Ports of `hits` still open from `src` after the deny rules the cloud evaluates first; `unsure` when a deny rule
 * that is not fully known could still close them.
 */
function afterDenies(
    hits: [number, number][],
    src: string,
    denies: DenyRule[],
): { open: [number, number][]; unsure?: DenyRule } {
    let open = hits;
    let unsure: DenyRule | undefined;
    for (const d of denies) {
        if (open.length === 0) break;
        if (d.protocol !== UNKNOWN && !["all", "tcp"].includes(d.protocol)) continue;
        const knownSources = d.sources.filter((x): x is string => x !== UNKNOWN);
        const covers = denyCovers(knownSources, src);
        const partial =
            d.maybe ||
            d.protocol === UNKNOWN ||
            d.ports === UNKNOWN ||
            d.ports === "invalid" ||
            (!covers && d.sources.includes(UNKNOWN));
        if (partial) {
            if (covers || d.sources.includes(UNKNOWN)) unsure ??= d;
            continue;
        }
        if (covers) open = subtract(open, d.ports as [number, number][]);
    }
    return { open, unsure: open.length > 0 ? unsure : undefined };
}

export function judgePorts(s: Subject, ctx: RuleContext): Outcome {
    const v = (k: SettingKey): Setting => s.settings[k];
    if (
        v("network.direction").value !== "ingress" ||
        v("network.allow").value !== true ||
        v("network.enabled").value !== true
    )
        return { verdict: "pass" };
    const denySetting = s.settings["network.priorDenies"];
    // Judged at stack level, where the deny rules the cloud evaluates first are joined (providers/network-stack.ts).
    if (s.settings["network.judgedWithSiblings"] && !denySetting) return { verdict: "pass" };
    const proto = v("network.protocol");
    if (proto.state === "unknown") return { verdict: "unknown", setting: proto, detail: "is not known yet" };
    if (!["all", "tcp"].includes(String(proto.value))) return { verdict: "pass" };
    const sources = v("network.sources").value as (string | typeof UNKNOWN)[];
    const open = sources
        .filter((x): x is string => x !== UNKNOWN)
        .map((x) => publicSource(x, ctx))
        .filter((x): x is string => x !== undefined);
    const ports = v("network.ports");
    if (open.length === 0) {
        return sources.includes(UNKNOWN)
            ? { verdict: "unknown", setting: v("network.sources"), detail: "has sources not known yet" }
            : { verdict: "pass" };
    }
    if (ports.state === "unknown") return { verdict: "unknown", setting: ports, detail: "is not known yet" };
    if (ports.state === "invalid") return { verdict: "unknown", setting: ports, detail: "cannot be read" };
    const extra = s.settings["network.extraPorts"];
    const watched = extra ? (extra.value as [number, number][]) : ctx.ports;
    const hits = overlaps(ports.value as [number, number][], watched);
    if (hits.length === 0) return { verdict: "pass" };
    const denies = (denySetting?.value as DenyRule[] | undefined) ?? [];
    const stillOpen = new Map<string, [number, number][]>();
    let unsure: DenyRule | undefined;
    for (const src of new Set(open)) {
        const r = afterDenies(hits, src, denies);
        if (r.open.length > 0) stillOpen.set(src, r.open);
        unsure ??= r.unsure;
    }
    if (stillOpen.size === 0) return { verdict: "pass" };
    if (unsure)
        return {
            verdict: "unknown",
            setting: ports,
            detail: `opens control-plane ports unless deny rule ${unsure.where}, not fully known yet, closes them first`,
        };
    const why = extra ? ` (${extra.where})` : "";
    const shown = [...new Set([...stillOpen.values()].flat().map(show))];
    const shadow =
        denies.length > 0 ? `, after ${denies.length} higher-priority deny rule${denies.length > 1 ? "s" : ""}` : "";
    return {
        verdict: "fail",
        setting: ports,
        detail: `: ${shown.join(", ")} open to ${[...stillOpen.keys()].map(sourceLabel).join(", ")}${shadow}${why}`,
    };
}

const ports: CheckRule = {
    kind: "check",
    id: "control-plane-ports-not-open-to-internet",
    title: "Security groups, firewalls and NSGs (rules judged in the cloud's priority order, deny rules included) do not open Kubernetes control-plane ports to the internet",
    component: "network",
    settings: ["network.ports"],
    severity: "critical",
    enforcement: "mandatory",
    cis: [],
    why: "the API server (6443/443), kubelet (10250, 10255), controller-manager and scheduler (10257, 10259), kube-proxy (10256), etcd (2379-2381), the RKE2 supervisor (9345) and Talos apid and trustd (50000, 50001) then answer anyone on the internet",
    remediation:
        "Limit the rule's sources to your VPC, VPN or bastion ranges (or the cluster's security group); never 0.0.0.0/0, ::/0, * or Internet for these ports.",
    url: "https://kubernetes.io/docs/reference/networking/ports-and-protocols/",
    tags: ["exposure", "network", "firewall", "access", "stack"],
    knobs: "ports",
    stack: true,
    check: judgePorts,
};

export const ACCESS_RULES: Rule[] = [
    anonymous,
    clusterAdmin,
    authenticated,
    wildcard,
    ...RBAC_PATH_RULES,
    masters,
    service,
    ports,
];
