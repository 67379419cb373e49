// EKS cluster access at stack level: who holds cluster admin through access entries, access policy associations or
// the aws-auth ConfigMap, and who can assume that IAM role (its trust policy, another resource of the stack).
//
// Grants of cluster admin that this reads:
// - aws:eks/accessPolicyAssociation (and aws-native:eks:AccessEntry accessPolicies) with AmazonEKSClusterAdminPolicy
//   at cluster scope (EKS user guide, "Associate access policies with access entries": AmazonEKSClusterAdminPolicy
//   grants cluster-admin);
// - access entries whose kubernetesGroups contain system:masters;
// - kube-system/aws-auth mapRoles / mapUsers entries whose groups contain system:masters (EKS user guide, "Grant IAM
//   users access to Kubernetes with a ConfigMap").
// The cluster creator's own admin entry (accessConfig.bootstrapClusterCreatorAdminPermissions, default true) is a
// cluster setting, read with the cluster (providers/aws.ts).
import { load } from "js-yaml";
import type { Subject } from "./model";
import { explicit, settingsOf, undetermined } from "./model";
import { isRecord, isUnknownValue } from "./props";
import type { StackResource, StackSubject } from "./stack";

export const EKS_ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry";
export const EKS_ACCESS_POLICY_ASSOCIATION = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
export const EKS_NATIVE_ACCESS_ENTRY = "aws-native:eks:AccessEntry";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const IAM_ROLE = "aws:iam/role:Role";
const IAM_NATIVE_ROLE = "aws-native:iam:Role";

const CLUSTER_ADMIN_POLICY = /:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/;
const MASTERS = "system:masters";
/** Federated identity providers of CI systems: whoever runs a pipeline there can assume a role that trusts them. */
const CI_PROVIDERS =
    /token\.actions\.githubusercontent\.com|gitlab\.com|app\.terraform\.io|oidc\.circleci\.com|api\.bitbucket\.org|vstoken\.dev\.azure\.com|oidc\.buildkite\.com/;
const MAX_TEXT = 256 * 1024;

/** Who can assume a role, from its trust policy. */
export type Assumable = { who: "everyone" | "ci" | "restricted"; why: string };

function obj(v: unknown): Record<string, unknown> {
    return isRecord(v) ? v : {};
}

function list(v: unknown): unknown[] {
    return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** A trust policy (JSON text or object) → who may assume the role. Undefined when it cannot be read. */
export function assumableBy(policy: unknown): Assumable | undefined {
    let doc: unknown = policy;
    if (typeof policy === "string") {
        if (isUnknownValue(policy) || policy.length > MAX_TEXT) return undefined;
        try {
            doc = JSON.parse(policy);
        } catch {
            return undefined;
        }
    }
    if (!isRecord(doc)) return undefined;
    let ci: string | undefined;
    for (const st of list(doc.Statement).slice(0, 100).map(obj)) {
        if (st.Effect !== "Allow") continue;
        const actions = list(st.Action).map(String);
        if (!actions.some((a) => a === "*" || a.startsWith("sts:AssumeRole") || a === "sts:*")) continue;
        const conditions = JSON.stringify(st.Condition ?? {});
        const principal = st.Principal;
        const aws = principal === "*" ? ["*"] : list(obj(principal).AWS).map(String);
        if (aws.includes("*") && conditions === "{}")
            return { who: "everyone", why: 'its trust policy allows Principal "*" with no condition' };
        for (const fed of list(obj(principal).Federated).map(String)) {
            if (!CI_PROVIDERS.test(fed)) continue;
            const provider = fed.split("/").pop() ?? fed;
            // Without a condition on the token's subject, any pipeline of any project on that service can assume it.
            const sub = /:sub"\s*:\s*("([^"]*)"|\[[^\]]*\])/.exec(conditions);
            if (!sub || /"(\*|repo:\*|[^"/:]*\*)"/.test(sub[1])) {
                return {
                    who: "everyone",
                    why: `its trust policy allows ${provider} tokens without limiting their subject to your own projects`,
                };
            }
            ci ??= `its trust policy allows CI pipelines (${provider} tokens)`;
        }
    }
    return ci ? { who: "ci", why: ci } : { who: "restricted", why: "its trust policy names specific principals" };
}

/** A principal ARN's role name ("arn:aws:iam::1:role/path/name" → "name"). */
function roleName(arn: unknown): string | undefined {
    if (typeof arn !== "string" || isUnknownValue(arn)) return undefined;
    // Index arithmetic, not /:role\/(?:.*\/)?([^/]+)$/: that backtracks quadratically on ":role/:role/…".
    const at = arn.indexOf(":role/");
    if (at < 0 || arn.endsWith("/") || arn.includes("\n")) return undefined;
    return arn.slice(arn.lastIndexOf("/") + 1);
}

interface Grant {
    /** The resource that grants it (reported there: the owner edits it). */
    at: StackResource;
    /** What grants admin, in the resource's terms. */
    how: string;
    /** The principal as written (an ARN), or undefined when it is an output. */
    principal: unknown;
    /** Property whose dependencies may name the role resource. */
    principalProperty: string;
}

function accessEntryGrants(r: StackResource): Grant[] {
    const p = obj(r.props);
    const out: Grant[] = [];
    const groups = list(p.kubernetesGroups).map(String);
    if (groups.includes(MASTERS))
        out.push({
            at: r,
            how: "kubernetesGroups contains system:masters",
            principal: p.principalArn,
            principalProperty: "principalArn",
        });
    // aws-native carries the policy associations inline.
    list(p.accessPolicies)
        .map(obj)
        .forEach((ap, i) => {
            if (
                typeof ap.policyArn === "string" &&
                CLUSTER_ADMIN_POLICY.test(ap.policyArn) &&
                obj(ap.accessScope).type === "cluster"
            ) {
                out.push({
                    at: r,
                    how: `accessPolicies[${i}] AmazonEKSClusterAdminPolicy at cluster scope`,
                    principal: p.principalArn,
                    principalProperty: "principalArn",
                });
            }
        });
    return out;
}

function policyAssociationGrant(r: StackResource): Grant | undefined {
    const p = obj(r.props);
    if (typeof p.policyArn !== "string" || !CLUSTER_ADMIN_POLICY.test(p.policyArn)) return undefined;
    if (obj(p.accessScope).type !== "cluster") return undefined;
    return {
        at: r,
        how: "policyArn AmazonEKSClusterAdminPolicy with accessScope.type cluster",
        principal: p.principalArn,
        principalProperty: "principalArn",
    };
}

function awsAuthGrants(r: StackResource): Grant[] {
    const p = obj(r.props);
    const meta = obj(p.metadata);
    if (meta.name !== "aws-auth" || (meta.namespace ?? "default") !== "kube-system") return [];
    const out: Grant[] = [];
    for (const [key, arnField] of [
        ["mapRoles", "rolearn"],
        ["mapUsers", "userarn"],
    ] as const) {
        const text = obj(p.data)[key];
        if (typeof text !== "string" || isUnknownValue(text) || text.length > MAX_TEXT) continue;
        let entries: unknown;
        try {
            entries = load(text, { json: true });
        } catch {
            continue;
        }
        list(entries)
            .slice(0, 1000)
            .map(obj)
            .forEach((e, i) => {
                if (list(e.groups).map(String).includes(MASTERS)) {
                    out.push({
                        at: r,
                        how: `aws-auth data.${key}[${i}] maps ${arnField} to system:masters`,
                        principal: e[arnField],
                        principalProperty: "data",
                    });
                }
            });
    }
    return out;
}

/** The role resource a grant names: by property dependency on the principal, then by role name. */
function roleOf(g: Grant, roles: StackResource[]): StackResource | undefined {
    const deps = g.at.propertyDependencies[g.principalProperty] ?? [];
    const name = roleName(g.principal);
    const byName =
        name !== undefined
            ? roles.find((r) => obj(r.props).name === name || obj(r.props).roleName === name)
            : undefined;
    if (byName) return byName;
    const byDep = roles.filter((r) => deps.includes(r.urn));
    // aws-auth names many roles in one property: only a single dependency says which one this entry is.
    return byDep.length === 1 || (g.principalProperty === "principalArn" && byDep.length > 0) ? byDep[0] : undefined;
}

/**
 * Subjects for the cluster-admin grants of a stack: each grant joined with the role it names, and who can assume
 * that role. Grants to users, to roles outside the stack, or to roles whose trust policy is an output say so.
 */
export function eksAccessLinks(resources: StackResource[]): StackSubject[] {
    const roles = resources.filter((r) => r.type === IAM_ROLE || r.type === IAM_NATIVE_ROLE);
    const grants: Grant[] = [];
    for (const r of resources) {
        if (r.type === EKS_ACCESS_ENTRY || r.type === EKS_NATIVE_ACCESS_ENTRY) grants.push(...accessEntryGrants(r));
        else if (r.type === EKS_ACCESS_POLICY_ASSOCIATION) {
            const g = policyAssociationGrant(r);
            if (g) grants.push(g);
        } else if (r.type === CONFIG_MAP) grants.push(...awsAuthGrants(r));
    }
    const out: StackSubject[] = [];
    for (const g of grants) {
        const role = roleOf(g, roles);
        const principal =
            typeof g.principal === "string" &&
            !isUnknownValue(g.principal) &&
            /^arn:[\w-]+:iam::\d*:(role|user)\//.test(g.principal)
                ? g.principal
                : undefined;
        let setting;
        if (role) {
            const trust = obj(role.props).assumeRolePolicy ?? obj(role.props).assumeRolePolicyDocument;
            const who = assumableBy(trust);
            setting = who
                ? {
                      ...explicit(who.who, `role "${role.name}": ${who.why}`),
                      shown: who.who === "ci" ? "CI pipelines" : who.who === "everyone" ? "anyone" : "named principals",
                  }
                : undetermined(
                      `role "${role.name}" assumeRolePolicy`,
                      "is not known yet or not a readable policy, so who can assume the role cannot be judged",
                  );
        } else if (principal && /:user\//.test(principal)) {
            setting = { ...explicit("restricted", `${principal.split(":").pop()}`), shown: "one IAM user" };
        } else {
            setting = undetermined(
                "the principal's IAM role",
                "is not in this stack (or not known yet), so who can assume it cannot be judged",
            );
        }
        const subject: Subject = {
            component: "cluster-access",
            platform: "eks",
            location: `${g.how}${role ? `, joined with IAM role "${role.name}"` : ""}`,
            settings: settingsOf({ "clusterAccess.adminAssumableBy": setting }),
        };
        out.push({ urn: g.at.urn, name: g.at.name, type: g.at.type, subject });
    }
    return out;
}
