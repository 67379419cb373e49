// Managed control-plane rules, judged on inputs shaped as the engine sends them (camelCase).
// Each case flips one field of a hardened baseline: insecure, hardened and unset variants per carrier.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { effectiveConfig } from "../../pack/config";
import { judgeNormalized, judgeStack } from "../../pack/judge";
import { normalize } from "../../providers";
import type { StackResource } from "../../providers/stack";
import { judgeProps, rule, verdict, UNKNOWN_STRING, UNKNOWN_BOOL } from "../helpers";

const EKS = "aws:eks/cluster:Cluster";
const GKE = "gcp:container/cluster:Cluster";
const POOL = "gcp:container/nodePool:NodePool";
const AKS = "azure-native:containerservice:ManagedCluster";
const AKS_V = "azure-native:containerservice/v20240102preview:ManagedCluster";
const AKS_CLASSIC = "azure:containerservice/kubernetesCluster:KubernetesCluster";

const eksHardened = {
    name: "prod",
    roleArn: "arn:aws:iam::1:role/eks",
    vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: false, endpointPrivateAccess: true },
    enabledClusterLogTypes: ["api", "audit", "authenticator"],
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:1:key/abc" } },
    accessConfig: { authenticationMode: "API" },
};
const gkeHardened = {
    name: "prod",
    location: "europe-west1",
    privateClusterConfig: { enablePrivateEndpoint: true, enablePrivateNodes: true },
    masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "10.0.0.0/8" }] },
    masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
    anonymousAuthenticationConfig: { mode: "LIMITED" },
    rbacBindingConfig: {
        enableInsecureBindingSystemUnauthenticated: false,
        enableInsecureBindingSystemAuthenticated: false,
    },
    enableLegacyAbac: false,
    loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "APISERVER", "WORKLOADS"] },
    databaseEncryption: { state: "ENCRYPTED", keyName: "projects/p/locations/l/keyRings/r/cryptoKeys/k" },
    workloadIdentityConfig: { workloadPool: "p.svc.id.goog" },
    nodeConfig: {
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        kubeletConfig: { insecureKubeletReadonlyPortEnabled: "FALSE" },
    },
};
const aksHardened = {
    resourceGroupName: "rg",
    dnsPrefix: "prod",
    apiServerAccessProfile: { enablePrivateCluster: true },
    disableLocalAccounts: true,
    aadProfile: { managed: true, enableAzureRBAC: true },
    enableRBAC: true,
    securityProfile: { azureKeyVaultKms: { enabled: true, keyId: "https://kv.vault.azure.net/keys/k/1" } },
};
const aksClassicHardened = {
    resourceGroupName: "rg",
    dnsPrefix: "prod",
    privateClusterEnabled: true,
    localAccountDisabled: true,
    azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true },
    roleBasedAccessControlEnabled: true,
    keyManagementService: { keyVaultKeyId: "https://kv.vault.azure.net/keys/k/1" },
};

type Props = Record<string, unknown>;
const set = (base: Props, path: string, value: unknown): Props => {
    const copy = structuredClone(base);
    const keys = path.split(".");
    let cur: Props = copy;
    for (const k of keys.slice(0, -1)) cur = (cur[k] ??= {}) as Props;
    if (value === undefined) delete cur[keys[keys.length - 1]];
    else cur[keys[keys.length - 1]] = value;
    return copy;
};

interface Row {
    name: string;
    type: string;
    props: Props;
    want: "violation" | "pass" | "unknown";
    config?: Props;
}

function table(policy: string, rows: Row[]) {
    describe(policy, () => {
        for (const r of rows) {
            it(r.name, () => assert.equal(verdict(policy, r.type, r.props, r.config), r.want));
        }
    });
}

table("cluster-public-endpoint-authorized-networks-only", [
    { name: "EKS hardened (private endpoint) passes", type: EKS, props: eksHardened, want: "pass" },
    {
        name: "EKS with no vpcConfig flags is public to 0.0.0.0/0 and fails",
        type: EKS,
        props: set(eksHardened, "vpcConfig", { subnetIds: ["s"] }),
        want: "violation",
    },
    {
        name: "EKS public with publicAccessCidrs 0.0.0.0/0 fails",
        type: EKS,
        props: set(eksHardened, "vpcConfig.endpointPublicAccess", true),
        want: "violation",
    },
    {
        name: "EKS public with empty publicAccessCidrs (means 0.0.0.0/0) fails",
        type: EKS,
        props: set(set(eksHardened, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", []),
        want: "violation",
    },
    {
        name: "EKS public with a /32 passes",
        type: EKS,
        props: set(set(eksHardened, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", [
            "203.0.113.5/32",
        ]),
        want: "pass",
    },
    {
        name: "EKS public with 0.0.0.0/1 (half the internet) fails",
        type: EKS,
        props: set(set(eksHardened, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", [
            "0.0.0.0/1",
            "128.0.0.0/1",
        ]),
        want: "violation",
    },
    {
        name: "EKS public with a /12 fails under the default /16 limit",
        type: EKS,
        props: set(set(eksHardened, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", [
            "64.0.0.0/12",
        ]),
        want: "violation",
    },
    {
        name: "EKS public with a /12 passes when minimumPrefixLength.ipv4 is 12",
        type: EKS,
        props: set(set(eksHardened, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", [
            "64.0.0.0/12",
        ]),
        want: "pass",
        config: { minimumPrefixLength: { ipv4: 12 } },
    },
    {
        name: "EKS public with a /12 passes when it is inside allowedCidrs",
        type: EKS,
        props: set(set(eksHardened, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", [
            "64.0.0.0/12",
        ]),
        want: "pass",
        config: { allowedCidrs: ["64.0.0.0/10"] },
    },
    {
        name: "EKS public with a private range only passes (not reachable from the internet)",
        type: EKS,
        props: set(set(eksHardened, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", [
            "10.0.0.0/16",
        ]),
        want: "pass",
    },
    {
        name: "EKS public with ::/0 fails",
        type: EKS,
        props: set(set(eksHardened, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", [
            "203.0.113.5/32",
            "::/0",
        ]),
        want: "violation",
    },
    {
        name: "EKS with endpointPublicAccess unknown at preview is unknown, not a verdict",
        type: EKS,
        props: set(eksHardened, "vpcConfig.endpointPublicAccess", UNKNOWN_BOOL),
        want: "unknown",
    },
    {
        name: "EKS public with one unknown CIDR and one /32 is unknown",
        type: EKS,
        props: set(set(eksHardened, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", [
            "203.0.113.5/32",
            UNKNOWN_STRING,
        ]),
        want: "unknown",
    },
    {
        name: "EKS public with one unknown CIDR and 0.0.0.0/0 fails regardless",
        type: EKS,
        props: set(set(eksHardened, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", [
            "0.0.0.0/0",
            UNKNOWN_STRING,
        ]),
        want: "violation",
    },
    {
        name: "EKS public with a malformed CIDR is unknown (cannot judge)",
        type: EKS,
        props: set(set(eksHardened, "vpcConfig.endpointPublicAccess", true), "vpcConfig.publicAccessCidrs", [
            "not-a-cidr",
        ]),
        want: "unknown",
    },
    {
        name: 'EKS endpointPublicAccess as string "false" passes',
        type: EKS,
        props: set(eksHardened, "vpcConfig.endpointPublicAccess", "false"),
        want: "pass",
    },
    { name: "GKE hardened passes", type: GKE, props: gkeHardened, want: "pass" },
    {
        name: "GKE without masterAuthorizedNetworksConfig or private endpoint is open to any address and fails",
        type: GKE,
        props: set(set(gkeHardened, "privateClusterConfig", undefined), "masterAuthorizedNetworksConfig", undefined),
        want: "violation",
    },
    {
        name: "GKE public with authorized networks 0.0.0.0/0 fails",
        type: GKE,
        props: set(
            set(gkeHardened, "privateClusterConfig.enablePrivateEndpoint", false),
            "masterAuthorizedNetworksConfig.cidrBlocks",
            [{ cidrBlock: "0.0.0.0/0", displayName: "world" }],
        ),
        want: "violation",
    },
    {
        name: "GKE public with an empty authorized networks block passes (nothing admitted)",
        type: GKE,
        props: set(
            set(gkeHardened, "privateClusterConfig.enablePrivateEndpoint", false),
            "masterAuthorizedNetworksConfig",
            {},
        ),
        want: "pass",
    },
    {
        name: "GKE public with gcpPublicCidrsAccessEnabled fails",
        type: GKE,
        props: set(
            set(gkeHardened, "privateClusterConfig.enablePrivateEndpoint", false),
            "masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled",
            true,
        ),
        want: "violation",
    },
    {
        name: "GKE with the IP endpoint disabled passes",
        type: GKE,
        props: set(
            set(set(gkeHardened, "privateClusterConfig", undefined), "masterAuthorizedNetworksConfig", undefined),
            "controlPlaneEndpointsConfig",
            { ipEndpointsConfig: { enabled: false } },
        ),
        want: "pass",
    },
    { name: "AKS hardened (private cluster) passes", type: AKS, props: aksHardened, want: "pass" },
    {
        name: "AKS public without authorizedIPRanges fails",
        type: AKS,
        props: set(aksHardened, "apiServerAccessProfile", undefined),
        want: "violation",
    },
    {
        name: "AKS (API-version token) public with a /24 passes",
        type: AKS_V,
        props: set(aksHardened, "apiServerAccessProfile", {
            enablePrivateCluster: false,
            authorizedIPRanges: ["198.51.100.0/24"],
        }),
        want: "pass",
    },
    {
        name: "AKS (API-version token) public with 0.0.0.0/0 fails",
        type: AKS_V,
        props: set(aksHardened, "apiServerAccessProfile", { authorizedIPRanges: ["0.0.0.0/0"] }),
        want: "violation",
    },
    { name: "AKS classic private passes", type: AKS_CLASSIC, props: aksClassicHardened, want: "pass" },
    {
        name: "AKS classic public without ranges fails",
        type: AKS_CLASSIC,
        props: set(aksClassicHardened, "privateClusterEnabled", false),
        want: "violation",
    },
    {
        name: "AKS classic public with legacy apiServerAuthorizedIpRanges /32 passes",
        type: AKS_CLASSIC,
        props: set(set(aksClassicHardened, "privateClusterEnabled", false), "apiServerAuthorizedIpRanges", [
            "198.51.100.7/32",
        ]),
        want: "pass",
    },
]);

table("gke-client-certificate-issuance-disabled", [
    { name: "GKE issueClientCertificate false passes", type: GKE, props: gkeHardened, want: "pass" },
    {
        name: "GKE issueClientCertificate true fails",
        type: GKE,
        props: set(gkeHardened, "masterAuth.clientCertificateConfig.issueClientCertificate", true),
        want: "violation",
    },
    {
        name: "GKE unset passes (no certificate since GKE 1.12)",
        type: GKE,
        props: set(gkeHardened, "masterAuth", undefined),
        want: "pass",
    },
]);

table("gke-anonymous-authentication-limited", [
    { name: "GKE mode LIMITED passes", type: GKE, props: gkeHardened, want: "pass" },
    {
        name: "GKE mode ENABLED fails",
        type: GKE,
        props: set(gkeHardened, "anonymousAuthenticationConfig.mode", "ENABLED"),
        want: "violation",
    },
    {
        name: "GKE unset fails (default ENABLED)",
        type: GKE,
        props: set(gkeHardened, "anonymousAuthenticationConfig", undefined),
        want: "violation",
    },
    {
        name: "GKE mode unknown is unknown",
        type: GKE,
        props: set(gkeHardened, "anonymousAuthenticationConfig.mode", UNKNOWN_STRING),
        want: "unknown",
    },
]);

table("gke-insecure-rbac-binding-unauthenticated-disabled", [
    { name: "GKE false passes", type: GKE, props: gkeHardened, want: "pass" },
    {
        name: "GKE true fails",
        type: GKE,
        props: set(gkeHardened, "rbacBindingConfig.enableInsecureBindingSystemUnauthenticated", true),
        want: "violation",
    },
    {
        name: "GKE unset fails (bindings allowed)",
        type: GKE,
        props: set(gkeHardened, "rbacBindingConfig", undefined),
        want: "violation",
    },
]);

table("gke-insecure-rbac-binding-authenticated-disabled", [
    { name: "GKE false passes", type: GKE, props: gkeHardened, want: "pass" },
    {
        name: "GKE true fails",
        type: GKE,
        props: set(gkeHardened, "rbacBindingConfig.enableInsecureBindingSystemAuthenticated", true),
        want: "violation",
    },
]);

table("gke-basic-authentication-disabled", [
    { name: "GKE without masterAuth username/password passes", type: GKE, props: gkeHardened, want: "pass" },
    {
        name: "GKE masterAuth username and password fails",
        type: GKE,
        props: set(gkeHardened, "masterAuth", { username: "admin", password: "p4ss-w0rd-long" }),
        want: "violation",
    },
    {
        name: "GKE masterAuth password from another resource (unknown) fails: it is set at creation",
        type: GKE,
        props: set(gkeHardened, "masterAuth", { username: "admin", password: UNKNOWN_STRING }),
        want: "violation",
    },
    {
        name: "GKE masterAuth empty username and password passes (basic auth off)",
        type: GKE,
        props: set(gkeHardened, "masterAuth", { username: "", password: "" }),
        want: "pass",
    },
]);

table("gke-legacy-abac-disabled", [
    { name: "GKE false passes", type: GKE, props: gkeHardened, want: "pass" },
    { name: "GKE true fails", type: GKE, props: set(gkeHardened, "enableLegacyAbac", true), want: "violation" },
    {
        name: "GKE unset passes (default false)",
        type: GKE,
        props: set(gkeHardened, "enableLegacyAbac", undefined),
        want: "pass",
    },
]);

table("aks-local-accounts-disabled", [
    { name: "AKS disableLocalAccounts true passes", type: AKS, props: aksHardened, want: "pass" },
    {
        name: "AKS disableLocalAccounts false fails",
        type: AKS,
        props: set(aksHardened, "disableLocalAccounts", false),
        want: "violation",
    },
    {
        name: "AKS unset fails (local accounts on by default)",
        type: AKS,
        props: set(aksHardened, "disableLocalAccounts", undefined),
        want: "violation",
    },
    {
        name: "AKS classic localAccountDisabled true passes",
        type: AKS_CLASSIC,
        props: aksClassicHardened,
        want: "pass",
    },
    {
        name: "AKS classic unset fails",
        type: AKS_CLASSIC,
        props: set(aksClassicHardened, "localAccountDisabled", undefined),
        want: "violation",
    },
]);

table("aks-entra-id-integration-enabled", [
    { name: "AKS with aadProfile passes", type: AKS, props: aksHardened, want: "pass" },
    {
        name: "AKS without aadProfile fails",
        type: AKS,
        props: set(aksHardened, "aadProfile", undefined),
        want: "violation",
    },
    {
        name: "AKS classic with azureActiveDirectoryRoleBasedAccessControl passes",
        type: AKS_CLASSIC,
        props: aksClassicHardened,
        want: "pass",
    },
    {
        name: "AKS classic without it fails",
        type: AKS_CLASSIC,
        props: set(aksClassicHardened, "azureActiveDirectoryRoleBasedAccessControl", undefined),
        want: "violation",
    },
]);

table("eks-authentication-mode-not-config-map", [
    { name: "EKS API passes", type: EKS, props: eksHardened, want: "pass" },
    {
        name: "EKS CONFIG_MAP fails",
        type: EKS,
        props: set(eksHardened, "accessConfig.authenticationMode", "CONFIG_MAP"),
        want: "violation",
    },
    {
        name: "EKS unset fails (CONFIG_MAP by default)",
        type: EKS,
        props: set(eksHardened, "accessConfig", undefined),
        want: "violation",
    },
    {
        name: "EKS API_AND_CONFIG_MAP passes (migration mode)",
        type: EKS,
        props: set(eksHardened, "accessConfig.authenticationMode", "API_AND_CONFIG_MAP"),
        want: "pass",
    },
]);

table("aks-rbac-enabled", [
    { name: "AKS enableRBAC true passes", type: AKS, props: aksHardened, want: "pass" },
    { name: "AKS enableRBAC false fails", type: AKS, props: set(aksHardened, "enableRBAC", false), want: "violation" },
    {
        name: "AKS (API-version token) enableRBAC false fails",
        type: AKS_V,
        props: set(aksHardened, "enableRBAC", false),
        want: "violation",
    },
    {
        name: "AKS unset passes (RBAC on by default)",
        type: AKS,
        props: set(aksHardened, "enableRBAC", undefined),
        want: "pass",
    },
    {
        name: "AKS API 2024-01-02-preview token unset passes",
        type: AKS_V,
        props: set(aksHardened, "enableRBAC", undefined),
        want: "pass",
    },
    {
        name: "AKS API 2019-06-01 token unset is unknown (ARM clients then created clusters without RBAC)",
        type: "azure-native:containerservice/v20190601:ManagedCluster",
        props: set(aksHardened, "enableRBAC", undefined),
        want: "unknown",
    },
    {
        name: "AKS API 2019-06-01 token enableRBAC true passes",
        type: "azure-native:containerservice/v20190601:ManagedCluster",
        props: aksHardened,
        want: "pass",
    },
    {
        name: "AKS API 2019-06-01 token enableRBAC false fails",
        type: "azure-native:containerservice/v20190601:ManagedCluster",
        props: set(aksHardened, "enableRBAC", false),
        want: "violation",
    },
    {
        name: "AKS classic roleBasedAccessControlEnabled false fails",
        type: AKS_CLASSIC,
        props: set(aksClassicHardened, "roleBasedAccessControlEnabled", false),
        want: "violation",
    },
]);

table("cluster-audit-logging-enabled", [
    { name: "EKS api+audit+authenticator passes", type: EKS, props: eksHardened, want: "pass" },
    {
        name: "EKS missing authenticator fails",
        type: EKS,
        props: set(eksHardened, "enabledClusterLogTypes", ["api", "audit"]),
        want: "violation",
    },
    {
        name: "EKS unset fails (no control-plane logs by default)",
        type: EKS,
        props: set(eksHardened, "enabledClusterLogTypes", undefined),
        want: "violation",
    },
    { name: "GKE with APISERVER component passes", type: GKE, props: gkeHardened, want: "pass" },
    // CIS GKE 1.6 5.7.1 asks for Cloud Logging; GKE writes Kubernetes audit logs to Cloud Audit Logs regardless.
    {
        name: "GKE default components (Cloud Logging on, no APISERVER) passes per CIS GKE 5.7.1",
        type: GKE,
        props: set(gkeHardened, "loggingConfig", undefined),
        want: "pass",
    },
    {
        name: "GKE loggingService none fails",
        type: GKE,
        props: set(gkeHardened, "loggingService", "none"),
        want: "violation",
    },
    {
        name: "GKE enableComponents without SYSTEM_COMPONENTS or APISERVER fails",
        type: GKE,
        props: set(gkeHardened, "loggingConfig.enableComponents", []),
        want: "violation",
    },
    {
        name: "GKE loggingService unknown is unknown",
        type: GKE,
        props: set(gkeHardened, "loggingService", UNKNOWN_STRING),
        want: "unknown",
    },
    {
        name: "AKS is not judged here (diagnostic settings are a stack-level link)",
        type: AKS,
        props: aksHardened,
        want: "pass",
    },
]);

table("cluster-secrets-encryption-kms-enabled", [
    { name: "EKS secrets with a key passes", type: EKS, props: eksHardened, want: "pass" },
    {
        name: "EKS key created in the same program (unknown at preview) passes",
        type: EKS,
        props: set(eksHardened, "encryptionConfig.provider.keyArn", UNKNOWN_STRING),
        want: "pass",
    },
    {
        name: "EKS encryptionConfig for other resources only fails",
        type: EKS,
        props: set(eksHardened, "encryptionConfig.resources", ["configmaps"]),
        want: "violation",
    },
    { name: "EKS unset fails", type: EKS, props: set(eksHardened, "encryptionConfig", undefined), want: "violation" },
    { name: "GKE ENCRYPTED with a key passes", type: GKE, props: gkeHardened, want: "pass" },
    {
        name: "GKE DECRYPTED fails",
        type: GKE,
        props: set(gkeHardened, "databaseEncryption.state", "DECRYPTED"),
        want: "violation",
    },
    { name: "GKE unset fails", type: GKE, props: set(gkeHardened, "databaseEncryption", undefined), want: "violation" },
    { name: "AKS KMS enabled with a key passes", type: AKS, props: aksHardened, want: "pass" },
    {
        name: "AKS KMS disabled fails",
        type: AKS,
        props: set(aksHardened, "securityProfile.azureKeyVaultKms.enabled", false),
        want: "violation",
    },
    { name: "AKS unset fails", type: AKS, props: set(aksHardened, "securityProfile", undefined), want: "violation" },
    { name: "AKS classic keyManagementService passes", type: AKS_CLASSIC, props: aksClassicHardened, want: "pass" },
    {
        name: "AKS classic unset fails",
        type: AKS_CLASSIC,
        props: set(aksClassicHardened, "keyManagementService", undefined),
        want: "violation",
    },
]);

table("gke-workload-metadata-server-enabled", [
    { name: "GKE cluster default pool GKE_METADATA passes", type: GKE, props: gkeHardened, want: "pass" },
    {
        name: "GKE cluster default pool GCE_METADATA fails",
        type: GKE,
        props: set(gkeHardened, "nodeConfig.workloadMetadataConfig.mode", "GCE_METADATA"),
        want: "violation",
    },
    {
        name: "GKE cluster without mode but with Workload Identity passes",
        type: GKE,
        props: set(gkeHardened, "nodeConfig.workloadMetadataConfig", undefined),
        want: "pass",
    },
    {
        name: "GKE cluster without mode or Workload Identity fails",
        type: GKE,
        props: set(
            set(gkeHardened, "nodeConfig.workloadMetadataConfig", undefined),
            "workloadIdentityConfig",
            undefined,
        ),
        want: "violation",
    },
    {
        name: "GKE cluster that removes the default pool is not judged here",
        type: GKE,
        props: set(
            set(set(gkeHardened, "nodeConfig", undefined), "workloadIdentityConfig", undefined),
            "removeDefaultNodePool",
            true,
        ),
        want: "pass",
    },
    { name: "GKE Autopilot passes", type: GKE, props: { enableAutopilot: true }, want: "pass" },
    {
        name: "GKE node pool GKE_METADATA passes",
        type: POOL,
        props: { cluster: "c", nodeConfig: { workloadMetadataConfig: { mode: "GKE_METADATA" } } },
        want: "pass",
    },
    {
        name: "GKE node pool without mode is judged at stack level, where its cluster is joined",
        type: POOL,
        props: { cluster: "c", nodeConfig: {} },
        want: "pass",
    },
]);

table("gke-private-nodes-enabled", [
    { name: "GKE enablePrivateNodes true passes", type: GKE, props: gkeHardened, want: "pass" },
    {
        name: "GKE empty privateClusterConfig fails",
        type: GKE,
        props: set(gkeHardened, "privateClusterConfig", {}),
        want: "violation",
    },
    { name: "GKE without privateClusterConfig fails", type: GKE, props: { initialNodeCount: 1 }, want: "violation" },
    {
        name: "GKE node pool with networkConfig.enablePrivateNodes false fails",
        type: POOL,
        props: { cluster: "c", networkConfig: { enablePrivateNodes: false } },
        want: "violation",
    },
]);

table("kubelet-read-only-port-disabled", [
    {
        name: "GKE default pool insecureKubeletReadonlyPortEnabled FALSE passes",
        type: GKE,
        props: gkeHardened,
        want: "pass",
    },
    {
        name: "GKE default pool TRUE fails",
        type: GKE,
        props: set(gkeHardened, "nodeConfig.kubeletConfig.insecureKubeletReadonlyPortEnabled", "TRUE"),
        want: "violation",
    },
    // GKE docs "Disable the kubelet read-only port": off by default in new clusters at 1.32 or later.
    {
        name: "GKE default pool unset with no version stated is unknown (the default depends on the version)",
        type: GKE,
        props: set(gkeHardened, "nodeConfig.kubeletConfig", undefined),
        want: "unknown",
    },
    {
        name: "GKE default pool unset at minMasterVersion 1.31 fails (port open by default)",
        type: GKE,
        props: set(set(gkeHardened, "nodeConfig.kubeletConfig", undefined), "minMasterVersion", "1.31.5-gke.100"),
        want: "violation",
    },
    {
        name: "GKE default pool unset at minMasterVersion 1.32 passes (off by default)",
        type: GKE,
        props: set(set(gkeHardened, "nodeConfig.kubeletConfig", undefined), "minMasterVersion", "1.32"),
        want: "pass",
    },
    {
        name: "GKE default pool unset at nodeVersion 1.14 fails",
        type: GKE,
        props: set(set(gkeHardened, "nodeConfig.kubeletConfig", undefined), "nodeVersion", "1.14.7-gke.17"),
        want: "violation",
    },
    {
        name: "GKE default pool unset with minMasterVersion latest is unknown",
        type: GKE,
        props: set(set(gkeHardened, "nodeConfig.kubeletConfig", undefined), "minMasterVersion", "latest"),
        want: "unknown",
    },
    {
        name: "GKE default pool unset with an unknown minMasterVersion is unknown",
        type: GKE,
        props: set(set(gkeHardened, "nodeConfig.kubeletConfig", undefined), "minMasterVersion", UNKNOWN_STRING),
        want: "unknown",
    },
    {
        name: "GKE default pool TRUE at 1.33 still fails (explicit wins over the version default)",
        type: GKE,
        props: set(
            set(gkeHardened, "nodeConfig.kubeletConfig.insecureKubeletReadonlyPortEnabled", "TRUE"),
            "minMasterVersion",
            "1.33",
        ),
        want: "violation",
    },
    {
        name: "GKE default pool unset but nodePoolDefaults FALSE passes",
        type: GKE,
        props: set(set(gkeHardened, "nodeConfig.kubeletConfig", undefined), "nodePoolDefaults", {
            nodeConfigDefaults: { insecureKubeletReadonlyPortEnabled: "FALSE" },
        }),
        want: "pass",
    },
    {
        name: "GKE nodePoolDefaults TRUE with default pool removed fails",
        type: GKE,
        props: {
            removeDefaultNodePool: true,
            nodePoolDefaults: { nodeConfigDefaults: { insecureKubeletReadonlyPortEnabled: "TRUE" } },
        },
        want: "violation",
    },
    {
        name: "GKE default pool removed and no defaults is judged on the NodePool resources instead",
        type: GKE,
        props: { removeDefaultNodePool: true },
        want: "pass",
    },
    {
        name: "GKE Autopilot nodePoolAutoConfig FALSE passes",
        type: GKE,
        props: {
            enableAutopilot: true,
            nodePoolAutoConfig: { nodeKubeletConfig: { insecureKubeletReadonlyPortEnabled: "FALSE" } },
        },
        want: "pass",
    },
    {
        name: "GKE Autopilot unset with no version is unknown",
        type: GKE,
        props: { enableAutopilot: true },
        want: "unknown",
    },
    {
        name: "GKE Autopilot unset at 1.30 fails",
        type: GKE,
        props: { enableAutopilot: true, minMasterVersion: "1.30" },
        want: "violation",
    },
    {
        name: "GKE Autopilot unset at 1.33 passes",
        type: GKE,
        props: { enableAutopilot: true, minMasterVersion: "1.33.1-gke.1" },
        want: "pass",
    },
    {
        name: "GKE node pool TRUE fails",
        type: POOL,
        props: { cluster: "c", nodeConfig: { kubeletConfig: { insecureKubeletReadonlyPortEnabled: "TRUE" } } },
        want: "violation",
    },
    {
        name: "GKE node pool FALSE passes",
        type: POOL,
        props: { cluster: "c", nodeConfig: { kubeletConfig: { insecureKubeletReadonlyPortEnabled: "FALSE" } } },
        want: "pass",
    },
    {
        name: "GKE node pool with an unreadable value is unknown",
        type: POOL,
        props: { cluster: "c", nodeConfig: { kubeletConfig: { insecureKubeletReadonlyPortEnabled: "maybe" } } },
        want: "unknown",
    },
]);

describe("messages", () => {
    it("name the resource, the setting and its location, why, and the fix", () => {
        const [f] = judgeProps(
            "cluster-public-endpoint-authorized-networks-only",
            EKS,
            set(eksHardened, "vpcConfig.endpointPublicAccess", true),
            {},
            "prod-eks",
        );
        assert.equal(f.level, "policy");
        assert.match(f.message, /aws:eks\/cluster:Cluster "prod-eks"/);
        assert.match(f.message, /vpcConfig\.publicAccessCidrs \(not set\) → \[0\.0\.0\.0\/0\]/);
        assert.match(f.message, /0\.0\.0\.0\/0 admits any address/);
        assert.match(f.message, /Why it matters: .*leaked credential/);
        assert.match(f.message, /Fix: Set vpcConfig\.endpointPublicAccess to false/);
    });
    it("AKS API server VNet integration is named as not making the cluster private", () => {
        const [f] = judgeProps(
            "cluster-public-endpoint-authorized-networks-only",
            AKS,
            set(aksHardened, "apiServerAccessProfile", { enableVnetIntegration: true, subnetId: "s" }),
            {},
            "x",
        );
        assert.equal(f.level, "policy");
        assert.match(
            f.message,
            /apiServerAccessProfile\.authorizedIPRanges \(not set: any address; enableVnetIntegration alone does not make it private\)/,
        );
        const [g] = judgeProps(
            "cluster-public-endpoint-authorized-networks-only",
            AKS_CLASSIC,
            set(set(aksClassicHardened, "privateClusterEnabled", undefined), "apiServerAccessProfile", {
                vnetIntegrationEnabled: true,
            }),
            {},
            "x",
        );
        assert.match(g.message, /vnetIntegrationEnabled alone does not make it private/);
        assert.equal(
            verdict(
                "cluster-public-endpoint-authorized-networks-only",
                AKS,
                set(aksHardened, "apiServerAccessProfile", { enableVnetIntegration: true, enablePrivateCluster: true }),
            ),
            "pass",
        );
    });
    it("an old AKS API version says why RBAC cannot be judged", () => {
        const [f] = judgeProps(
            "aks-rbac-enabled",
            "azure-native:containerservice/v20190601:ManagedCluster",
            set(aksHardened, "enableRBAC", undefined),
            {},
            "x",
        );
        assert.equal(f.level, "advisory");
        assert.match(
            f.message,
            /enableRBAC \(not set\) is not set at API version 2019-06-01, where clusters created outside az aks without enableRBAC had RBAC off/,
        );
    });
    it("never print a basic-auth password", () => {
        const [f] = judgeProps(
            "gke-basic-authentication-disabled",
            GKE,
            set(gkeHardened, "masterAuth", { username: "admin", password: "Mock-Passw0rd-123" }),
            {},
            "x",
        );
        assert.match(f.message, /masterAuth\.username\/password = set \(basic authentication on; values withheld\)/);
        assert.doesNotMatch(f.message, /Mock-Passw0rd-123|admin"/);
    });
    it("an unstated version gives one advisory that says why, not a guess", () => {
        const [f] = judgeProps(
            "kubelet-read-only-port-disabled",
            GKE,
            { ...set(gkeHardened, "nodeConfig.kubeletConfig", undefined), releaseChannel: { channel: "STABLE" } },
            {},
            "x",
        );
        assert.equal(f.level, "advisory");
        assert.match(
            f.message,
            /depends on the version the cluster is created at, which the program does not state \(.*the STABLE release channel picks at creation\)/,
        );
        assert.match(f.message, /off by default only in clusters created at 1\.32 or later/);
        assert.match(f.message, /State it in the program/);
        const [g] = judgeProps(
            "kubelet-read-only-port-disabled",
            GKE,
            set(set(gkeHardened, "nodeConfig.kubeletConfig", undefined), "minMasterVersion", "1.31"),
            {},
            "x",
        );
        assert.match(g.message, /port is open by default at this GKE version, minMasterVersion = 1\.31/);
    });
    it("withhold values that are not plain tokens", () => {
        const [f] = judgeProps(
            "eks-authentication-mode-not-config-map",
            EKS,
            set(eksHardened, "accessConfig.authenticationMode", "CONFIG_MAP"),
            {},
            "x",
        );
        assert.match(f.message, /accessConfig\.authenticationMode = CONFIG_MAP/);
        const [g] = judgeProps(
            "gke-anonymous-authentication-limited",
            GKE,
            set(gkeHardened, "anonymousAuthenticationConfig.mode", "s3cr3t token with spaces"),
            {},
            "x",
        );
        assert.doesNotMatch(g.message, /s3cr3t/);
        assert.match(g.message, /\(value withheld\)/);
    });
    it("an exemption turns the finding into an advisory that shows the reason", () => {
        const f = judgeProps(
            "aks-local-accounts-disabled",
            AKS,
            set(aksHardened, "disableLocalAccounts", false),
            {
                exemptions: [{ resource: "legacy-*", reason: "break-glass cluster, tracked in SEC-42" }],
            },
            "legacy-aks",
        );
        assert.equal(f.length, 1);
        assert.equal(f[0].level, "advisory");
        assert.match(
            f[0].message,
            /exempted from aks-local-accounts-disabled by resource "legacy-\*"; reason: break-glass cluster, tracked in SEC-42/,
        );
        const g = judgeProps(
            "aks-local-accounts-disabled",
            AKS,
            set(aksHardened, "disableLocalAccounts", false),
            {
                exemptions: [{ resource: "legacy-*", reason: "break-glass" }],
            },
            "prod-aks",
        );
        assert.equal(g[0].level, "policy");
    });
    it("an exemption by URN glob applies", () => {
        const f = judgeProps(
            "aks-local-accounts-disabled",
            AKS,
            set(aksHardened, "disableLocalAccounts", false),
            {
                exemptions: [{ urn: "urn:pulumi:dev::demo::*", reason: "dev stack" }],
            },
            "a",
        );
        assert.equal(f[0].level, "advisory");
    });
});

describe("GKE node pools: version-aware defaults and private nodes inherited from the cluster (stack level)", () => {
    const ctx = effectiveConfig({}, {});
    const res = (
        type: string,
        name: string,
        props: Record<string, unknown>,
        deps: Record<string, string[]> = {},
    ): StackResource => ({
        type,
        name,
        urn: `urn:pulumi:dev::demo::${type}::${name}`,
        props,
        dependencies: Object.values(deps).flat(),
        propertyDependencies: deps,
    });
    const cluster = (extra: Record<string, unknown>) =>
        res(GKE, "prod", { removeDefaultNodePool: true, initialNodeCount: 1, ...extra });
    const pool = (c: StackResource, props: Record<string, unknown> = {}) =>
        res(POOL, "pool", { cluster: UNKNOWN_STRING, nodeConfig: {}, ...props }, { cluster: [c.urn] });
    const levels = (id: string, stack: StackResource[]) => judgeStack(rule(id), stack, ctx).map((f) => f.level);

    it("read-only port: the cluster's minMasterVersion decides GKE's default (1.32 or later: off)", () => {
        const c33 = cluster({ minMasterVersion: "1.33.4-gke.1000000" });
        assert.deepEqual(
            levels("kubelet-read-only-port-disabled", [c33, pool(c33, { version: "1.33.4-gke.1000000" })]),
            [],
        );
        const c14 = cluster({ minMasterVersion: "1.14.7-gke.17" });
        const f = judgeStack(
            rule("kubelet-read-only-port-disabled"),
            [c14, pool(c14, { version: "1.14.7-gke.17" })],
            ctx,
        );
        assert.deepEqual(
            f.map((x) => x.level),
            ["policy"],
        );
        assert.match(
            f[0].message,
            /inherited from cluster "prod", .*port is open by default at this GKE version, minMasterVersion = 1\.14\.7-gke\.17/,
        );
    });
    it("read-only port: the pool's version speaks when the cluster states none; no version at all is one advisory", () => {
        const c = cluster({});
        assert.deepEqual(levels("kubelet-read-only-port-disabled", [c, pool(c, { version: "1.31.0" })]), ["policy"]);
        assert.deepEqual(levels("kubelet-read-only-port-disabled", [c, pool(c, { version: "1.32.1" })]), []);
        assert.deepEqual(levels("kubelet-read-only-port-disabled", [c, pool(c)]), ["advisory"]);
    });
    it("private nodes: a pool without networkConfig.enablePrivateNodes takes the cluster's privateClusterConfig", () => {
        const open = cluster({});
        const f = judgeStack(rule("gke-private-nodes-enabled"), [open, pool(open)], ctx);
        assert.deepEqual(
            f.map((x) => x.level),
            ["policy"],
        );
        assert.match(
            f[0].message,
            /"pool": inherited from cluster "prod", networkConfig\.enablePrivateNodes \(not set here or in the cluster's privateClusterConfig: nodes get external IPs\)/,
        );
        const priv = cluster({ privateClusterConfig: { enablePrivateNodes: true } });
        assert.deepEqual(levels("gke-private-nodes-enabled", [priv, pool(priv)]), []);
        assert.deepEqual(
            levels("gke-private-nodes-enabled", [priv, pool(priv, { networkConfig: { enablePrivateNodes: false } })]),
            [],
            "the pool's own flag is judged per resource, not again at stack level",
        );
        const orphan = res(POOL, "orphan", { cluster: "elsewhere", nodeConfig: {} });
        assert.deepEqual(levels("gke-private-nodes-enabled", [orphan]), ["advisory"]);
    });
});

const EKS_NATIVE = "aws-native:eks:Cluster";
const DOKS = "digitalocean:index/kubernetesCluster:KubernetesCluster";
const LKE = "linode:index/lkeCluster:LkeCluster";
const OKE = "oci:ContainerEngine/cluster:Cluster";
const eksNativeHardened = {
    roleArn: "arn:aws:iam::1:role/eks",
    resourcesVpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: false, endpointPrivateAccess: true },
    logging: { clusterLogging: { enabledTypes: [{ type: "api" }, { type: "audit" }, { type: "authenticator" }] } },
    encryptionConfig: [{ resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:1:key/abc" } }],
    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
};

table("cluster-public-endpoint-authorized-networks-only", [
    { name: "aws-native EKS private endpoint passes", type: EKS_NATIVE, props: eksNativeHardened, want: "pass" },
    {
        name: "aws-native EKS resourcesVpcConfig unset endpointPublicAccess fails (default public, 0.0.0.0/0)",
        type: EKS_NATIVE,
        props: set(eksNativeHardened, "resourcesVpcConfig.endpointPublicAccess", undefined),
        want: "violation",
    },
    {
        name: "aws-native EKS public with publicAccessCidrs 10.0.0.0/8 passes",
        type: EKS_NATIVE,
        props: set(
            set(eksNativeHardened, "resourcesVpcConfig.endpointPublicAccess", true),
            "resourcesVpcConfig.publicAccessCidrs",
            ["10.0.0.0/8"],
        ),
        want: "pass",
    },
    {
        name: "GKE DNS endpoint with external traffic and Kubernetes tokens via DNS fails (authorized networks do not apply)",
        type: GKE,
        props: set(gkeHardened, "controlPlaneEndpointsConfig", {
            dnsEndpointConfig: { allowExternalTraffic: true, enableK8sTokensViaDns: true },
        }),
        want: "violation",
    },
    {
        name: "GKE DNS endpoint with external traffic gated by IAM only, IP endpoint off, passes",
        type: GKE,
        props: set(gkeHardened, "controlPlaneEndpointsConfig", {
            ipEndpointsConfig: { enabled: false },
            dnsEndpointConfig: { allowExternalTraffic: true },
        }),
        want: "pass",
    },
    {
        name: "DigitalOcean without controlPlaneFirewall fails (any address)",
        type: DOKS,
        props: { name: "c", region: "nyc1", version: "1.33.1-do.0" },
        want: "violation",
    },
    {
        name: "DigitalOcean controlPlaneFirewall enabled false fails",
        type: DOKS,
        props: { controlPlaneFirewall: { enabled: false, allowedAddresses: ["10.0.0.0/8"] } },
        want: "violation",
    },
    {
        name: "DigitalOcean controlPlaneFirewall enabled with own networks passes",
        type: DOKS,
        props: { controlPlaneFirewall: { enabled: true, allowedAddresses: ["203.0.113.0/24"] } },
        want: "pass",
    },
    {
        name: "DigitalOcean controlPlaneFirewall enabled with 0.0.0.0/0 fails",
        type: DOKS,
        props: { controlPlaneFirewall: { enabled: true, allowedAddresses: ["0.0.0.0/0"] } },
        want: "violation",
    },
    {
        name: "DigitalOcean controlPlaneFirewall enabled unknown is unknown",
        type: DOKS,
        props: { controlPlaneFirewall: { enabled: UNKNOWN_BOOL, allowedAddresses: [] } },
        want: "unknown",
    },
    {
        name: "Linode LKE without controlPlane.acl fails (any address)",
        type: LKE,
        props: { label: "c", region: "us-east", k8sVersion: "1.33" },
        want: "violation",
    },
    {
        name: "Linode LKE acl without enabled fails (ACL off by default)",
        type: LKE,
        props: { controlPlane: { acl: { addresses: [{ ipv4s: ["203.0.113.4"] }] } } },
        want: "violation",
    },
    {
        name: "Linode LKE acl enabled with own addresses passes",
        type: LKE,
        props: {
            controlPlane: { acl: { enabled: true, addresses: [{ ipv4s: ["203.0.113.4"], ipv6s: ["2001:db8::/64"] }] } },
        },
        want: "pass",
    },
    {
        name: "Linode LKE acl enabled with 0.0.0.0/0 fails",
        type: LKE,
        props: { controlPlane: { acl: { enabled: true, addresses: [{ ipv4s: ["0.0.0.0/0"] }] } } },
        want: "violation",
    },
    {
        name: "OCI OKE without endpointConfig fails (public IP, not VCN-native)",
        type: OKE,
        props: { compartmentId: "c", kubernetesVersion: "v1.33.1", name: "oke", vcnId: "v" },
        want: "violation",
    },
    {
        name: "OCI OKE endpointConfig without isPublicIpEnabled passes (private by default)",
        type: OKE,
        props: { endpointConfig: { subnetId: "s" } },
        want: "pass",
    },
    {
        name: "OCI OKE public endpoint is unknown: its security lists and NSGs are other resources",
        type: OKE,
        props: { endpointConfig: { subnetId: "s", isPublicIpEnabled: true, nsgIds: ["n"] } },
        want: "unknown",
    },
]);

table("cluster-audit-logging-enabled", [
    { name: "aws-native EKS api+audit+authenticator passes", type: EKS_NATIVE, props: eksNativeHardened, want: "pass" },
    {
        name: "aws-native EKS without logging fails",
        type: EKS_NATIVE,
        props: set(eksNativeHardened, "logging", undefined),
        want: "violation",
    },
    {
        name: "aws-native EKS missing audit fails",
        type: EKS_NATIVE,
        props: set(eksNativeHardened, "logging.clusterLogging.enabledTypes", [
            { type: "api" },
            { type: "authenticator" },
        ]),
        want: "violation",
    },
]);

table("cluster-secrets-encryption-kms-enabled", [
    { name: "aws-native EKS secrets with a key passes", type: EKS_NATIVE, props: eksNativeHardened, want: "pass" },
    {
        name: "aws-native EKS without encryptionConfig fails",
        type: EKS_NATIVE,
        props: set(eksNativeHardened, "encryptionConfig", undefined),
        want: "violation",
    },
]);

table("eks-authentication-mode-not-config-map", [
    { name: "aws-native EKS API passes", type: EKS_NATIVE, props: eksNativeHardened, want: "pass" },
    {
        name: "aws-native EKS accessConfig unset fails (CONFIG_MAP)",
        type: EKS_NATIVE,
        props: set(eksNativeHardened, "accessConfig", undefined),
        want: "violation",
    },
]);

describe("the fix names the resource's own provider fields (and its component's arguments)", () => {
    const fix = (type: string, props: Record<string, unknown>, urn?: string) => {
        const n = normalize(type, props);
        const r = { type, name: "x", urn: urn ?? `urn:pulumi:dev::demo::${type}::x` };
        const f = judgeNormalized(
            rule("cluster-public-endpoint-authorized-networks-only"),
            r,
            n,
            effectiveConfig({}, {}),
        );
        assert.equal(f.length, 1, type);
        return f[0].message.slice(f[0].message.indexOf("Fix: "));
    };
    it("each carrier's message names only its own provider's fields", () => {
        const open: [string, Record<string, unknown>, RegExp, RegExp][] = [
            [
                EKS,
                set(eksHardened, "vpcConfig.endpointPublicAccess", true),
                /vpcConfig\.endpointPublicAccess/,
                /resourcesVpcConfig|masterAuthorized|apiServerAccessProfile/,
            ],
            [
                EKS_NATIVE,
                set(eksNativeHardened, "resourcesVpcConfig.endpointPublicAccess", true),
                /resourcesVpcConfig\.endpointPublicAccess/,
                /masterAuthorized|apiServerAccessProfile/,
            ],
            [
                GKE,
                set(set(gkeHardened, "privateClusterConfig", undefined), "masterAuthorizedNetworksConfig", undefined),
                /masterAuthorizedNetworksConfig\.cidrBlocks/,
                /vpcConfig|apiServerAccessProfile/,
            ],
            [
                AKS,
                set(aksHardened, "apiServerAccessProfile", undefined),
                /apiServerAccessProfile\.enablePrivateCluster/,
                /vpcConfig|masterAuthorized|privateClusterEnabled/,
            ],
            [
                AKS_CLASSIC,
                set(aksClassicHardened, "privateClusterEnabled", false),
                /privateClusterEnabled/,
                /vpcConfig|masterAuthorized|enablePrivateCluster\b/,
            ],
            [DOKS, {}, /controlPlaneFirewall/, /vpcConfig|masterAuthorized|apiServerAccessProfile/],
            [LKE, {}, /controlPlane\.acl/, /vpcConfig|masterAuthorized|apiServerAccessProfile/],
            [OKE, {}, /endpointConfig/, /vpcConfig|masterAuthorized|apiServerAccessProfile/],
        ];
        for (const [type, props, own, other] of open) {
            const text = fix(type, props);
            assert.match(text, own, type);
            assert.doesNotMatch(text, other, type);
        }
    });
    it("the kubelet read-only port fix names GKE fields on GKE and user data on an EC2 launch template, not each other's", () => {
        const readOnlyFix = (type: string, props: Record<string, unknown>) => {
            const r = { type, name: "x", urn: `urn:pulumi:dev::demo::${type}::x` };
            const f = judgeNormalized(
                rule("kubelet-read-only-port-disabled"),
                r,
                normalize(type, props),
                effectiveConfig({}, {}),
            );
            assert.equal(f.length, 1, type);
            return f[0].message.slice(f[0].message.indexOf("Fix: "));
        };
        const gke = readOnlyFix(
            GKE,
            set(gkeHardened, "nodeConfig.kubeletConfig.insecureKubeletReadonlyPortEnabled", "TRUE"),
        );
        assert.match(gke, /nodeConfig\.kubeletConfig\.insecureKubeletReadonlyPortEnabled/);
        assert.doesNotMatch(gke, /user data/);
        const userData = Buffer.from("#!/bin/bash\nkubelet --config=/x.yaml --read-only-port=10255\n").toString(
            "base64",
        );
        const lt = readOnlyFix("aws:ec2/launchTemplate:LaunchTemplate", { userData });
        assert.match(lt, /user data/);
        assert.doesNotMatch(lt, /GKE|insecureKubeletReadonlyPortEnabled/);
    });
    it("a cluster created by eks:index:Cluster names the component's arguments first", () => {
        const text = fix(
            EKS,
            set(eksHardened, "vpcConfig.endpointPublicAccess", true),
            `urn:pulumi:dev::demo::eks:index:Cluster$${EKS}::x-eksCluster`,
        );
        assert.match(
            text,
            /^Fix: Set the eks\.Cluster arguments endpointPublicAccess: false .* \(this resource is created by eks:index:Cluster; on the resource itself: Set vpcConfig\.endpointPublicAccess/,
        );
    });
});
