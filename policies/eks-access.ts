// EKS cluster access: cluster admin held through access entries, access policy associations or the aws-auth
// ConfigMap by an IAM role that anyone, or any CI pipeline, can assume; and the creator's implicit admin entry.
import type { Rule } from "./rule";

const ASSUMABLE = "clusterAccess.adminAssumableBy";

const FIX = {
    aws: "Grant a narrower access policy (AmazonEKSEditPolicy or AmazonEKSViewPolicy, namespace scope) or restrict the role's assumeRolePolicy to named principals (for CI OIDC, a token.actions.githubusercontent.com:sub condition naming your repository and branch or environment).",
    "aws-native":
        "Grant a narrower access policy in accessPolicies (namespace scope) or restrict the role's assumeRolePolicyDocument to named principals (for CI OIDC, a :sub condition naming your repository and branch or environment).",
    kubernetes:
        "Remove system:masters from the aws-auth mapRoles/mapUsers entry (map the role to a group bound to a narrower ClusterRole) or restrict the role's assumeRolePolicy to named principals.",
    "eks:index:Cluster":
        "Map the role through the eks.Cluster argument accessEntries (or roleMappings) to a narrower access policy or group instead of system:masters",
};

export const EKS_ACCESS_RULES: Rule[] = [
    {
        kind: "setting",
        id: "eks-admin-access-not-assumable-by-anyone",
        title: "EKS cluster admin is not held by an IAM role that anyone can assume",
        component: "cluster-access",
        platforms: ["eks"],
        setting: ASSUMABLE,
        op: "noteq",
        value: "everyone",
        expected: "a role whose trust policy admits only named principals",
        stack: true,
        severity: "critical",
        enforcement: "mandatory",
        cis: [], // CIS EKS 4.1.1 (cluster-admin only where required) is about RBAC bindings, not IAM grants.
        why: "a role that any AWS account, or any pipeline on a public CI service, can assume turns cluster admin into a public credential",
        remediation:
            "Restrict the IAM role's trust policy to named principals (for CI OIDC, a :sub condition naming your repository), or grant it a narrower EKS access policy or Kubernetes group than cluster admin.",
        fix: FIX,
        url: "https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html",
        tags: ["access", "iam", "eks", "stack"],
    },
    {
        // Same setting, lower threshold: a role only CI pipelines assume. What cannot be judged is reported once, by
        // the rule above.
        kind: "check",
        id: "eks-admin-access-not-held-by-ci-pipelines",
        title: "EKS cluster admin is not held by an IAM role that CI pipelines assume",
        component: "cluster-access",
        platforms: ["eks"],
        settings: [ASSUMABLE],
        check: (subject) => {
            const s = subject.settings[ASSUMABLE];
            if (!s || s.state !== "explicit" || s.value !== "ci")
                return { verdict: s?.state === "explicit" || s?.state === "default" ? "pass" : "n/a" };
            return {
                verdict: "fail",
                setting: s,
                detail: "expected a role CI pipelines cannot assume, or a narrower grant for the deploying role",
            };
        },
        stack: true,
        severity: "medium",
        enforcement: "advisory",
        cis: [], // CIS EKS 4.1.1 (cluster-admin only where required) is about RBAC bindings, not IAM grants.
        why: "every pipeline run that can assume the role, including one from a compromised branch or dependency, holds standing cluster admin",
        remediation:
            "Give the CI role an EKS access policy scoped to the namespaces it deploys (or a Kubernetes group bound to a narrower ClusterRole), and keep cluster admin for break-glass principals.",
        fix: FIX,
        url: "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
        tags: ["access", "iam", "ci", "eks", "stack"],
    },
    {
        kind: "setting",
        id: "eks-bootstrap-creator-admin-disabled",
        title: "EKS does not give the cluster's creator a standing admin access entry",
        component: "cluster",
        platforms: ["eks"],
        setting: "cluster.creatorAdmin",
        op: "eq",
        value: false,
        expected: "false",
        severity: "low",
        enforcement: "advisory",
        cis: [],
        why: "the identity that created the cluster (often the CI role that runs the deployment) keeps cluster admin that no access entry in the program shows",
        remediation:
            "Set accessConfig.bootstrapClusterCreatorAdminPermissions to false and grant admins explicit access entries.",
        fix: {
            aws: "Set accessConfig.bootstrapClusterCreatorAdminPermissions to false and grant admins explicit access entries (aws.eks.AccessEntry with AccessPolicyAssociation).",
            "aws-native":
                "Set accessConfig.bootstrapClusterCreatorAdminPermissions to false and grant admins explicit access entries (aws-native eks.AccessEntry).",
        },
        url: "https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html",
        tags: ["access", "iam", "eks"],
    },
];
