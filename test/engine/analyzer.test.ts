// The pack launched as the Pulumi CLI launches it (run-policy-pack in the pack's folder) and driven over
// the pulumirpc.Analyzer gRPC protocol: GetAnalyzerInfo, Configure, Analyze, AnalyzeStack.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import { AnalyzerClient, AnalyzerInfo, PolicyConfig } from "../../client/analyzer";
import { RULES } from "../../policies";
import { settingsByPolicy } from "../../pack/config";

const PACK = path.resolve(__dirname, "../../..");
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";

const openEks = { name: "open", roleArn: "arn:aws:iam::1:role/r", vpcConfig: { subnetIds: ["s"] } };
const privateEks = {
    name: "private",
    roleArn: "arn:aws:iam::1:role/r",
    vpcConfig: { subnetIds: ["s"], endpointPublicAccess: false, endpointPrivateAccess: true },
    enabledClusterLogTypes: ["api", "audit", "authenticator"],
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:1:key/k" } },
    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
};
const EKS = "aws:eks/cluster:Cluster";

describe("engine: the pack under the real launcher", () => {
    let client: AnalyzerClient;
    let info: AnalyzerInfo;
    before(async () => {
        client = await AnalyzerClient.start(PACK);
        info = await client.info();
    });
    after(async () => {
        await client?.stop();
    });

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
        const settings = settingsByPolicy(RULES);
        for (const p of info.policies) {
            assert.deepEqual(
                [...(settings.get(p.name) ?? [])].sort(),
                Object.keys(p.configSchema?.properties ?? {}).sort(),
                `scan checks ${p.name}'s settings as declared`,
            );
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
        assert.match(
            d.message,
            /aws:eks\/cluster:Cluster "open": vpcConfig\.publicAccessCidrs \(not set\) → \[0\.0\.0\.0\/0\]/,
        );
        const priv = await client.analyze({ type: EKS, name: "private", props: privateEks });
        assert.deepEqual(
            priv.map((x) => x.policyName),
            [],
        );
    });

    it("Configure: enforcement levels and per-policy config are honoured", async () => {
        await client.configure({
            "cluster-public-endpoint-authorized-networks-only": {
                enforcementLevel: "advisory",
                allowedCidrs: ["0.0.0.0/0"],
            },
            "eks-authentication-mode-not-config-map": "disabled",
        });
        const open = await client.analyze({ type: EKS, name: "open", props: openEks });
        const names = open.map((x) => x.policyName);
        assert.ok(
            !names.includes("cluster-public-endpoint-authorized-networks-only"),
            "allowedCidrs 0.0.0.0/0 should accept the default",
        );
        assert.ok(!names.includes("eks-authentication-mode-not-config-map"), "disabled policy reported");
        assert.ok(names.includes("cluster-audit-logging-enabled"));
        await client.configure({ all: "mandatory" });
        const strict = await client.analyze({ type: EKS, name: "open", props: openEks });
        assert.ok(strict.every((x) => x.enforcementLevel === "mandatory"));
    });

    it("pack-wide exemptions apply to every policy and show their reason", async () => {
        await client.configure({
            "pack-wide-settings": { exemptions: [{ resource: "open", reason: "sandbox account, expires 2027-01" }] },
        });
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

    it("pack-wide settings come from the Configure request: they apply with {all: disabled} and with the carrier disabled", async () => {
        const exemptions = [{ resource: "open", reason: "sandbox account (SEC-1)" }];
        const endpoint = "cluster-public-endpoint-authorized-networks-only";
        for (const config of <PolicyConfig[]>[
            { all: "disabled", "pack-wide-settings": { exemptions }, [endpoint]: "mandatory" },
            { "pack-wide-settings": { enforcementLevel: "disabled", exemptions } },
        ]) {
            await client.configure(config);
            const ds = await client.analyze({ type: EKS, name: "open", props: openEks });
            const d = ds.find((x) => x.policyName === endpoint);
            assert.ok(d, JSON.stringify(config));
            assert.equal(d.enforcementLevel, "advisory", JSON.stringify(config));
            assert.match(
                d.message,
                /exempted from cluster-public-endpoint-authorized-networks-only by resource "open"; reason: sandbox account \(SEC-1\)/,
            );
        }
    });

    it("a new Configure leaves nothing of the previous one: an exemption stops applying at once", async () => {
        await client.configure({
            "pack-wide-settings": { exemptions: [{ resource: "open", reason: "sandbox account" }] },
        });
        assert.ok(
            (await client.analyze({ type: EKS, name: "open", props: openEks })).every(
                (d) => d.enforcementLevel === "advisory",
            ),
        );
        await client.configure({ "pack-wide-settings": "disabled" });
        const after = await client.analyze({ type: EKS, name: "open", props: openEks });
        assert.ok(after.some((d) => d.enforcementLevel === "mandatory" && !/exempted/.test(d.message)));
        await client.configure({});
    });

    it("in-code exemptions: a tag with a reason exempts the named policies; an expired one does not and says so", async () => {
        await client.configure({});
        const endpoint = "cluster-public-endpoint-authorized-networks-only";
        const tagged = (value: string) => ({
            type: EKS,
            name: "tagged",
            props: { ...openEks, tags: { "kube-api-guard/exempt": value } },
        });
        const ok = await client.analyze(
            tagged(`${endpoint},eks-authentication-mode-not-config-map: public demo cluster, SEC-7 (until 2999-12-31)`),
        );
        const e = ok.find((d) => d.policyName === endpoint)!;
        assert.equal(e.enforcementLevel, "advisory");
        assert.match(
            e.message,
            /exempted from cluster-public-endpoint-authorized-networks-only by its tag "kube-api-guard\/exempt"; reason: public demo cluster, SEC-7 \(until 2999-12-31\)/,
        );
        assert.ok(
            ok.some((d) => d.policyName === "cluster-secrets-encryption-kms-enabled" && !/exempted/.test(d.message)),
            "other policies still apply",
        );

        const expired = await client.analyze(tagged(`${endpoint}: public demo cluster (until 2001-01-31)`));
        const x = expired.find((d) => d.policyName === endpoint)!;
        assert.equal(x.enforcementLevel, "mandatory");
        assert.match(
            x.message,
            /Not exempted: the exemption in its tag "kube-api-guard\/exempt" expired on 2001-01-31 \(its reason: public demo cluster\)\./,
        );

        const noReason = await client.analyze(tagged(endpoint));
        assert.equal(noReason.find((d) => d.policyName === endpoint)?.enforcementLevel, "mandatory");
        const note = noReason.find((d) => d.policyName === "resource-inputs-inspectable");
        assert.match(note?.message ?? "", /its tag "kube-api-guard\/exempt" is not applied: no reason/);
    });

    it("in-code exemptions: a GCP label in the restricted form, and a Kubernetes annotation, both apply", async () => {
        await client.configure({});
        const gke = {
            type: "gcp:container/cluster:Cluster",
            name: "gke",
            props: {
                enableLegacyAbac: true,
                resourceLabels: { "kube-api-guard-exempt": "gke-legacy-abac--migration-sec-9--until-2999-01-01" },
            },
        };
        const abac = (await client.analyze(gke)).find((d) => d.policyName === "gke-legacy-abac-disabled");
        assert.equal(abac?.enforcementLevel, "advisory");
        assert.match(
            abac?.message ?? "",
            /by its label "kube-api-guard-exempt"; reason: migration-sec-9 \(until 2999-01-01\)/,
        );
        const pod = {
            type: "kubernetes:core/v1:Pod",
            name: "etcd",
            props: {
                metadata: {
                    annotations: {
                        "kube-api-guard/exempt": "etcd-client-cert-auth-enabled: lab etcd behind a firewall",
                    },
                },
                spec: { containers: [{ name: "etcd", command: ["etcd", "--client-cert-auth=false"] }] },
            },
        };
        const etcd = (await client.analyze(pod)).find((d) => d.policyName === "etcd-client-cert-auth-enabled");
        assert.equal(etcd?.enforcementLevel, "advisory");
        assert.match(
            etcd?.message ?? "",
            /by its annotation "kube-api-guard\/exempt"; reason: lab etcd behind a firewall/,
        );
    });

    it("in-code exemptions apply to stack-level findings (AnalyzeStack) on the tagged resource only", async () => {
        await client.configure({});
        const aks = (name: string, tags?: Record<string, string>) => ({
            type: "azure-native:containerservice:ManagedCluster",
            name,
            urn: `urn:pulumi:dev::demo::azure-native:containerservice:ManagedCluster::${name}`,
            props: {
                resourceName: name,
                apiServerAccessProfile: { enablePrivateCluster: true },
                ...(tags ? { tags } : {}),
            },
        });
        const ds = await client.analyzeStack([
            aks("tagged", {
                "kube-api-guard-exempt": "cluster-audit-logging-enabled: logs go to the SIEM agent (until 2999-01-01)",
            }),
            aks("plain"),
        ]);
        const audit = ds.filter((d) => d.policyName === "cluster-audit-logging-enabled");
        const tagged = audit.find((d) => d.urn.endsWith("::tagged"));
        const plain = audit.find((d) => d.urn.endsWith("::plain"));
        assert.match(
            tagged?.message ?? "",
            /exempted from cluster-audit-logging-enabled by its tag "kube-api-guard-exempt"; reason: logs go to the SIEM agent/,
        );
        assert.ok(plain && !/exempted/.test(plain.message));
    });

    it("in-code exemptions can be turned off for an organisation, and the finding says the tag was ignored", async () => {
        const props = {
            ...openEks,
            tags: { "kube-api-guard/exempt": "cluster-public-endpoint-authorized-networks-only: demo" },
        };
        await client.configure({ "pack-wide-settings": { inCodeExemptions: "disabled" } });
        const off = (await client.analyze({ type: EKS, name: "t", props })).find(
            (d) => d.policyName === "cluster-public-endpoint-authorized-networks-only",
        );
        assert.equal(off?.enforcementLevel, "mandatory");
        assert.match(
            off?.message ?? "",
            /Not exempted: its tag "kube-api-guard\/exempt" asks for an exemption, but in-code exemptions are turned off/,
        );
        await client.configure({ "pack-wide-settings": { inCodeExemptions: "require-expiry" } });
        const strict = (await client.analyze({ type: EKS, name: "t", props })).find(
            (d) => d.policyName === "cluster-public-endpoint-authorized-networks-only",
        );
        assert.equal(strict?.enforcementLevel, "mandatory");
        assert.match(strict?.message ?? "", /has no expiry and the pack's configuration requires one/);
        await client.configure({});
    });

    it("inputs @pulumi/policy rejects (an empty StringAsset) are tolerated: Analyze and AnalyzeStack judge the rest", async () => {
        await client.configure({});
        const emptyAsset = { "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17", text: "" };
        const hashOnly = { "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17", hash: "e3b0c442" };
        const bucketObject = {
            type: "aws:s3/bucketObject:BucketObject",
            name: "obj",
            props: { bucket: "b", source: emptyAsset },
        };
        const eks = { type: EKS, name: "open", props: { ...openEks, extra: hashOnly } };
        assert.ok(
            (await client.analyze(eks)).some(
                (d) => d.policyName === "cluster-public-endpoint-authorized-networks-only",
            ),
        );
        assert.deepEqual(await client.analyze(bucketObject), []);
        const stack = await client.analyzeStack([
            bucketObject,
            eks,
            {
                type: "azure-native:containerservice:ManagedCluster",
                name: "aks",
                props: { apiServerAccessProfile: { enablePrivateCluster: true } },
            },
        ]);
        assert.ok(
            stack.some((d) => d.policyName === "cluster-audit-logging-enabled"),
            "the stack is judged",
        );
    });

    it("inputs nested deeper than 128 levels are cut before decoding (google-protobuf overflows at ~1,100): the rest is judged and the cut is one advisory", async () => {
        await client.configure({});
        let deep: Record<string, unknown> = { leaf: 1 };
        for (let i = 0; i < 300; i++) deep = { a: deep };
        const vm = {
            type: "aws:ec2/instance:Instance",
            name: "vm",
            props: { userData: "#!/bin/bash\nkubelet --anonymous-auth=true\n", tags: { x: "y" }, deep },
        };
        const ds = await client.analyze(vm);
        assert.ok(
            ds.some((d) => d.policyName === "kubelet-anonymous-auth-disabled" && d.enforcementLevel === "mandatory"),
        );
        assert.ok(
            ds.some(
                (d) =>
                    d.policyName === "resource-inputs-inspectable" &&
                    /nested more than 128 levels deep/.test(d.message),
            ),
        );
        const bucket = { type: "aws:s3/bucket:Bucket", name: "b", props: { deep } };
        assert.deepEqual(await client.analyze(bucket), []);
        const stack = await client.analyzeStack([bucket, vm]);
        assert.ok(Array.isArray(stack));
    });

    it("unknown values during preview give one advisory per affected policy, never a crash or a false verdict", async () => {
        await client.configure({});
        const props = { ...privateEks, vpcConfig: { subnetIds: [UNKNOWN_STRING], endpointPublicAccess: UNKNOWN_BOOL } };
        const ds = await client.analyze({ type: EKS, name: "preview", props });
        assert.deepEqual(
            ds.map((d) => d.policyName),
            ["cluster-public-endpoint-authorized-networks-only"],
        );
        assert.equal(ds[0].enforcementLevel, "advisory");
        assert.match(
            ds[0].message,
            /could not judge .* vpcConfig\.endpointPublicAccess decides whether the endpoint is public and is not known yet/,
        );
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
        for (const type of [
            "gcp:container/cluster:Cluster",
            "azure-native:containerservice/v20230102:ManagedCluster",
            "azure:containerservice/kubernetesCluster:KubernetesCluster",
        ]) {
            const ds = await client.analyze({
                type,
                name: "odd",
                props: {
                    masterAuthorizedNetworksConfig: 7,
                    apiServerAccessProfile: "x",
                    privateClusterEnabled: "maybe",
                },
            });
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
        const nodeadm = [
            "MIME-Version: 1.0",
            'Content-Type: multipart/mixed; boundary="B"',
            "",
            "--B",
            "Content-Type: application/node.eks.aws",
            "",
            "apiVersion: node.eks.aws/v1alpha1",
            "kind: NodeConfig",
            "spec:",
            "  kubelet:",
            "    config:",
            "      readOnlyPort: 10255",
            "      authentication:",
            "        anonymous:",
            "          enabled: true",
            "",
            "--B--",
            "",
        ].join("\n");
        const ds = await client.analyze({
            type: "aws:ec2/launchTemplate:LaunchTemplate",
            name: "workers",
            props: { userData: Buffer.from(nodeadm).toString("base64") },
        });
        const ro = ds.find((d) => d.policyName === "kubelet-read-only-port-disabled");
        assert.ok(ro, ds.map((d) => d.policyName).join(","));
        assert.equal(ro.enforcementLevel, "mandatory");
        assert.match(
            ro.message,
            /user data \(userData\), MIME part 1 \(application\/node\.eks\.aws\), NodeConfig spec\.kubelet\.config readOnlyPort = 10255/,
        );
        assert.ok(ds.some((d) => d.policyName === "kubelet-anonymous-auth-disabled"));

        const { gzipSync } = await import("zlib");
        const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024)).toString("base64");
        const notes = await client.analyze({
            type: "aws:ec2/instance:Instance",
            name: "bomb",
            props: { userDataBase64: bomb },
        });
        assert.deepEqual(
            notes.map((d) => d.policyName),
            ["resource-inputs-inspectable"],
        );
        assert.equal(notes[0].enforcementLevel, "advisory");
        assert.match(notes[0].message, /possible gzip bomb/);

        const etcd = await client.analyze({
            type: "kubernetes:core/v1:Pod",
            name: "etcd",
            props: {
                spec: {
                    containers: [
                        {
                            name: "etcd",
                            image: "registry.k8s.io/etcd:3.5.12-0",
                            command: ["/usr/local/bin/etcd", "--client-cert-auth=false"],
                        },
                    ],
                },
            },
        });
        assert.ok(
            etcd.some(
                (d) =>
                    d.policyName === "etcd-client-cert-auth-enabled" &&
                    /container "etcd", --client-cert-auth = false/.test(d.message),
            ),
        );
    });

    it("AnalyzeStack joins resources: a wildcard role and its binding, an AKS cluster and its diagnostic settings, a security group and its EKS cluster", async () => {
        await client.configure({});
        const u = (type: string, name: string) => `urn:pulumi:dev::demo::${type}::${name}`;
        const role = {
            type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
            name: "all",
            props: { metadata: { name: "all" }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] },
        };
        const bind = {
            type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
            name: "all-authenticated",
            props: {
                metadata: { name: "x" },
                roleRef: { kind: "ClusterRole", name: "all" },
                subjects: [{ kind: "Group", name: "system:authenticated" }],
            },
        };
        const aks = {
            type: "azure-native:containerservice:ManagedCluster",
            name: "aks",
            props: { resourceName: "aks", apiServerAccessProfile: { enablePrivateCluster: true } },
        };
        const sg = {
            type: "aws:ec2/securityGroup:SecurityGroup",
            name: "cluster-sg",
            props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] },
        };
        const eks = {
            type: "aws:eks/cluster:Cluster",
            name: "prod",
            props: { vpcConfig: { securityGroupIds: ["sg-1"], endpointPublicAccess: false } },
            propertyDependencies: { vpcConfig: [u(sg.type, sg.name)] },
        };
        const ds = await client.analyzeStack([role, bind, aks, sg, eks]);
        const by = (policy: string) => ds.filter((d) => d.policyName === policy);
        assert.equal(by("rbac-wildcard-role-not-bound-to-broad-groups")[0]?.urn, u(bind.type, bind.name));
        assert.match(by("rbac-wildcard-role-not-bound-to-broad-groups")[0].message, /joined with ClusterRole "all"/);
        assert.equal(by("cluster-audit-logging-enabled")[0]?.urn, u(aks.type, aks.name));
        const port = by("control-plane-ports-not-open-to-internet")[0];
        assert.equal(port?.urn, u(sg.type, sg.name));
        assert.match(
            port.message,
            /443 open to 0\.0\.0\.0\/0 \(security group "cluster-sg" attached to EKS cluster "prod"\)/,
        );
        assert.equal(port.enforcementLevel, "mandatory");
    });

    it("an EKS node group and its launch template share one finding, on the template (Analyze), not repeated by AnalyzeStack", async () => {
        await client.configure({});
        const u = (type: string, name: string) => `urn:pulumi:dev::demo::${type}::${name}`;
        const script = [
            "MIME-Version: 1.0",
            'Content-Type: multipart/mixed; boundary="//"',
            "",
            "--//",
            "Content-Type: text/x-shellscript",
            "",
            "sed -i '/^KUBELET_EXTRA_ARGS=/a KUBELET_EXTRA_ARGS+=\" --anonymous-auth=true\"' /etc/eks/bootstrap.sh",
            "--//--",
            "",
        ].join("\n");
        const lt = {
            type: "aws:ec2/launchTemplate:LaunchTemplate",
            name: "workers-lt",
            props: { userData: Buffer.from(script).toString("base64") },
        };
        const ng = {
            type: "aws:eks/nodeGroup:NodeGroup",
            name: "workers",
            props: {
                clusterName: "prod",
                amiType: "AL2023_x86_64_STANDARD",
                launchTemplate: { id: UNKNOWN_STRING, version: UNKNOWN_STRING },
            },
            dependencies: [u(lt.type, lt.name)],
            propertyDependencies: { launchTemplate: [u(lt.type, lt.name)] },
        };
        const ds = await client.analyzeStack([lt, ng]);
        // Joined through the launchTemplate property dependency, the verdict is the template's own: no second finding.
        assert.deepEqual(
            ds.filter((d) => d.policyName === "kubelet-anonymous-auth-disabled"),
            [],
        );
        const alone = (await client.analyze(lt)).filter((d) => d.policyName === "kubelet-anonymous-auth-disabled");
        assert.equal(alone.length, 1);
        assert.equal(alone[0].enforcementLevel, "mandatory");
        assert.match(
            alone[0].message,
            /LaunchTemplate "workers-lt": user data \(userData\), MIME part 1 \(text\/x-shellscript\), .*\/etc\/eks\/bootstrap\.sh.*--anonymous-auth = true/,
        );
    });

    it("resources the pack does not read get no diagnostics", async () => {
        const ds = await client.analyze({
            type: "aws:s3/bucket:Bucket",
            name: "b",
            props: { bucket: "b", acl: "public-read" },
        });
        assert.deepEqual(ds, []);
    });
});

describe("engine: the direct answer for resources with nothing to judge", () => {
    // The same requests through the pack with and without the fast path must give the same diagnostics.
    const stack = [
        { type: "aws:s3/bucket:Bucket", name: "b", props: { bucket: "b" } },
        {
            type: "kubernetes:apps/v1:Deployment",
            name: "web",
            props: {
                spec: { template: { spec: { containers: [{ name: "web", image: "nginx", args: ["--port=80"] }] } } },
            },
        },
        { type: "kubernetes:core/v1:ConfigMap", name: "settings", props: { data: { LOG_LEVEL: "info" } } },
        {
            type: "aws:ec2/instance:Instance",
            name: "plain-vm",
            props: { userData: "#!/bin/bash\napt-get install -y nginx\n" },
        },
        { type: "aws:eks/cluster:Cluster", name: "open", props: openEks },
        {
            type: "kubernetes:core/v1:Pod",
            name: "etcd",
            props: { spec: { containers: [{ name: "etcd", command: ["etcd", "--client-cert-auth=false"] }] } },
        },
        { type: "aws:ec2/instance:Instance", name: "preview-vm", props: { userData: UNKNOWN_STRING } },
    ];
    it("answers exactly what the full policy run answers", async () => {
        const fast = await AnalyzerClient.start(PACK);
        const full = await AnalyzerClient.start(PACK, { env: { KUBE_API_GUARD_NO_FAST_PATH: "1" } });
        try {
            for (const c of [fast, full]) await c.configure({});
            for (const r of stack) {
                const a = (await fast.analyze(r))
                    .map((d) => `${d.policyName}|${d.enforcementLevel}|${d.message}`)
                    .sort();
                const b = (await full.analyze(r))
                    .map((d) => `${d.policyName}|${d.enforcementLevel}|${d.message}`)
                    .sort();
                assert.deepEqual(a, b, r.name);
            }
            assert.ok((await fast.analyze(stack[4])).length > 0, "a judged resource still gets its diagnostics");
            // Levels, disabled policies, per-policy settings and exemptions: the direct policy run (engine/direct.ts)
            // and the response written as bytes (engine/response-wire.ts) answer every field as the engine does.
            const configs: PolicyConfig[] = [
                { all: "remediate" },
                {
                    "cluster-audit-logging-enabled": "disabled",
                    "cluster-public-endpoint-authorized-networks-only": {
                        enforcementLevel: "mandatory",
                        allowedCidrs: ["0.0.0.0/0"],
                    },
                },
                { "pack-wide-settings": { exemptions: [{ resource: "open", reason: "sandbox ☸ (SEC-1)" }] } },
            ];
            for (const config of configs) {
                for (const c of [fast, full]) await c.configure(config);
                for (const r of stack) {
                    const all = async (c: AnalyzerClient) =>
                        (await c.analyze(r)).map((d) => JSON.stringify(d, Object.keys(d).sort())).sort();
                    assert.deepEqual(await all(fast), await all(full), `${r.name} ${JSON.stringify(config)}`);
                }
            }
            assert.ok((await fast.analyze(stack[6])).some((d) => d.policyName === "resource-inputs-inspectable"));
        } finally {
            await fast.stop();
            await full.stop();
        }
    });
});
