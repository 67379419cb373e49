// Real Pulumi programs with the real @pulumi/aws, @pulumi/gcp and @pulumi/azure-native classes, run under
// pulumi.runtime.setMocks: the inputs they register are exactly what the engine hands the pack, and those
// inputs are then judged. This proves that what a user writes is what the policies read.
import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { effectiveConfig } from "../../pack/config";
import { judgeStack } from "../../pack/judge";
import type { StackResource } from "../../providers/stack";
import { rule, verdict } from "../helpers";
import { inputsOf as inputsOfIn, recordRegistrations, settle, verdictTable } from "./mocks";

const registered = recordRegistrations();

const inputsOf = (name: string) => inputsOfIn(registered, name);


describe("programs under mocks", () => {
    before(async () => {
        // Loaded lazily: each SDK module is large, and only the namespaces used here are needed.
        const eks = await import("@pulumi/aws/eks");
        const container = await import("@pulumi/gcp/container");
        const containerservice = await import("@pulumi/azure-native/containerservice");
        await settle([
            new eks.Cluster("eks-open", { roleArn: "arn:aws:iam::1:role/eks", vpcConfig: { subnetIds: ["subnet-1"] } }),
            new eks.Cluster("eks-private", {
                roleArn: "arn:aws:iam::1:role/eks",
                vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: false, endpointPrivateAccess: true },
                accessConfig: { authenticationMode: "API" },
                enabledClusterLogTypes: ["api", "audit", "authenticator"],
                encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:1:key/k" } },
            }),
            new container.Cluster("gke-open", { location: "europe-west1", initialNodeCount: 1, enableLegacyAbac: true }),
            new container.Cluster("gke-private", {
                location: "europe-west1",
                removeDefaultNodePool: true,
                initialNodeCount: 1,
                privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
                masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "10.0.0.0/8", displayName: "vpc" }] },
                anonymousAuthenticationConfig: { mode: "LIMITED" },
                nodePoolDefaults: { nodeConfigDefaults: { insecureKubeletReadonlyPortEnabled: "FALSE" } },
            }),
            new container.NodePool("pool-open", { cluster: "gke-private", nodeConfig: { kubeletConfig: { insecureKubeletReadonlyPortEnabled: "TRUE" } } }),
            // Version-aware defaults: GKE turns the read-only port off by default in clusters created at 1.32 or later.
            new container.Cluster("gke-133", { location: "us-central1", initialNodeCount: 1, minMasterVersion: "1.33.4-gke.1000000", removeDefaultNodePool: true }),
            new container.NodePool("pool-133", { cluster: "gke-133", version: "1.33.4-gke.1000000", nodeConfig: { machineType: "n1-standard-1" } }),
            new container.Cluster("gke-131", { location: "us-central1", initialNodeCount: 1, minMasterVersion: "1.31.6-gke.1000" }),
            new container.Cluster("gke-channel", { location: "us-central1", initialNodeCount: 1, releaseChannel: { channel: "STABLE" } }),
            new container.Cluster("gke-dns-only", {
                location: "us-central1", initialNodeCount: 1,
                controlPlaneEndpointsConfig: { ipEndpointsConfig: { enabled: false }, dnsEndpointConfig: { allowExternalTraffic: true } },
            }),
            new containerservice.ManagedCluster("aks-open", {
                resourceGroupName: "rg", dnsPrefix: "open", enableRBAC: false, disableLocalAccounts: false,
            }),
            new containerservice.ManagedCluster("aks-private", {
                resourceGroupName: "rg", dnsPrefix: "private",
                apiServerAccessProfile: { enablePrivateCluster: true },
                aadProfile: { managed: true, enableAzureRBAC: true },
                disableLocalAccounts: true,
                securityProfile: { azureKeyVaultKms: { enabled: true, keyId: "https://kv.vault.azure.net/keys/k/1" } },
            }),
        ]);
    });

    const cases: [string, string, "violation" | "pass"][] = [
        ["eks-open", "cluster-public-endpoint-authorized-networks-only", "violation"],
        ["eks-private", "cluster-public-endpoint-authorized-networks-only", "pass"],
        ["eks-open", "eks-authentication-mode-not-config-map", "violation"],
        ["eks-private", "eks-authentication-mode-not-config-map", "pass"],
        ["eks-open", "cluster-secrets-encryption-kms-enabled", "violation"],
        ["eks-private", "cluster-secrets-encryption-kms-enabled", "pass"],
        ["eks-private", "cluster-audit-logging-enabled", "pass"],
        ["gke-open", "cluster-public-endpoint-authorized-networks-only", "violation"],
        ["gke-open", "gke-legacy-abac-disabled", "violation"],
        ["gke-private", "cluster-public-endpoint-authorized-networks-only", "pass"],
        ["gke-private", "gke-anonymous-authentication-limited", "pass"],
        ["gke-private", "kubelet-read-only-port-disabled", "pass"],
        ["gke-private", "gke-private-nodes-enabled", "pass"],
        ["pool-open", "kubelet-read-only-port-disabled", "violation"],
        ["gke-133", "kubelet-read-only-port-disabled", "pass"],
        ["gke-131", "kubelet-read-only-port-disabled", "violation"],
        ["gke-open", "cluster-audit-logging-enabled", "pass"],
        ["aks-open", "cluster-public-endpoint-authorized-networks-only", "violation"],
        ["aks-open", "aks-rbac-enabled", "violation"],
        ["aks-open", "aks-local-accounts-disabled", "violation"],
        ["aks-private", "cluster-public-endpoint-authorized-networks-only", "pass"],
        ["aks-private", "aks-entra-id-integration-enabled", "pass"],
        ["aks-private", "aks-local-accounts-disabled", "pass"],
        ["aks-private", "cluster-secrets-encryption-kms-enabled", "pass"],
    ];
    verdictTable(registered, cases);

    it("an unstated GKE version (release channel only) is one advisory for the read-only port, not a verdict", () => {
        const r = inputsOf("gke-channel");
        assert.equal(verdict("kubelet-read-only-port-disabled", r.type, r.inputs), "unknown");
    });

    it("a separately declared pool is judged with its cluster's version and private-nodes setting (stack level)", () => {
        const stack: StackResource[] = ["gke-133", "pool-133"].map((n) => {
            const r = inputsOf(n);
            return { type: r.type, name: r.name, urn: r.urn, props: r.inputs, dependencies: [], propertyDependencies: {} };
        });
        const ctx = effectiveConfig({}, {});
        assert.equal(judgeStack(rule("kubelet-read-only-port-disabled"), stack, ctx).length, 0);
        const priv = judgeStack(rule("gke-private-nodes-enabled"), stack, ctx);
        assert.deepEqual(priv.map((f) => [f.urn, f.level]), [[inputsOf("pool-133").urn, "policy"]]);
    });

    it("the SDKs register the type tokens the providers match", () => {
        assert.equal(inputsOf("eks-open").type, "aws:eks/cluster:Cluster");
        assert.equal(inputsOf("gke-open").type, "gcp:container/cluster:Cluster");
        assert.equal(inputsOf("pool-open").type, "gcp:container/nodePool:NodePool");
        assert.equal(inputsOf("aks-open").type, "azure-native:containerservice:ManagedCluster");
    });
});
