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
        const iam = await import("@pulumi/aws/iam");
        // The other managed control planes, each from its own SDK module (the packages' index files load every service).
        const eksNative = await import("@pulumi/aws-native/eks");
        const { KubernetesCluster } = await import("@pulumi/digitalocean/kubernetesCluster");
        const { LkeCluster } = await import("@pulumi/linode/lkeCluster");
        const oke = await import("@pulumi/oci/containerengine");
        await settle([
            new eks.Cluster("eks-open", { roleArn: "arn:aws:iam::1:role/eks", vpcConfig: { subnetIds: ["subnet-1"] } }),
            new eks.Cluster("eks-private", {
                roleArn: "arn:aws:iam::1:role/eks",
                vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: false, endpointPrivateAccess: true },
                accessConfig: { authenticationMode: "API" },
                enabledClusterLogTypes: ["api", "audit", "authenticator"],
                encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:1:key/k" } },
            }),
            new container.Cluster("gke-open", {
                location: "europe-west1",
                initialNodeCount: 1,
                enableLegacyAbac: true,
            }),
            new container.Cluster("gke-private", {
                location: "europe-west1",
                removeDefaultNodePool: true,
                initialNodeCount: 1,
                privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
                masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "10.0.0.0/8", displayName: "vpc" }] },
                anonymousAuthenticationConfig: { mode: "LIMITED" },
                nodePoolDefaults: { nodeConfigDefaults: { insecureKubeletReadonlyPortEnabled: "FALSE" } },
            }),
            new container.NodePool("pool-open", {
                cluster: "gke-private",
                nodeConfig: { kubeletConfig: { insecureKubeletReadonlyPortEnabled: "TRUE" } },
            }),
            // Version-aware defaults: GKE turns the read-only port off by default in clusters created at 1.32 or later.
            new container.Cluster("gke-133", {
                location: "us-central1",
                initialNodeCount: 1,
                minMasterVersion: "1.33.4-gke.1000000",
                removeDefaultNodePool: true,
            }),
            new container.NodePool("pool-133", {
                cluster: "gke-133",
                version: "1.33.4-gke.1000000",
                nodeConfig: { machineType: "n1-standard-1" },
            }),
            new container.Cluster("gke-131", {
                location: "us-central1",
                initialNodeCount: 1,
                minMasterVersion: "1.31.6-gke.1000",
            }),
            new container.Cluster("gke-channel", {
                location: "us-central1",
                initialNodeCount: 1,
                releaseChannel: { channel: "STABLE" },
            }),
            new container.Cluster("gke-dns-only", {
                location: "us-central1",
                initialNodeCount: 1,
                controlPlaneEndpointsConfig: {
                    ipEndpointsConfig: { enabled: false },
                    dnsEndpointConfig: { allowExternalTraffic: true },
                },
            }),
            new eksNative.Cluster("eksn-open", {
                roleArn: "arn:aws:iam::1:role/eks",
                resourcesVpcConfig: { subnetIds: ["subnet-1"] },
            }),
            new eksNative.Cluster("eksn-private", {
                roleArn: "arn:aws:iam::1:role/eks",
                resourcesVpcConfig: {
                    subnetIds: ["subnet-1"],
                    endpointPublicAccess: false,
                    endpointPrivateAccess: true,
                },
                logging: {
                    clusterLogging: { enabledTypes: [{ type: "api" }, { type: "audit" }, { type: "authenticator" }] },
                },
                encryptionConfig: [{ resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:1:key/k" } }],
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
            }),
            new KubernetesCluster("doks-open", {
                region: "nyc1",
                version: "1.33.1-do.0",
                nodePool: { name: "p", size: "s-2vcpu-2gb", nodeCount: 1 },
            }),
            new KubernetesCluster("doks-firewalled", {
                region: "nyc1",
                version: "1.33.1-do.0",
                nodePool: { name: "p", size: "s-2vcpu-2gb", nodeCount: 1 },
                controlPlaneFirewall: { enabled: true, allowedAddresses: ["203.0.113.0/24"] },
            }),
            new LkeCluster("lke-open", {
                label: "open",
                region: "us-east",
                k8sVersion: "1.33",
                pools: [{ type: "g6-standard-2", count: 1 }],
            }),
            new LkeCluster("lke-acl", {
                label: "acl",
                region: "us-east",
                k8sVersion: "1.33",
                pools: [{ type: "g6-standard-2", count: 1 }],
                controlPlane: { acl: { enabled: true, addresses: [{ ipv4s: ["203.0.113.4"] }] } },
            }),
            new oke.Cluster("oke-legacy", { compartmentId: "c", kubernetesVersion: "v1.33.1", vcnId: "v" }),
            new oke.Cluster("oke-private", {
                compartmentId: "c",
                kubernetesVersion: "v1.33.1",
                vcnId: "v",
                endpointConfig: { subnetId: "s" },
            }),
            // EKS access: cluster admin for a role any GitHub Actions workflow can assume, and for a named break-glass role.
            new iam.Role("gha-admin", {
                name: "gha-admin",
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: "sts:AssumeRoleWithWebIdentity",
                            Principal: {
                                Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com",
                            },
                            Condition: {
                                StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                            },
                        },
                    ],
                }),
            }),
            new eks.AccessPolicyAssociation("gha-admin-assoc", {
                clusterName: "prod",
                principalArn: "arn:aws:iam::1:role/gha-admin",
                policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                accessScope: { type: "cluster" },
            }),
            new iam.Role("breakglass", {
                name: "breakglass",
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: "sts:AssumeRole",
                            Principal: { AWS: "arn:aws:iam::1:role/security" },
                        },
                    ],
                }),
            }),
            new eks.AccessEntry("breakglass-entry", {
                clusterName: "prod",
                principalArn: "arn:aws:iam::1:role/breakglass",
                kubernetesGroups: ["system:masters"],
            }),
            new containerservice.ManagedCluster("aks-open", {
                resourceGroupName: "rg",
                dnsPrefix: "open",
                enableRBAC: false,
                disableLocalAccounts: false,
            }),
            new containerservice.ManagedCluster("aks-private", {
                resourceGroupName: "rg",
                dnsPrefix: "private",
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
        ["eksn-open", "cluster-public-endpoint-authorized-networks-only", "violation"],
        ["eksn-private", "cluster-public-endpoint-authorized-networks-only", "pass"],
        ["eksn-open", "cluster-audit-logging-enabled", "violation"],
        ["eksn-private", "cluster-audit-logging-enabled", "pass"],
        ["eksn-open", "cluster-secrets-encryption-kms-enabled", "violation"],
        ["eksn-private", "cluster-secrets-encryption-kms-enabled", "pass"],
        ["eksn-open", "eks-authentication-mode-not-config-map", "violation"],
        ["eksn-private", "eks-authentication-mode-not-config-map", "pass"],
        ["doks-open", "cluster-public-endpoint-authorized-networks-only", "violation"],
        ["doks-firewalled", "cluster-public-endpoint-authorized-networks-only", "pass"],
        ["lke-open", "cluster-public-endpoint-authorized-networks-only", "violation"],
        ["lke-acl", "cluster-public-endpoint-authorized-networks-only", "pass"],
        ["oke-legacy", "cluster-public-endpoint-authorized-networks-only", "violation"],
        ["oke-private", "cluster-public-endpoint-authorized-networks-only", "pass"],
        ["gke-dns-only", "cluster-public-endpoint-authorized-networks-only", "pass"],
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
            return {
                type: r.type,
                name: r.name,
                urn: r.urn,
                props: r.inputs,
                dependencies: [],
                propertyDependencies: {},
            };
        });
        const ctx = effectiveConfig({}, {});
        assert.equal(judgeStack(rule("kubelet-read-only-port-disabled"), stack, ctx).length, 0);
        const priv = judgeStack(rule("gke-private-nodes-enabled"), stack, ctx);
        assert.deepEqual(
            priv.map((f) => [f.urn, f.level]),
            [[inputsOf("pool-133").urn, "policy"]],
        );
    });

    it("EKS access: the real SDK's access policy association and access entry are joined with the roles by name", () => {
        const stack: StackResource[] = ["gha-admin", "gha-admin-assoc", "breakglass", "breakglass-entry"].map((n) => {
            const r = inputsOf(n);
            return {
                type: r.type,
                name: r.name,
                urn: r.urn,
                props: r.inputs,
                dependencies: [],
                propertyDependencies: {},
            };
        });
        const f = judgeStack(rule("eks-admin-access-not-assumable-by-anyone"), stack, effectiveConfig({}, {}));
        assert.deepEqual(
            f.map((x) => [x.urn, x.level]),
            [[inputsOf("gha-admin-assoc").urn, "policy"]],
        );
        assert.match(f[0].message, /token\.actions\.githubusercontent\.com tokens without limiting their subject/);
        assert.equal(inputsOf("gha-admin-assoc").type, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
        assert.equal(inputsOf("breakglass-entry").type, "aws:eks/accessEntry:AccessEntry");
    });

    it("the SDKs register the type tokens the providers match", () => {
        assert.equal(inputsOf("eks-open").type, "aws:eks/cluster:Cluster");
        assert.equal(inputsOf("gke-open").type, "gcp:container/cluster:Cluster");
        assert.equal(inputsOf("pool-open").type, "gcp:container/nodePool:NodePool");
        assert.equal(inputsOf("aks-open").type, "azure-native:containerservice:ManagedCluster");
        assert.equal(inputsOf("eksn-open").type, "aws-native:eks:Cluster");
        assert.equal(inputsOf("doks-open").type, "digitalocean:index/kubernetesCluster:KubernetesCluster");
        assert.equal(inputsOf("lke-open").type, "linode:index/lkeCluster:LkeCluster");
        assert.equal(inputsOf("oke-legacy").type, "oci:ContainerEngine/cluster:Cluster");
    });
});
