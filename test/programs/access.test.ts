// Access written with the real SDKs under mocks: @pulumi/kubernetes RBAC and Services (also as children of a
// yaml.ConfigGroup), AWS security groups (aws and aws-native), a GCP firewall and Azure NSGs with separate
// SecurityRules. The registered inputs, including the dependencies the engine records, are judged per resource and
// joined at stack level.
import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { loadAll } from "js-yaml";
import { effectiveConfig } from "../../pack/config";
import { judgeStack } from "../../pack/judge";
import type { StackResource } from "../../providers/stack";
import { RULES } from "../../policies";
import { rule, verdict } from "../helpers";
import { inputsOf as inputsOfIn, recordRegistrations, settle, verdictTable } from "./mocks";

/** RBAC as two common charts render it: metrics-server (hardened) and kubernetes-dashboard with its old
 * `rbac.clusterAdminRole: true` value, which binds cluster-admin to the dashboard's ServiceAccount. */
const CHART_RBAC = (release: string) =>
    loadAll(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:metrics-server
rules:
- apiGroups: [""]
  resources: [nodes/metrics]
  verbs: [get]
- apiGroups: [""]
  resources: [pods, nodes]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system:metrics-server
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: system:metrics-server
subjects:
- kind: ServiceAccount
  name: metrics-server
  namespace: kube-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${release}-kubernetes-dashboard
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- kind: ServiceAccount
  name: ${release}-kubernetes-dashboard
  namespace: kube-system
`);

const registered = recordRegistrations((opts) => CHART_RBAC(String(opts.release_name ?? "release")));

const RBAC_YAML = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: everything
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: everything-anonymous
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: everything
subjects:
- kind: User
  name: system:anonymous
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: debug-shell
rules:
- apiGroups: [""]
  resources: [pods/exec, pods/attach]
  verbs: [create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: debug-shell-everyone
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: debug-shell
subjects:
- kind: Group
  name: system:authenticated
`;

const inputsOf = (name: string) => inputsOfIn(registered, name);

describe("access programs under mocks", () => {
    before(async () => {
        const k8s = await import("@pulumi/kubernetes");
        const ec2 = await import("@pulumi/aws/ec2");
        const compute = await import("@pulumi/gcp/compute");
        const network = await import("@pulumi/azure-native/network");
        const ec2native = await import("@pulumi/aws-native/ec2");
        const eksnative = await import("@pulumi/aws-native/eks");
        // An aws-native EKS cluster with a security group of its own (resourcesVpcConfig) and a rule added to the
        // cluster security group EKS creates (groupId: cluster.clusterSecurityGroupId): insecure and hardened.
        const cfnEks = (kind: "open" | "vpc") => {
            const cidr = kind === "open" ? { cidrIp: "0.0.0.0/0" } : { cidrIp: "10.0.0.0/16" };
            const sg = new ec2native.SecurityGroup(`cfn-eks-sg-${kind}`, {
                groupDescription: "EKS API",
                securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 443, toPort: 443, ...cidr }],
            });
            const cluster = new eksnative.Cluster(`cfn-eks-${kind}`, {
                roleArn: "arn:aws:iam::111122223333:role/eks",
                resourcesVpcConfig: { subnetIds: ["subnet-1", "subnet-2"], securityGroupIds: [sg.id] },
            });
            const rule = new ec2native.SecurityGroupIngress(`cfn-eks-https-${kind}`, {
                groupId: cluster.clusterSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                ...(kind === "open" ? { cidrIpv6: "::/0" } : { cidrIp: "10.0.0.0/16" }),
            });
            return [sg, cluster, rule];
        };
        const group = new k8s.yaml.ConfigGroup("rbac", { yaml: RBAC_YAML });
        const chart = new k8s.helm.v3.Chart("addons", {
            chart: "kubernetes-dashboard",
            fetchOpts: { repo: "https://kubernetes.github.io/dashboard/" },
        });
        const resources: pulumi.Resource[] = [
            new k8s.rbac.v1.ClusterRoleBinding("dashboard-admin", {
                metadata: { name: "admin-user" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
                subjects: [{ kind: "ServiceAccount", name: "admin-user", namespace: "kubernetes-dashboard" }],
            }),
            new k8s.rbac.v1.ClusterRoleBindingList("anon-list", {
                items: [
                    {
                        metadata: { name: "anon" },
                        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
                        subjects: [{ kind: "User", name: "system:anonymous" }],
                    },
                ],
            }),
            new k8s.core.v1.Service("kubernetes-nodeport", {
                metadata: { name: "kubernetes", namespace: "default" },
                spec: { type: "NodePort", ports: [{ port: 443, targetPort: 6443 }] },
            }),
            new ec2.SecurityGroup("k8s-world", {
                ingress: [{ protocol: "tcp", fromPort: 6443, toPort: 6443, cidrBlocks: ["0.0.0.0/0"] }],
            }),
            new ec2native.SecurityGroup("cfn-world", {
                groupDescription: "control plane",
                securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 6443, toPort: 6443, cidrIp: "0.0.0.0/0" }],
            }),
            new ec2native.SecurityGroupIngress("cfn-prefix-list", {
                groupId: "sg-123",
                ipProtocol: "tcp",
                fromPort: 6443,
                toPort: 6443,
                sourcePrefixListId: "pl-123",
            }),
            ...cfnEks("open"),
            ...cfnEks("vpc"),
            new ec2.SecurityGroup("k8s-vpc", {
                ingress: [{ protocol: "tcp", fromPort: 10250, toPort: 10250, cidrBlocks: ["10.0.0.0/16"] }],
            }),
            new compute.Firewall("kthw-external", {
                network: "kthw",
                allows: [{ protocol: "tcp", ports: ["22", "6443"] }, { protocol: "icmp" }],
                sourceRanges: ["0.0.0.0/0"],
            }),
            new network.NetworkSecurityGroup("nsg", {
                resourceGroupName: "rg",
                securityRules: [
                    {
                        name: "api",
                        access: "Allow",
                        direction: "Inbound",
                        priority: 100,
                        protocol: "Tcp",
                        sourceAddressPrefix: "*",
                        sourcePortRange: "*",
                        destinationAddressPrefix: "*",
                        destinationPortRange: "6443",
                    },
                ],
            }),
            // Hardened: the NSG's inline allow of * on 6443 (priority 200) comes after a separate SecurityRule that
            // denies Internet on 6443 at priority 100. Insecure: the same deny at priority 300 comes too late.
            ...(["hardened", "insecure"] as const).flatMap((kind) => {
                const nsgName = `cp-${kind}`;
                return [
                    new network.NetworkSecurityGroup(`nsg-${kind}`, {
                        resourceGroupName: "rg",
                        networkSecurityGroupName: nsgName,
                        securityRules: [
                            {
                                name: "allow-api-any",
                                access: "Allow",
                                direction: "Inbound",
                                priority: 200,
                                protocol: "Tcp",
                                sourceAddressPrefix: "*",
                                sourcePortRange: "*",
                                destinationAddressPrefix: "*",
                                destinationPortRange: "6443",
                            },
                        ],
                    }),
                    new network.SecurityRule(`deny-internet-api-${kind}`, {
                        resourceGroupName: "rg",
                        networkSecurityGroupName: nsgName,
                        securityRuleName: "deny-internet-api",
                        access: "Deny",
                        direction: "Inbound",
                        priority: kind === "hardened" ? 100 : 300,
                        protocol: "Tcp",
                        sourceAddressPrefix: "Internet",
                        sourcePortRange: "*",
                        destinationAddressPrefix: "*",
                        destinationPortRange: "6443",
                    }),
                ];
            }),
        ];
        await settle([...resources, group]);
        await new Promise((res) => group.resources.apply(res));
        await new Promise((res) => chart.resources.apply(res));
        // Let the ConfigGroup's children register.
        await new Promise((res) => setTimeout(res, 200));
    });

    it("the ConfigGroup's children are registered as RBAC resources and the binding is judged", () => {
        const b = inputsOf("everything-anonymous");
        assert.equal(b.type, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
        assert.equal(verdict("rbac-binding-anonymous-subjects-forbidden", b.type, b.inputs), "violation");
    });
    it("the wildcard ClusterRole from the ConfigGroup is joined to its binding at stack level", () => {
        const stack: StackResource[] = registered.map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.inputs,
            dependencies: [],
            propertyDependencies: {},
        }));
        const f = judgeStack(rule("rbac-wildcard-role-not-bound-to-broad-groups"), stack, effectiveConfig({}, {}));
        assert.equal(f.length, 1);
        assert.match(f[0].message, /joined with ClusterRole "everything"/);
    });
    it("a Helm chart's children are registered as RBAC resources and judged like any binding", () => {
        const admin = inputsOf("addons-kubernetes-dashboard");
        assert.equal(admin.type, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
        assert.equal(verdict("rbac-cluster-admin-bound-to-system-masters-only", admin.type, admin.inputs), "violation");
        const metrics = registered.filter((x) => x.name.endsWith("system:metrics-server"));
        assert.deepEqual(metrics.map((r) => r.type).sort(), [
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        ]);
        const binding = metrics.find((r) => r.type.endsWith(":ClusterRoleBinding"))!;
        for (const p of [
            "rbac-cluster-admin-bound-to-system-masters-only",
            "rbac-binding-anonymous-subjects-forbidden",
            "rbac-binding-system-authenticated-restricted",
        ]) {
            assert.equal(verdict(p, binding.type, binding.inputs), "pass", p);
        }
    });
    it("a ConfigGroup's ClusterRole granting pods/exec joins its binding to system:authenticated (escalation path)", () => {
        const stack: StackResource[] = registered.map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.inputs,
            dependencies: [],
            propertyDependencies: {},
        }));
        const f = judgeStack(
            rule("rbac-pod-exec-attach-not-granted-to-broad-subjects"),
            stack,
            effectiveConfig({}, {}),
        );
        assert.deepEqual(
            f.map((x) => x.urn.split("::").pop()),
            ["debug-shell-everyone"],
        );
        assert.match(
            f[0].message,
            /every authenticated identity \(system:authenticated\) can exec into or attach to pods/,
        );
        // The hardened metrics-server role of the Helm chart has no escalation path.
        for (const r of RULES.filter((x) => x.component === "rbac" && x.stack)) {
            assert.ok(
                !judgeStack(r, stack, effectiveConfig({}, {})).some((x) => x.urn.includes("metrics-server")),
                r.id,
            );
        }
    });
    it("kthw-external (a GCP firewall) passes Analyze and fails AnalyzeStack, where its network's deny rules are joined", () => {
        const fw = inputsOf("kthw-external");
        assert.equal(verdict("control-plane-ports-not-open-to-internet", fw.type, fw.inputs), "pass");
        const stack: StackResource[] = [
            { type: fw.type, name: fw.name, urn: fw.urn, props: fw.inputs, dependencies: [], propertyDependencies: {} },
        ];
        const f = judgeStack(rule("control-plane-ports-not-open-to-internet"), stack, effectiveConfig({}, {}));
        assert.equal(f.length, 1);
        assert.match(f[0].message, /allows\[0\], allows\[0\]\.ports = .*: 6443 open to 0\.0\.0\.0\/0/);
    });
    /** What a preview reports for these resources: Analyze of each, then AnalyzeStack of all of them. */
    const preview = (policy: string, names: string[]) => {
        const rs = names.map(inputsOf);
        const stack: StackResource[] = rs.map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.inputs,
            dependencies: [],
            propertyDependencies: {},
        }));
        return {
            analyze: rs.map((r) => verdict(policy, r.type, r.inputs)),
            stack: judgeStack(rule(policy), stack, effectiveConfig({}, {})),
        };
    };
    it("an NSG's inline allow of * on 6443 after a separate priority-100 deny of Internet (azure-native) passes", () => {
        const p = preview("control-plane-ports-not-open-to-internet", ["nsg-hardened", "deny-internet-api-hardened"]);
        assert.equal(inputsOf("deny-internet-api-hardened").type, "azure-native:network:SecurityRule");
        assert.deepEqual(p.analyze, ["pass", "pass"]);
        assert.deepEqual(p.stack, []);
    });
    it("the same NSG with the separate deny at priority 300 fails at stack level, on the NSG's inline rule", () => {
        const p = preview("control-plane-ports-not-open-to-internet", ["nsg-insecure", "deny-internet-api-insecure"]);
        assert.deepEqual(p.analyze, ["pass", "pass"]);
        assert.deepEqual(
            p.stack.map((f) => [f.level, f.urn.split("::").pop()]),
            [["policy", "nsg-insecure"]],
        );
        assert.match(p.stack[0].message, /securityRules\[0\] "allow-api-any", .*: 6443 open to/);
    });
    it("nsg (inline allow of * on 6443, no deny) passes Analyze and fails AnalyzeStack", () => {
        const p = preview("control-plane-ports-not-open-to-internet", ["nsg"]);
        assert.deepEqual(p.analyze, ["pass"]);
        assert.deepEqual(
            p.stack.map((f) => f.level),
            ["policy"],
        );
    });
    /**
     * The aws-native EKS program's stack, with the dependencies the engine records for it: the cluster's
     * resourcesVpcConfig depends on the group, the rule's groupId on the cluster (its clusterSecurityGroupId output).
     */
    const cfnStack = (kind: string): StackResource[] => {
        const [sg, cluster, ingress] = [`cfn-eks-sg-${kind}`, `cfn-eks-${kind}`, `cfn-eks-https-${kind}`].map(inputsOf);
        const r = (x: typeof sg, deps: Record<string, string[]>): StackResource => ({
            type: x.type,
            name: x.name,
            urn: x.urn,
            props: x.inputs,
            dependencies: Object.values(deps).flat(),
            propertyDependencies: deps,
        });
        return [r(sg, {}), r(cluster, { resourcesVpcConfig: [sg.urn] }), r(ingress, { groupId: [cluster.urn] })];
    };
    it("aws-native EKS: the cluster's group and the rule on its cluster security group open 443 to the world (stack)", () => {
        assert.equal(inputsOf("cfn-eks-open").type, "aws-native:eks:Cluster");
        assert.equal(inputsOf("cfn-eks-https-open").type, "aws-native:ec2:SecurityGroupIngress");
        const stack = cfnStack("open");
        // Per resource, 443 is no control-plane port: only the join with the cluster makes it one.
        for (const x of stack)
            assert.equal(
                verdict("control-plane-ports-not-open-to-internet", x.type, x.props as Record<string, unknown>),
                "pass",
            );
        const f = judgeStack(rule("control-plane-ports-not-open-to-internet"), stack, effectiveConfig({}, {}));
        assert.deepEqual(f.map((x) => x.urn.split("::").pop()).sort(), ["cfn-eks-https-open", "cfn-eks-sg-open"]);
        assert.match(
            f.find((x) => x.urn.endsWith("cfn-eks-sg-open"))!.message,
            /attached to EKS cluster "cfn-eks-open"/,
        );
        assert.match(f.find((x) => x.urn.endsWith("cfn-eks-https-open"))!.message, /443 open to ::\/0 .*\(groupId\)/);
    });
    it("aws-native EKS hardened: the same program admitting 443 from the VPC only passes at stack level", () => {
        assert.deepEqual(
            judgeStack(rule("control-plane-ports-not-open-to-internet"), cfnStack("vpc"), effectiveConfig({}, {})),
            [],
        );
    });
    const cases: [string, string, "violation" | "pass"][] = [
        ["anon-list", "rbac-binding-anonymous-subjects-forbidden", "violation"],
        ["dashboard-admin", "rbac-cluster-admin-bound-to-system-masters-only", "violation"],
        ["kubernetes-nodeport", "kube-apiserver-service-not-exposed", "violation"],
        ["k8s-world", "control-plane-ports-not-open-to-internet", "violation"],
        ["k8s-vpc", "control-plane-ports-not-open-to-internet", "pass"],
        ["cfn-world", "control-plane-ports-not-open-to-internet", "violation"],
        ["cfn-prefix-list", "control-plane-ports-not-open-to-internet", "pass"],
    ];
    verdictTable(registered, cases);
});
