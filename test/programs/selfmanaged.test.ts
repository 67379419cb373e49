// Self-managed nodes written with the real SDK classes (@pulumi/aws, @pulumi/gcp, @pulumi/azure-native,
// @pulumi/kubernetes, @pulumi/command) under mocks: the inputs they register carry user data, manifests and
// commands exactly as the engine sends them, and the pack reads the settings out of them.
import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { effectiveConfig } from "../../pack/config";
import { judgeStack } from "../../pack/judge";
import { linkStack, type StackResource } from "../../providers/stack";
import { rule, verdict } from "../helpers";
import { inputsOf as inputsOfIn, recordRegistrations, settle, verdictTable } from "./mocks";

const registered = recordRegistrations();

const nodeadm = (readOnlyPort: number) =>
    [
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="BOUNDARY"',
        "",
        "--BOUNDARY",
        "Content-Type: application/node.eks.aws",
        "",
        "---",
        "apiVersion: node.eks.aws/v1alpha1",
        "kind: NodeConfig",
        "spec:",
        "  cluster:",
        "    name: prod",
        "    apiServerEndpoint: https://example.com",
        "    certificateAuthority: Zm9v",
        "    cidr: 10.100.0.0/16",
        "  kubelet:",
        "    config:",
        `      readOnlyPort: ${readOnlyPort}`,
        "",
        "--BOUNDARY--",
        "",
    ].join("\n");

const kubeletConfigMap = (anonymous: boolean) =>
    [
        "apiVersion: kubelet.config.k8s.io/v1beta1",
        "kind: KubeletConfiguration",
        "authentication:",
        "  anonymous:",
        `    enabled: ${anonymous}`,
        "authorization:",
        "  mode: Webhook",
    ].join("\n");

const inputsOf = (name: string) => inputsOfIn(registered, name);

describe("self-managed programs under mocks", () => {
    before(async () => {
        const ec2 = await import("@pulumi/aws/ec2");
        const eks = await import("@pulumi/aws/eks");
        const compute = await import("@pulumi/gcp/compute");
        const azureCompute = await import("@pulumi/azure-native/compute");
        const k8s = await import("@pulumi/kubernetes");
        const command = await import("@pulumi/command");
        // An EKS managed node group whose launch template adds a kubelet flag the way such templates do
        // (managed node groups run bootstrap.sh themselves, so the template appends to it).
        const mngTemplate = new ec2.LaunchTemplate("mng-lt", {
            name: "mng-workers",
            userData: Buffer.from(
                [
                    "MIME-Version: 1.0",
                    'Content-Type: multipart/mixed; boundary="//"',
                    "",
                    "--//",
                    'Content-Type: text/x-shellscript; charset="us-ascii"',
                    "",
                    "#!/bin/bash",
                    "cat <<'EKS_BOOTSTRAP_EOF' >> /etc/eks/bootstrap.sh",
                    'export KUBELET_EXTRA_ARGS="${KUBELET_EXTRA_ARGS} --read-only-port=10255"',
                    "EKS_BOOTSTRAP_EOF",
                    "--//--",
                    "",
                ].join("\n"),
            ).toString("base64"),
        });
        const resources: pulumi.Resource[] = [
            mngTemplate,
            new eks.NodeGroup("mng", {
                clusterName: "prod",
                nodeRoleArn: "arn:aws:iam::1:role/node",
                subnetIds: ["subnet-1"],
                amiType: "AL2_x86_64",
                scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 3 },
                launchTemplate: { name: mngTemplate.name, version: "$Latest" },
            }),
            new ec2.LaunchTemplate("lt-open", { userData: Buffer.from(nodeadm(10255)).toString("base64") }),
            new ec2.LaunchTemplate("lt-closed", { userData: Buffer.from(nodeadm(0)).toString("base64") }),
            new compute.Instance("gce-open", {
                machineType: "e2-standard-4",
                zone: "europe-west1-b",
                bootDisk: { initializeParams: { image: "ubuntu-os-cloud/ubuntu-2204-lts" } },
                networkInterfaces: [{ network: "default" }],
                metadataStartupScript:
                    "#!/bin/bash\ncat <<'EOF' > /etc/default/kubelet\nKUBELET_EXTRA_ARGS=\"--anonymous-auth=true\"\nEOF\nkubeadm join 10.0.0.10:6443 --token abc.def\n",
            }),
            new azureCompute.VirtualMachine("vm-open", {
                resourceGroupName: "rg",
                osProfile: {
                    computerName: "n1",
                    adminUsername: "azureuser",
                    customData: Buffer.from(
                        "#!/bin/bash\n/usr/bin/kubelet --read-only-port=10255 --kubeconfig=/etc/k.conf\n",
                    ).toString("base64"),
                },
            }),
            new k8s.core.v1.Pod("etcd-open", {
                metadata: { name: "etcd", namespace: "kube-system" },
                spec: {
                    containers: [
                        {
                            name: "etcd",
                            image: "registry.k8s.io/etcd:3.5.12-0",
                            command: ["etcd", "--client-cert-auth=false", "--cert-file=/a", "--key-file=/b"],
                        },
                    ],
                },
            }),
            new k8s.core.v1.ConfigMap("kubelet-config-open", {
                metadata: { name: "kubelet-config", namespace: "kube-system" },
                data: { kubelet: kubeletConfigMap(true) },
            }),
            new k8s.core.v1.ConfigMap("kubelet-config-closed", {
                metadata: { name: "kubelet-config", namespace: "kube-system" },
                data: { kubelet: kubeletConfigMap(false) },
            }),
            new command.remote.Command("init-open", {
                connection: { host: "10.0.0.10", user: "ubuntu" },
                create: "cat <<'EOF' > /root/kubeadm.yaml\napiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - name: authorization-mode\n    value: AlwaysAllow\nEOF\nkubeadm init --config /root/kubeadm.yaml\n",
            }),
        ];
        await settle(resources);
    });

    const cases: [string, string, "violation" | "pass"][] = [
        ["mng-lt", "kubelet-read-only-port-disabled", "violation"],
        ["lt-open", "kubelet-read-only-port-disabled", "violation"],
        ["lt-closed", "kubelet-read-only-port-disabled", "pass"],
        ["lt-closed", "kubelet-anonymous-auth-disabled", "pass"],
        ["gce-open", "kubelet-anonymous-auth-disabled", "violation"],
        ["gce-open", "kubelet-authorization-mode-not-always-allow", "pass"],
        ["vm-open", "kubelet-read-only-port-disabled", "violation"],
        ["vm-open", "kubelet-authorization-mode-not-always-allow", "violation"],
        ["etcd-open", "etcd-client-cert-auth-enabled", "violation"],
        ["etcd-open", "etcd-cert-file-and-key-file-set", "pass"],
        ["kubelet-config-open", "kubelet-anonymous-auth-disabled", "violation"],
        ["kubelet-config-closed", "kubelet-anonymous-auth-disabled", "pass"],
        ["init-open", "kube-apiserver-authorization-mode-not-always-allow", "violation"],
        ["init-open", "kube-apiserver-authorization-mode-includes-node", "violation"],
    ];
    verdictTable(registered, cases);

    it("an EKS node group is joined with its launch template at stack level (real @pulumi/aws inputs)", () => {
        const stack: StackResource[] = registered.map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.inputs,
            dependencies: [],
            propertyDependencies: {},
        }));
        assert.equal(inputsOf("mng").type, "aws:eks/nodeGroup:NodeGroup");
        // The node group and its template share one finding: the template's own (Analyze); the join adds none.
        const joined = linkStack(stack).filter(
            (x) =>
                x.urn === inputsOf("mng-lt").urn &&
                /as EKS node group "mng" boots it \(by launchTemplate\.name; EKS supplies the AMI\)/.test(
                    x.subject.location,
                ),
        );
        assert.equal(joined.length, 1);
        assert.equal(joined[0].subject.settings["kubelet.readOnlyPort"].value, 10255);
        assert.deepEqual(
            judgeStack(rule("kubelet-read-only-port-disabled"), stack, effectiveConfig({}, {})).filter((x) =>
                /mng/.test(x.urn),
            ),
            [],
        );
        assert.equal(
            verdict("kubelet-read-only-port-disabled", inputsOf("mng-lt").type, inputsOf("mng-lt").inputs),
            "violation",
        );
        const kernel = judgeStack(
            rule("kubelet-protect-kernel-defaults-enabled"),
            stack,
            effectiveConfig({}, {}),
        ).filter((x) => /mng/.test(x.urn));
        assert.deepEqual(kernel, [], "the EKS AMI's kubelet-config.json protects kernel defaults");
    });

    it("the SDKs register the type tokens the providers match", () => {
        assert.equal(inputsOf("lt-open").type, "aws:ec2/launchTemplate:LaunchTemplate");
        assert.equal(inputsOf("gce-open").type, "gcp:compute/instance:Instance");
        assert.equal(inputsOf("vm-open").type, "azure-native:compute:VirtualMachine");
        assert.equal(inputsOf("etcd-open").type, "kubernetes:core/v1:Pod");
        assert.equal(inputsOf("kubelet-config-open").type, "kubernetes:core/v1:ConfigMap");
        assert.equal(inputsOf("init-open").type, "command:remote:Command");
    });
});
