// An example Pulumi program: managed clusters written the insecure way and the hardened way.
// `npm run example` runs it under pulumi.runtime.setMocks and sends what it registers to the pack.
import * as eks from "@pulumi/aws/eks";
import * as container from "@pulumi/gcp/container";
import * as containerservice from "@pulumi/azure-native/containerservice";

export function program() {
    return [
        // EKS with the defaults: public endpoint open to 0.0.0.0/0, aws-auth ConfigMap, no logs, no KMS.
        new eks.Cluster("eks-defaults", { roleArn: "arn:aws:iam::111122223333:role/eks", vpcConfig: { subnetIds: ["subnet-0a1b"] } }),
        new eks.Cluster("eks-hardened", {
            roleArn: "arn:aws:iam::111122223333:role/eks",
            vpcConfig: { subnetIds: ["subnet-0a1b"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"], endpointPrivateAccess: true },
            accessConfig: { authenticationMode: "API" },
            enabledClusterLogTypes: ["api", "audit", "authenticator"],
            encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:111122223333:key/1234" } },
        }),
        // GKE with legacy ABAC and the kubelet read-only port, reachable from anywhere.
        new container.Cluster("gke-legacy", {
            location: "europe-west1", initialNodeCount: 1, enableLegacyAbac: true,
            masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "0.0.0.0/0", displayName: "everyone" }] },
            nodeConfig: { kubeletConfig: { insecureKubeletReadonlyPortEnabled: "TRUE" } },
        }),
        // AKS without RBAC and with local accounts.
        new containerservice.ManagedCluster("aks-no-rbac", {
            resourceGroupName: "rg-prod", dnsPrefix: "aks-no-rbac", enableRBAC: false,
            apiServerAccessProfile: { authorizedIPRanges: ["198.51.100.0/24"] },
        }),
    ];
}
