// EKS cluster access at stack level: cluster admin granted through access entries, access policy associations or
// the aws-auth ConfigMap, judged with the trust policy of the IAM role that holds it.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { effectiveConfig } from "../../pack/config";
import { judgeStack } from "../../pack/judge";
import type { StackResource } from "../../providers/stack";
import { rule, verdict, UNKNOWN_STRING } from "../helpers";

const CTX = effectiveConfig({}, {});
const ROLE = "aws:iam/role:Role";
const ENTRY = "aws:eks/accessEntry:AccessEntry";
const ASSOC = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
const NATIVE_ENTRY = "aws-native:eks:AccessEntry";
const CM = "kubernetes:core/v1:ConfigMap";
const ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
const ANYONE = "eks-admin-access-not-assumable-by-anyone";
const CI = "eks-admin-access-not-held-by-ci-pipelines";

function res(
    type: string,
    name: string,
    props: Record<string, unknown>,
    deps: Record<string, string[]> = {},
): StackResource {
    return {
        type,
        name,
        urn: `urn:pulumi:dev::demo::${type}::${name}`,
        props,
        dependencies: Object.values(deps).flat(),
        propertyDependencies: deps,
    };
}
const trust = (statement: Record<string, unknown>) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", ...statement }],
    });
const GITHUB = { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" };
const roles = {
    everyone: res(ROLE, "open", {
        name: "open",
        assumeRolePolicy: trust({ Action: "sts:AssumeRole", Principal: { AWS: "*" } }),
    }),
    anyGithub: res(ROLE, "gha-any", {
        name: "gha-any",
        assumeRolePolicy: trust({
            Principal: GITHUB,
            Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
        }),
    }),
    wildcardGithub: res(ROLE, "gha-wild", {
        name: "gha-wild",
        assumeRolePolicy: trust({
            Principal: GITHUB,
            Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } },
        }),
    }),
    ci: res(ROLE, "gha-repo", {
        name: "gha-repo",
        assumeRolePolicy: trust({
            Principal: GITHUB,
            Condition: {
                StringEquals: { "token.actions.githubusercontent.com:sub": "repo:acme/infra:ref:refs/heads/main" },
            },
        }),
    }),
    admins: res(ROLE, "admins", {
        name: "admins",
        assumeRolePolicy: {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "sts:AssumeRole", Principal: { AWS: "arn:aws:iam::1:role/breakglass" } },
            ],
        },
    }),
    conditioned: res(ROLE, "org", {
        name: "org",
        assumeRolePolicy: trust({
            Action: "sts:AssumeRole",
            Principal: "*",
            Condition: { StringEquals: { "aws:PrincipalOrgID": "o-123" } },
        }),
    }),
};
const association = (role: StackResource, scope: Record<string, unknown> = { type: "cluster" }, policyArn = ADMIN) =>
    res(
        ASSOC,
        `assoc-${role.name}`,
        { clusterName: "prod", principalArn: UNKNOWN_STRING, policyArn, accessScope: scope },
        { principalArn: [role.urn] },
    );
const levels = (id: string, stack: StackResource[]) => judgeStack(rule(id), stack, CTX).map((f) => f.level);

describe("EKS cluster admin held by broad principals (stack level)", () => {
    it("AmazonEKSClusterAdminPolicy at cluster scope for a role anyone can assume fails, on the association", () => {
        const a = association(roles.everyone);
        const f = judgeStack(rule(ANYONE), [roles.everyone, a], CTX);
        assert.deepEqual(
            f.map((x) => [x.urn, x.level]),
            [[a.urn, "policy"]],
        );
        assert.match(
            f[0].message,
            /policyArn AmazonEKSClusterAdminPolicy with accessScope\.type cluster, joined with IAM role "open", role "open": its trust policy allows Principal "\*" with no condition = anyone/,
        );
    });
    it("GitHub OIDC without a subject condition, or with repo:*, is anyone; a named repository is CI", () => {
        assert.deepEqual(levels(ANYONE, [roles.anyGithub, association(roles.anyGithub)]), ["policy"]);
        assert.deepEqual(levels(ANYONE, [roles.wildcardGithub, association(roles.wildcardGithub)]), ["policy"]);
        assert.deepEqual(levels(ANYONE, [roles.ci, association(roles.ci)]), []);
        const ci = judgeStack(rule(CI), [roles.ci, association(roles.ci)], CTX);
        assert.deepEqual(
            ci.map((x) => x.level),
            ["policy"],
        );
        assert.match(
            ci[0].message,
            /its trust policy allows CI pipelines \(token\.actions\.githubusercontent\.com tokens\) = CI pipelines/,
        );
        assert.deepEqual(
            levels(CI, [roles.anyGithub, association(roles.anyGithub)]),
            [],
            "anyone is the other rule's finding",
        );
    });
    it('named principals, a conditioned Principal "*", namespace scope and narrower policies pass', () => {
        assert.deepEqual(levels(ANYONE, [roles.admins, association(roles.admins)]), []);
        assert.deepEqual(levels(CI, [roles.admins, association(roles.admins)]), []);
        assert.deepEqual(levels(ANYONE, [roles.conditioned, association(roles.conditioned)]), []);
        assert.deepEqual(
            levels(ANYONE, [roles.everyone, association(roles.everyone, { type: "namespace", namespaces: ["apps"] })]),
            [],
        );
        assert.deepEqual(
            levels(ANYONE, [
                roles.everyone,
                association(
                    roles.everyone,
                    { type: "cluster" },
                    "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                ),
            ]),
            [],
        );
    });
    it("an access entry with system:masters in kubernetesGroups, joined by the role's name in principalArn", () => {
        const e = res(ENTRY, "entry", {
            clusterName: "prod",
            principalArn: "arn:aws:iam::1:role/open",
            kubernetesGroups: ["system:masters"],
        });
        const f = judgeStack(rule(ANYONE), [roles.everyone, e], CTX);
        assert.deepEqual(
            f.map((x) => x.urn),
            [e.urn],
        );
        assert.match(f[0].message, /kubernetesGroups contains system:masters, joined with IAM role "open"/);
    });
    it("aws-native AccessEntry accessPolicies carry the association inline", () => {
        const e = res(
            NATIVE_ENTRY,
            "native",
            {
                clusterName: "prod",
                principalArn: UNKNOWN_STRING,
                accessPolicies: [{ policyArn: ADMIN, accessScope: { type: "cluster" } }],
            },
            { principalArn: [roles.anyGithub.urn] },
        );
        assert.deepEqual(levels(ANYONE, [roles.anyGithub, e]), ["policy"]);
    });
    it("aws-auth mapRoles into system:masters, joined by the ConfigMap's single dependency on the role", () => {
        const cm = (deps: string[]) =>
            res(
                CM,
                "aws-auth",
                {
                    metadata: { name: "aws-auth", namespace: "kube-system" },
                    data: {
                        mapRoles: `- rolearn: ${UNKNOWN_STRING}\n  username: ci\n  groups:\n    - system:masters\n`,
                    },
                },
                { data: deps },
            );
        assert.deepEqual(levels(CI, [roles.ci, cm([roles.ci.urn])]), ["policy"]);
        // Two roles in one property: which entry is which cannot be told, so the role is not joined: one advisory.
        assert.deepEqual(levels(ANYONE, [roles.ci, roles.everyone, cm([roles.ci.urn, roles.everyone.urn])]), [
            "advisory",
        ]);
        assert.deepEqual(levels(CI, [roles.ci, roles.everyone, cm([roles.ci.urn, roles.everyone.urn])]), []);
        const other = res(CM, "other", {
            metadata: { name: "other", namespace: "kube-system" },
            data: { mapRoles: "- rolearn: x\n  groups: [system:masters]\n" },
        });
        assert.deepEqual(levels(ANYONE, [other]), [], "only kube-system/aws-auth is read");
    });
    it("a role outside the stack is one advisory that says why; an IAM user is a named principal", () => {
        const e = res(ENTRY, "ext", {
            clusterName: "prod",
            principalArn: "arn:aws:iam::1:role/elsewhere",
            kubernetesGroups: ["system:masters"],
        });
        const f = judgeStack(rule(ANYONE), [e], CTX);
        assert.deepEqual(
            f.map((x) => x.level),
            ["advisory"],
        );
        assert.match(f[0].message, /is not in this stack \(or not known yet\), so who can assume it cannot be judged/);
        const u = res(CM, "aws-auth", {
            metadata: { name: "aws-auth", namespace: "kube-system" },
            data: { mapUsers: "- userarn: arn:aws:iam::1:user/alice\n  groups: [system:masters]\n" },
        });
        assert.deepEqual(levels(ANYONE, [u]), []);
    });
    it("hostile trust policies and mapRoles do not throw", () => {
        for (const bad of [
            "{",
            "x".repeat(300_000),
            JSON.stringify({ Statement: "nope" }),
            JSON.stringify({ Statement: [null, 1, { Principal: { Federated: [] } }] }),
        ]) {
            const r = res(ROLE, "bad", { name: "bad", assumeRolePolicy: bad });
            assert.doesNotThrow(() => judgeStack(rule(ANYONE), [r, association(r)], CTX));
        }
        const cm = res(CM, "aws-auth", {
            metadata: { name: "aws-auth", namespace: "kube-system" },
            data: { mapRoles: "- &a [*a, *a]\n: : :" },
        });
        assert.doesNotThrow(() => judgeStack(rule(ANYONE), [cm], CTX));
    });
});

describe("eks-bootstrap-creator-admin-disabled", () => {
    const EKS = "aws:eks/cluster:Cluster";
    const base = { roleArn: "r", vpcConfig: { subnetIds: ["s"] } };
    it("unset is true (EKS default) and fails; false passes; aws-native reads the same field", () => {
        assert.equal(verdict("eks-bootstrap-creator-admin-disabled", EKS, base), "violation");
        assert.equal(
            verdict("eks-bootstrap-creator-admin-disabled", EKS, {
                ...base,
                accessConfig: { bootstrapClusterCreatorAdminPermissions: false },
            }),
            "pass",
        );
        assert.equal(
            verdict("eks-bootstrap-creator-admin-disabled", EKS, {
                ...base,
                accessConfig: { bootstrapClusterCreatorAdminPermissions: true },
            }),
            "violation",
        );
        assert.equal(
            verdict("eks-bootstrap-creator-admin-disabled", "aws-native:eks:Cluster", {
                roleArn: "r",
                accessConfig: { bootstrapClusterCreatorAdminPermissions: false },
            }),
            "pass",
        );
        assert.equal(
            verdict("eks-bootstrap-creator-admin-disabled", "aws-native:eks:Cluster", { roleArn: "r" }),
            "violation",
        );
    });
});
