// What the real CLI must show for the example stack (scripts/pulumi-cli/program.ts), shared by the suites and by
// the sabotage test, which runs the same assertion against a pack with one policy broken.
import * as assert from "node:assert/strict";
import * as path from "path";
import { Rendered, key } from "./harness";

/** Mandatory findings on the example's insecure resources: [policy, resource, type, severity, text in the message]. */
export const MANDATORY: [string, string, string, string, RegExp][] = [
    [
        "cluster-public-endpoint-authorized-networks-only",
        "eks-defaults",
        "aws:eks/cluster:Cluster",
        "critical",
        /vpcConfig\.publicAccessCidrs \(not set\) → \[0\.0\.0\.0\/0\]/,
    ],
    [
        "kubelet-read-only-port-disabled",
        "al2023-nodes",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "high",
        /MIME part 1 \(application\/node\.eks\.aws\), NodeConfig spec\.kubelet\.config readOnlyPort = 10255/,
    ],
    ["etcd-client-cert-auth-enabled", "etcd", "kubernetes:core/v1:Pod", "critical", /--client-cert-auth = false/],
    [
        "control-plane-ports-not-open-to-internet",
        "kubeadm-nodes",
        "aws:ec2/securityGroup:SecurityGroup",
        "critical",
        /ingress\[0\], fromPort\/toPort = 6443: 6443 open to 0\.0\.0\.0\/0/,
    ],
    [
        "rbac-binding-system-authenticated-restricted",
        "everyone-can-view",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        "high",
        /system:authenticated bound to ClusterRole "view"/,
    ],
    [
        "aks-rbac-enabled",
        "aks-no-rbac",
        "azure-native:containerservice:ManagedCluster",
        "critical",
        /enableRBAC = false/,
    ],
    // The managed node group "workers" boots this template; the two share one finding, on the template whose user
    // data sets the flag (providers/stack.ts, eksNodeGroupLinks).
    [
        "kubelet-anonymous-auth-disabled",
        "mng-workers",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "critical",
        /MIME part 1 \(text\/x-shellscript\), line 2 sed -i \/etc\/eks\/bootstrap\.sh.*--anonymous-auth = true/s,
    ],
    ["gke-legacy-abac-disabled", "gke-legacy", "gcp:container/cluster:Cluster", "high", /enableLegacyAbac = true/],
];

/** Hardened resources of the example: no mandatory finding may name them. */
export const HARDENED = ["eks-hardened", "eks-private", "kubeadm-config", "eks-api"];

/** The CLI's own rendering of the example's mandatory findings: level, severity, policy, type, resource and message. */
export function assertMandatoryFindings(found: Rendered[]): void {
    const keys = new Set(found.filter((d) => d.level === "mandatory").map(key));
    const missing = MANDATORY.filter(([policy, name]) => !keys.has(key({ policy, name }))).map(
        ([policy, name]) => `${policy} @ ${name}`,
    );
    assert.deepEqual(missing, [], `mandatory findings the CLI did not render:\n${missing.join("\n")}`);
    for (const [policy, name, type, severity, text] of MANDATORY) {
        const d = found.find((x) => x.level === "mandatory" && x.policy === policy && x.name === name)!;
        assert.equal(d.type, type, key(d));
        assert.equal(d.severity, severity, key(d));
        assert.match(d.message, text, key(d));
        assert.match(
            d.message,
            new RegExp(`${type.replace(/[/.]/g, "\\$&")} "${name}"`),
            `${key(d)} names its resource`,
        );
    }
    const wrong = found.filter((d) => d.level === "mandatory" && HARDENED.includes(d.name)).map(key);
    assert.deepEqual(wrong, [], "mandatory findings on hardened resources");
    const twice = found.filter((d) => d.name === "workers" && d.policy === "kubelet-anonymous-auth-disabled").map(key);
    assert.deepEqual(twice, [], "the node group repeats its launch template's finding");
}

export const PACK_HEADER = (root: string, version: string) =>
    new RegExp(
        `❌ kube-api-guard@v${version.replace(/\./g, "\\.")} \\(local: ${path.resolve(root).replace(/[/.]/g, "\\$&")}\\)`,
    );
