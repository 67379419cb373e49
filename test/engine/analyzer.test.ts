// The pack launched as the Pulumi CLI launches it (run-policy-pack in the pack's folder) and driven over
// the pulumirpc.Analyzer gRPC protocol: GetAnalyzerInfo, Configure, Analyze, AnalyzeStack.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import { AnalyzerClient, AnalyzerInfo } from "../../client/analyzer";
import { RULES } from "../../policies";

const PACK = path.resolve(__dirname, "../../..");
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";

const openEks = { name: "open", roleArn: "arn:aws:iam::1:role/r", vpcConfig: { subnetIds: ["s"] } };
const privateEks = {
    name: "private", roleArn: "arn:aws:iam::1:role/r",
    vpcConfig: { subnetIds: ["s"], endpointPublicAccess: false, endpointPrivateAccess: true },
    enabledClusterLogTypes: ["api", "audit", "authenticator"],
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:1:key/k" } },
    accessConfig: { authenticationMode: "API" },
};
const EKS = "aws:eks/cluster:Cluster";

describe("engine: the pack under the real launcher", () => {
    let client: AnalyzerClient;
    let info: AnalyzerInfo;
    before(async () => {
        client = await AnalyzerClient.start(PACK);
        info = await client.info();
    });
    after(async () => { await client?.stop(); });

    it("GetAnalyzerInfo lists every rule with its metadata, and the pack-wide settings policy first", () => {
        assert.equal(info.name, "kube-api-guard");
        assert.equal(info.policies[0].name, "pack-wide-settings");
        const byName = new Map(info.policies.map((p) => [p.name, p]));
        for (const r of RULES) {
            const p = byName.get(r.id);
            assert.ok(p, `policy ${r.id} missing`);
            assert.equal(p.severity, r.severity);
            assert.equal(p.enforcementLevel, r.enforcement);
            assert.equal(p.remediationSteps, r.remediation);
            assert.equal(p.url, r.url);
            assert.ok(p.tags.length > 0);
            assert.ok(p.configSchema?.properties.exemptions, `${r.id} has no exemptions schema`);
            if (r.cis.length > 0) {
                assert.equal(p.framework?.reference, r.cis[0].id);
                assert.match(p.framework?.name ?? "", /^CIS /);
                assert.ok((p.framework?.specification ?? "").length > 10);
            }
        }
        const endpoint = byName.get("cluster-public-endpoint-authorized-networks-only")!;
        assert.ok(endpoint.configSchema?.properties.allowedCidrs);
        assert.ok(byName.get("resource-inputs-inspectable"));
    });

    it("Analyze reports an open EKS endpoint as mandatory and passes a private one", async () => {
        await client.configure({});
        const open = await client.analyze({ type: EKS, name: "open", props: openEks });
        const d = open.find((x) => x.policyName === "cluster-public-endpoint-authorized-networks-only");
        assert.ok(d);
        assert.equal(d.enforcementLevel, "mandatory");
        assert.equal(d.severity, "critical");
        assert.match(d.message, /aws:eks\/cluster:Cluster "open": vpcConfig\.publicAccessCidrs \(not set\) → \[0\.0\.0\.0\/0\]/);
        const priv = await client.analyze({ type: EKS, name: "private", props: privateEks });
        assert.deepEqual(priv.map((x) => x.policyName), []);
    });

    it("Configure: enforcement levels and per-policy config are honoured", async () => {
        await client.configure({
            "cluster-public-endpoint-authorized-networks-only": { enforcementLevel: "advisory", allowedCidrs: ["0.0.0.0/0"] },
            "eks-authentication-mode-not-config-map": "disabled",
        });
        const open = await client.analyze({ type: EKS, name: "open", props: openEks });
        const names = open.map((x) => x.policyName);
        assert.ok(!names.includes("cluster-public-endpoint-authorized-networks-only"), "allowedCidrs 0.0.0.0/0 should accept the default");
        assert.ok(!names.includes("eks-authentication-mode-not-config-map"), "disabled policy reported");
        assert.ok(names.includes("cluster-audit-logging-enabled"));
        await client.configure({ all: "mandatory" });
        const strict = await client.analyze({ type: EKS, name: "open", props: openEks });
        assert.ok(strict.every((x) => x.enforcementLevel === "mandatory"));
    });

    it("pack-wide exemptions apply to every policy and show their reason", async () => {
        await client.configure({ "pack-wide-settings": { exemptions: [{ resource: "open", reason: "sandbox account, expires 2027-01" }] } });
        const open = await client.analyze({ type: EKS, name: "open", props: openEks });
        assert.ok(open.length > 0);
        for (const d of open) {
            assert.equal(d.enforcementLevel, "advisory", d.policyName);
            assert.match(d.message, /reason: sandbox account, expires 2027-01/);
        }
        const other = await client.analyze({ type: EKS, name: "other", props: openEks });
        assert.ok(other.some((d) => d.enforcementLevel === "mandatory"));
        await client.configure({});
    });

    it("unknown values during preview give one advisory per affected policy, never a crash or a false verdict", async () => {
        await client.configure({});
        const props = { ...privateEks, vpcConfig: { subnetIds: [UNKNOWN_STRING], endpointPublicAccess: UNKNOWN_BOOL } };
        const ds = await client.analyze({ type: EKS, name: "preview", props });
        assert.deepEqual(ds.map((d) => d.policyName), ["cluster-public-endpoint-authorized-networks-only"]);
        assert.equal(ds[0].enforcementLevel, "advisory");
        assert.match(ds[0].message, /could not judge .* vpcConfig\.endpointPublicAccess decides whether the endpoint is public and is not known yet/);
        assert.doesNotMatch(ds[0].message, /can't run policy/);
    });

    it("wrong types and odd shapes never fail the preview", async () => {
        const shapes: Record<string, unknown>[] = [
            { vpcConfig: "nonsense" },
            { vpcConfig: { publicAccessCidrs: [1, 2, { a: 1 }] } },
            { encryptionConfig: [{ provider: { keyArn: 42 }, resources: "secrets" }] },
            { enabledClusterLogTypes: { api: true } },
            { accessConfig: [] },
        ];
        for (const props of shapes) {
            const ds = await client.analyze({ type: EKS, name: "odd", props });
            assert.ok(Array.isArray(ds));
        }
        for (const type of ["gcp:container/cluster:Cluster", "azure-native:containerservice/v20230102:ManagedCluster", "azure:containerservice/kubernetesCluster:KubernetesCluster"]) {
            const ds = await client.analyze({ type, name: "odd", props: { masterAuthorizedNetworksConfig: 7, apiServerAccessProfile: "x", privateClusterEnabled: "maybe" } });
            assert.ok(ds.length > 0, type);
        }
    });

    it("AnalyzeStack answers for a whole stack", async () => {
        const ds = await client.analyzeStack([
            { type: EKS, name: "open", props: openEks },
            { type: "aws:s3/bucket:Bucket", name: "b", props: { bucket: "b" } },
        ]);
        assert.ok(Array.isArray(ds));
    });

    it("user data is decoded and judged through Analyze, and what cannot be read is one advisory", async () => {
        await client.configure({});
        const nodeadm = ["MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="B"', "", "--B", "Content-Type: application/node.eks.aws", "",
            "apiVersion: node.eks.aws/v1alpha1", "kind: NodeConfig", "spec:", "  kubelet:", "    config:", "      readOnlyPort: 10255", "      authentication:",
            "        anonymous:", "          enabled: true", "", "--B--", ""].join("\n");
        const ds = await client.analyze({ type: "aws:ec2/launchTemplate:LaunchTemplate", name: "workers", props: { userData: Buffer.from(nodeadm).toString("base64") } });
        const ro = ds.find((d) => d.policyName === "kubelet-read-only-port-disabled");
        assert.ok(ro, ds.map((d) => d.policyName).join(","));
        assert.equal(ro.enforcementLevel, "mandatory");
        assert.match(ro.message, /user data \(userData\), MIME part 1 \(application\/node\.eks\.aws\), NodeConfig spec\.kubelet\.config readOnlyPort = 10255/);
        assert.ok(ds.some((d) => d.policyName === "kubelet-anonymous-auth-disabled"));

        const { gzipSync } = await import("zlib");
        const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024)).toString("base64");
        const notes = await client.analyze({ type: "aws:ec2/instance:Instance", name: "bomb", props: { userDataBase64: bomb } });
        assert.deepEqual(notes.map((d) => d.policyName), ["resource-inputs-inspectable"]);
        assert.equal(notes[0].enforcementLevel, "advisory");
        assert.match(notes[0].message, /possible gzip bomb/);

        const etcd = await client.analyze({ type: "kubernetes:core/v1:Pod", name: "etcd", props: { spec: { containers: [{ name: "etcd", image: "registry.k8s.io/etcd:3.5.12-0", command: ["/usr/local/bin/etcd", "--client-cert-auth=false"] }] } } });
        assert.ok(etcd.some((d) => d.policyName === "etcd-client-cert-auth-enabled" && /container "etcd", --client-cert-auth = false/.test(d.message)));
    });

    it("AnalyzeStack joins resources: a wildcard role and its binding, an AKS cluster and its diagnostic settings, a security group and its EKS cluster", async () => {
        await client.configure({});
        const u = (type: string, name: string) => `urn:pulumi:dev::demo::${type}::${name}`;
        const role = { type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", name: "all", props: { metadata: { name: "all" }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] } };
        const bind = { type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", name: "all-authenticated", props: { metadata: { name: "x" }, roleRef: { kind: "ClusterRole", name: "all" }, subjects: [{ kind: "Group", name: "system:authenticated" }] } };
        const aks = { type: "azure-native:containerservice:ManagedCluster", name: "aks", props: { resourceName: "aks", apiServerAccessProfile: { enablePrivateCluster: true } } };
        const sg = { type: "aws:ec2/securityGroup:SecurityGroup", name: "cluster-sg", props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] } };
        const eks = { type: "aws:eks/cluster:Cluster", name: "prod", props: { vpcConfig: { securityGroupIds: ["sg-1"], endpointPublicAccess: false } }, propertyDependencies: { vpcConfig: [u(sg.type, sg.name)] } };
        const ds = await client.analyzeStack([role, bind, aks, sg, eks]);
        const by = (policy: string) => ds.filter((d) => d.policyName === policy);
        assert.equal(by("rbac-wildcard-role-not-bound-to-broad-groups")[0]?.urn, u(bind.type, bind.name));
        assert.match(by("rbac-wildcard-role-not-bound-to-broad-groups")[0].message, /joined with ClusterRole "all"/);
        assert.equal(by("cluster-audit-logging-enabled")[0]?.urn, u(aks.type, aks.name));
        const port = by("control-plane-ports-not-open-to-internet")[0];
        assert.equal(port?.urn, u(sg.type, sg.name));
        assert.match(port.message, /443 open to 0\.0\.0\.0\/0 \(security group "cluster-sg" attached to EKS cluster "prod"\)/);
        assert.equal(port.enforcementLevel, "mandatory");
    });

    it("AnalyzeStack joins an EKS node group with its launch template through the engine's property dependencies", async () => {
        await client.configure({});
        const u = (type: string, name: string) => `urn:pulumi:dev::demo::${type}::${name}`;
        const script = ["MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="//"', "", "--//", "Content-Type: text/x-shellscript", "",
            "sed -i '/^KUBELET_EXTRA_ARGS=/a KUBELET_EXTRA_ARGS+=\" --anonymous-auth=true\"' /etc/eks/bootstrap.sh", "--//--", ""].join("\n");
        const lt = { type: "aws:ec2/launchTemplate:LaunchTemplate", name: "workers-lt", props: { userData: Buffer.from(script).toString("base64") } };
        const ng = {
            type: "aws:eks/nodeGroup:NodeGroup", name: "workers",
            props: { clusterName: "prod", amiType: "AL2023_x86_64_STANDARD", launchTemplate: { id: UNKNOWN_STRING, version: UNKNOWN_STRING } },
            dependencies: [u(lt.type, lt.name)], propertyDependencies: { launchTemplate: [u(lt.type, lt.name)] },
        };
        const ds = await client.analyzeStack([lt, ng]);
        const anon = ds.filter((d) => d.policyName === "kubelet-anonymous-auth-disabled");
        assert.deepEqual(anon.map((d) => d.urn), [u(ng.type, ng.name)]);
        assert.equal(anon[0].enforcementLevel, "mandatory");
        assert.match(anon[0].message, /NodeGroup "workers": joined with launch template "workers-lt" \(by launchTemplate; EKS supplies the AMI\), user data \(userData\), MIME part 1 \(text\/x-shellscript\), line 1 sed -i \/etc\/eks\/bootstrap\.sh, KUBELET_EXTRA_ARGS added to \/etc\/eks\/bootstrap\.sh \(.*\): --anonymous-auth = true/);
        // The launch template alone is judged in Analyze, as before.
        const alone = await client.analyze(lt);
        assert.ok(alone.some((d) => d.policyName === "kubelet-anonymous-auth-disabled"));
    });

    it("resources the pack does not read get no diagnostics", async () => {
        const ds = await client.analyze({ type: "aws:s3/bucket:Bucket", name: "b", props: { bucket: "b", acl: "public-read" } });
        assert.deepEqual(ds, []);
    });
});

describe("engine: the direct answer for resources with nothing to judge", () => {
    // The same requests through the pack with and without the fast path must give the same diagnostics.
    const stack = [
        { type: "aws:s3/bucket:Bucket", name: "b", props: { bucket: "b" } },
        { type: "kubernetes:apps/v1:Deployment", name: "web", props: { spec: { template: { spec: { containers: [{ name: "web", image: "nginx", args: ["--port=80"] }] } } } } },
        { type: "kubernetes:core/v1:ConfigMap", name: "settings", props: { data: { LOG_LEVEL: "info" } } },
        { type: "aws:ec2/instance:Instance", name: "plain-vm", props: { userData: "#!/bin/bash\napt-get install -y nginx\n" } },
        { type: "aws:eks/cluster:Cluster", name: "open", props: openEks },
        { type: "kubernetes:core/v1:Pod", name: "etcd", props: { spec: { containers: [{ name: "etcd", command: ["etcd", "--client-cert-auth=false"] }] } } },
        { type: "aws:ec2/instance:Instance", name: "preview-vm", props: { userData: UNKNOWN_STRING } },
    ];
    it("answers exactly what the full policy run answers", async () => {
        const fast = await AnalyzerClient.start(PACK);
        const full = await AnalyzerClient.start(PACK, { env: { KUBE_API_GUARD_NO_FAST_PATH: "1" } });
        try {
            for (const c of [fast, full]) await c.configure({});
            for (const r of stack) {
                const a = (await fast.analyze(r)).map((d) => `${d.policyName}|${d.enforcementLevel}|${d.message}`).sort();
                const b = (await full.analyze(r)).map((d) => `${d.policyName}|${d.enforcementLevel}|${d.message}`).sort();
                assert.deepEqual(a, b, r.name);
            }
            assert.ok((await fast.analyze(stack[4])).length > 0, "a judged resource still gets its diagnostics");
            assert.ok((await fast.analyze(stack[6])).some((d) => d.policyName === "resource-inputs-inspectable"));
        } finally {
            await fast.stop();
            await full.stop();
        }
    });
});
