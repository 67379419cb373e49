// Distribution programs under mocks: a Rancher RKE2 cluster written with the real @pulumi/rancher2 ClusterV2
// class, k3s on EC2 written with the real @pulumi/aws Instance, and a Talos ConfigurationApply.
//
// @pulumiverse/talos is not available from this machine's npm registry, so the Talos resource is a local
// CustomResource with the type token and input names of the provider's schema
// (pulumiverse/pulumi-talos provider/cmd/pulumi-resource-talos/schema.json: "talos:machine/configurationApply:
// ConfigurationApply", inputs clientConfiguration, machineConfigurationInput (secret: true), node, configPatches),
// wrapping the secret input as the generated SDK does. It registers exactly what the real class would.
import { before, describe } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations, settle, verdictTable } from "./mocks";

const registered = recordRegistrations();

interface ConfigurationApplyArgs {
    clientConfiguration: pulumi.Input<Record<string, pulumi.Input<string>>>;
    machineConfigurationInput: pulumi.Input<string>;
    node: pulumi.Input<string>;
    configPatches?: pulumi.Input<pulumi.Input<string>[]>;
}

class ConfigurationApply extends pulumi.CustomResource {
    constructor(name: string, args: ConfigurationApplyArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            "talos:machine/configurationApply:ConfigurationApply",
            name,
            {
                clientConfiguration: args.clientConfiguration,
                configPatches: args.configPatches,
                machineConfigurationInput: pulumi.secret(args.machineConfigurationInput),
                node: args.node,
                applyMode: undefined,
                endpoint: undefined,
                onDestroy: undefined,
                timeouts: undefined,
                machineConfiguration: undefined,
            },
            { ...opts, additionalSecretOutputs: ["machineConfiguration", "machineConfigurationInput"] },
        );
    }
}

const controlPlane = [
    "version: v1alpha1",
    "machine:",
    "  type: controlplane",
    "  kubelet:",
    "    image: ghcr.io/siderolabs/kubelet:v1.31.1",
    "    defaultRuntimeSeccompProfileEnabled: true",
    "cluster:",
    "  clusterName: prod",
    "  apiServer:",
    "    image: registry.k8s.io/kube-apiserver:v1.31.1",
    "",
].join("\n");

describe("distribution programs under mocks", () => {
    before(async () => {
        const rancher2 = await import("@pulumi/rancher2");
        const ec2 = await import("@pulumi/aws/ec2");
        const client = { caCertificate: "Y2E=", clientCertificate: "Y3J0", clientKey: pulumi.secret("a2V5") };
        const resources: pulumi.Resource[] = [
            new rancher2.ClusterV2("rke2-cis", {
                kubernetesVersion: "v1.30.4+rke2r1",
                rkeConfig: { machineGlobalConfig: "cni: calico\nprofile: cis\n" },
            }),
            new rancher2.ClusterV2("rke2-open", {
                kubernetesVersion: "v1.30.4+rke2r1",
                rkeConfig: {
                    machineGlobalConfig: "cni: calico\nkube-apiserver-arg:\n  - anonymous-auth=true\n",
                    machineSelectorConfigs: [{ config: "kubelet-arg:\n  - read-only-port=10255\n" }],
                },
            }),
            new ec2.Instance("k3s-server", {
                ami: "ami-123",
                instanceType: "t3.medium",
                userData: "#!/bin/bash\ncurl -sfL https://get.k3s.io | sh -s - server --cluster-init\n",
            }),
            new ec2.Instance("k3s-open", {
                ami: "ami-123",
                instanceType: "t3.medium",
                userData:
                    "#!/bin/bash\ncurl -sfL https://get.k3s.io | INSTALL_K3S_EXEC='server --kubelet-arg=read-only-port=10255 --kube-controller-manager-arg=bind-address=0.0.0.0' sh -\n",
            }),
            new ConfigurationApply("talos-cp", {
                clientConfiguration: client,
                machineConfigurationInput: controlPlane,
                node: "10.5.0.2",
                configPatches: [JSON.stringify({ machine: { install: { disk: "/dev/sdd" } } })],
            }),
            new ConfigurationApply("talos-open", {
                clientConfiguration: client,
                machineConfigurationInput: controlPlane,
                node: "10.5.0.3",
                configPatches: [
                    "cluster:\n  apiServer:\n    extraArgs:\n      anonymous-auth: true\n",
                    JSON.stringify({ machine: { kubelet: { extraConfig: { readOnlyPort: 10255 } } } }),
                ],
            }),
        ];
        await settle(resources);
    });

    verdictTable(registered, [
        ["rke2-cis", "kube-apiserver-anonymous-auth-disabled", "pass"],
        ["rke2-cis", "kube-apiserver-audit-log-path-set", "pass"],
        ["rke2-cis", "kubelet-protect-kernel-defaults-enabled", "pass"],
        ["rke2-cis", "kubelet-read-only-port-disabled", "pass"],
        ["rke2-open", "kube-apiserver-anonymous-auth-disabled", "violation"],
        ["rke2-open", "kubelet-read-only-port-disabled", "violation"],
        ["k3s-server", "kube-apiserver-anonymous-auth-disabled", "pass"],
        ["k3s-server", "etcd-client-cert-auth-enabled", "pass"],
        ["k3s-server", "kubelet-read-only-port-disabled", "pass"],
        ["k3s-open", "kubelet-read-only-port-disabled", "violation"],
        ["k3s-open", "kube-controller-manager-bind-address-localhost", "violation"],
        ["talos-cp", "kube-apiserver-anonymous-auth-disabled", "pass"],
        ["talos-cp", "kubelet-read-only-port-disabled", "pass"],
        ["talos-cp", "etcd-client-cert-auth-enabled", "pass"],
        ["talos-open", "kube-apiserver-anonymous-auth-disabled", "violation"],
        ["talos-open", "kubelet-read-only-port-disabled", "violation"],
    ]);
});
