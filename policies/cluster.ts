// Managed control planes (EKS, GKE, AKS): endpoint exposure, authentication, authorization,
// audit logging, secrets encryption. One rule per setting, whichever cloud carries it.
import type { Subject } from "../providers/model";
import { UNKNOWN } from "../providers/props";
import { exposure, minimumPrefix, parseCidr } from "./cidr";
import type { CheckRule, Outcome, Rule, RuleContext } from "./rule";

/** Judges a public endpoint's authorized networks. */
export function judgeEndpoint(subject: Subject, ctx: RuleContext): Outcome {
    const pub = subject.settings["cluster.publicEndpoint"];
    const nets = subject.settings["cluster.authorizedNetworks"];
    if (!pub) return { verdict: "n/a" };
    if (pub.state === "unknown" || pub.state === "invalid") {
        return {
            verdict: "unknown",
            setting: pub,
            detail: "decides whether the endpoint is public and is not known yet",
        };
    }
    if (pub.value === false) return { verdict: "pass" };
    const cloudRanges = subject.settings["cluster.cloudPublicRangesAllowed"];
    if (cloudRanges?.value === true) {
        return {
            verdict: "fail",
            setting: cloudRanges,
            detail: "= true admits every public address of Google Cloud, including other customers' VMs",
        };
    }
    if (!nets) return { verdict: "fail", setting: pub, detail: "is public and no authorized networks are configured" };
    if (nets.state === "unknown")
        return {
            verdict: "unknown",
            setting: nets,
            detail: nets.reason ?? "is not known until the resources it depends on exist",
        };
    if (nets.state === "invalid" || !Array.isArray(nets.value)) {
        return {
            verdict: "unknown",
            setting: nets,
            detail: "is not a list of CIDR blocks, so the exposure cannot be judged",
        };
    }
    let sawUnknown = false;
    const bad: string[] = [];
    for (const entry of nets.value as unknown[]) {
        if (entry === UNKNOWN) {
            sawUnknown = true;
            continue;
        }
        const c = parseCidr(String(entry));
        if (!c) {
            return {
                verdict: "unknown",
                setting: nets,
                detail: `contains an entry that is not a CIDR block, so the exposure cannot be judged`,
            };
        }
        const open = exposure(c, ctx);
        if (open === "any") bad.push(`${c.text} admits any address`);
        else if (open === "broad") bad.push(`${c.text} is broader than /${minimumPrefix(c, ctx)}`);
    }
    if (bad.length > 0) {
        return {
            verdict: "fail",
            setting: nets,
            detail: `: the public endpoint is reachable because ${bad.join("; ")}`,
        };
    }
    if (sawUnknown)
        return {
            verdict: "unknown",
            setting: nets,
            detail: "has entries not known until the resources they depend on exist",
        };
    return { verdict: "pass" };
}

const endpoint: CheckRule = {
    kind: "check",
    id: "cluster-public-endpoint-authorized-networks-only",
    title: "A managed cluster's public API endpoint admits only authorized networks",
    component: "cluster",
    settings: ["cluster.publicEndpoint", "cluster.authorizedNetworks"],
    severity: "critical",
    enforcement: "mandatory",
    cis: [
        { benchmark: "cis-eks-1.7", id: "5.4.1" },
        { benchmark: "cis-gke-1.6", id: "5.6.3" },
        { benchmark: "cis-aks-1.7", id: "5.4.1" },
    ],
    why: "an API server reachable from the whole internet lets anyone holding a leaked credential or token use it at once, and exposes the server to unauthenticated attacks",
    remediation:
        "Make the endpoint private (EKS vpcConfig.endpointPublicAccess=false, GKE privateClusterConfig.enablePrivateEndpoint=true, AKS apiServerAccessProfile.enablePrivateCluster=true, OKE endpointConfig.isPublicIpEnabled=false) or list only your own networks (EKS vpcConfig.publicAccessCidrs, GKE masterAuthorizedNetworksConfig.cidrBlocks, AKS apiServerAccessProfile.authorizedIPRanges, DigitalOcean controlPlaneFirewall, Linode controlPlane.acl).",
    fix: {
        aws: "Set vpcConfig.endpointPublicAccess to false with endpointPrivateAccess true, or list only your own networks in vpcConfig.publicAccessCidrs.",
        "aws-native":
            "Set resourcesVpcConfig.endpointPublicAccess to false with endpointPrivateAccess true, or list only your own networks in resourcesVpcConfig.publicAccessCidrs.",
        "eks:index:Cluster":
            "Set the eks.Cluster arguments endpointPublicAccess: false and endpointPrivateAccess: true, or publicAccessCidrs to your own networks",
        gcp: "Set privateClusterConfig.enablePrivateEndpoint to true (or controlPlaneEndpointsConfig.ipEndpointsConfig.enabled to false), or list only your own networks in masterAuthorizedNetworksConfig.cidrBlocks; keep Kubernetes tokens and certificates off the DNS endpoint (dnsEndpointConfig.enableK8sTokensViaDns/enableK8sCertsViaDns).",
        "azure-native":
            "Set apiServerAccessProfile.enablePrivateCluster to true (API server VNet integration alone keeps the endpoint public), or list only your own networks in apiServerAccessProfile.authorizedIPRanges.",
        azure: "Set privateClusterEnabled to true (apiServerAccessProfile.vnetIntegrationEnabled alone keeps the endpoint public), or list only your own networks in apiServerAccessProfile.authorizedIpRanges.",
        digitalocean: "Set controlPlaneFirewall { enabled: true, allowedAddresses: [your own networks] }.",
        linode: "Set controlPlane.acl { enabled: true, addresses: [{ ipv4s, ipv6s }] } with only your own networks.",
        oci: "Give the cluster an endpointConfig in your VCN with isPublicIpEnabled false, or restrict the endpoint subnet's security lists and endpointConfig.nsgIds to your own networks.",
    },
    url: "https://kubernetes.io/docs/concepts/security/api-server-bypass-risks/",
    tags: ["exposure", "network", "eks", "gke", "aks", "digitalocean", "linode", "oke"],
    knobs: "cidrs",
    check: judgeEndpoint,
};

function boolRule(
    r: Omit<Rule & { kind: "setting" }, "kind" | "op" | "expected"> & { value: boolean; expected?: string },
): Rule {
    return { ...r, kind: "setting", op: "eq", expected: r.expected ?? String(r.value) };
}

export const CLUSTER_RULES: Rule[] = [
    endpoint,
    boolRule({
        id: "gke-client-certificate-issuance-disabled",
        title: "GKE does not issue a client certificate for cluster access",
        component: "cluster",
        platforms: ["gke"],
        setting: "cluster.clientCertificate",
        value: false,
        severity: "high",
        enforcement: "mandatory",
        cis: [{ benchmark: "cis-gke-1.6", id: "5.8.1" }],
        why: "a client certificate is a long-lived credential that cannot be revoked without rotating the cluster CA",
        remediation:
            "Set masterAuth.clientCertificateConfig.issueClientCertificate to false and authenticate with Google identities.",
        url: "https://cloud.google.com/kubernetes-engine/docs/how-to/api-server-authentication",
        tags: ["authentication", "gke"],
    }),
    {
        kind: "setting",
        id: "gke-anonymous-authentication-limited",
        title: "GKE limits anonymous API requests to health endpoints",
        component: "cluster",
        platforms: ["gke"],
        setting: "cluster.anonymousAuthentication",
        op: "eq",
        value: "LIMITED",
        expected: "LIMITED",
        severity: "medium",
        enforcement: "advisory",
        cis: [],
        why: "with anonymous authentication ENABLED, any RBAC grant to system:anonymous or system:unauthenticated becomes reachable from anywhere that reaches the endpoint",
        remediation:
            "Set anonymousAuthenticationConfig.mode to LIMITED so unauthenticated callers reach only /healthz, /livez and /readyz.",
        url: "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#restrict_anonymous_access",
        tags: ["authentication", "anonymous", "gke"],
    },
    boolRule({
        id: "gke-insecure-rbac-binding-unauthenticated-disabled",
        title: "GKE rejects RBAC bindings to system:anonymous and system:unauthenticated",
        component: "cluster",
        platforms: ["gke"],
        setting: "cluster.insecureBindingUnauthenticated",
        value: false,
        severity: "medium",
        enforcement: "advisory",
        cis: [],
        why: "a single binding to system:unauthenticated grants its permissions to every caller on the internet",
        remediation: "Set rbacBindingConfig.enableInsecureBindingSystemUnauthenticated to false.",
        url: "https://cloud.google.com/kubernetes-engine/docs/best-practices/rbac#prevent-default-group-usage",
        tags: ["authorization", "rbac", "gke"],
    }),
    boolRule({
        id: "gke-insecure-rbac-binding-authenticated-disabled",
        title: "GKE rejects RBAC bindings to system:authenticated",
        component: "cluster",
        platforms: ["gke"],
        setting: "cluster.insecureBindingAuthenticated",
        value: false,
        severity: "low",
        enforcement: "advisory",
        cis: [],
        why: "on GKE system:authenticated includes every Google account, not only your organisation",
        remediation: "Set rbacBindingConfig.enableInsecureBindingSystemAuthenticated to false.",
        url: "https://cloud.google.com/kubernetes-engine/docs/best-practices/rbac#prevent-default-group-usage",
        tags: ["authorization", "rbac", "gke"],
    }),
    boolRule({
        id: "gke-basic-authentication-disabled",
        title: "GKE does not accept a static username and password (basic authentication)",
        component: "cluster",
        platforms: ["gke"],
        setting: "cluster.basicAuth",
        value: false,
        expected: "no masterAuth username or password",
        severity: "high",
        enforcement: "mandatory",
        cis: [], // CIS GKE 1.0 had it (5.8.1 then); 1.6 dropped it once GKE removed the feature.
        why: "basic authentication accepts one static admin password on the API endpoint, with no per-user identity, no expiry and no revocation short of rotating it",
        remediation:
            "Remove masterAuth.username and masterAuth.password (GKE removed basic authentication in 1.19) and authenticate with Google identities.",
        url: "https://cloud.google.com/kubernetes-engine/docs/how-to/api-server-authentication#disabling_authentication_with_a_static_password",
        tags: ["authentication", "gke"],
    }),
    boolRule({
        id: "gke-legacy-abac-disabled",
        title: "GKE legacy ABAC authorization is disabled",
        component: "cluster",
        platforms: ["gke"],
        setting: "cluster.legacyAbac",
        value: false,
        severity: "high",
        enforcement: "mandatory",
        cis: [{ benchmark: "cis-gke-1.6", id: "5.8.3" }],
        why: "legacy ABAC grants broad static permissions that bypass RBAC",
        remediation: "Set enableLegacyAbac to false and grant access with RBAC.",
        url: "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#leave_abac_disabled",
        tags: ["authorization", "gke"],
    }),
    boolRule({
        id: "aks-local-accounts-disabled",
        title: "AKS local accounts are disabled",
        component: "cluster",
        platforms: ["aks"],
        setting: "cluster.localAccounts",
        value: false,
        expected: "true (local accounts disabled)",
        severity: "high",
        enforcement: "mandatory",
        cis: [],
        why: "the local cluster-admin credential bypasses Entra ID, cannot be tied to a person, and stays valid until the certificate is rotated",
        remediation:
            "Set disableLocalAccounts to true (classic azure: localAccountDisabled = true) together with Entra ID integration.",
        fix: {
            "azure-native": "Set disableLocalAccounts to true together with aadProfile (Entra ID integration).",
            azure: "Set localAccountDisabled to true together with azureActiveDirectoryRoleBasedAccessControl.",
        },
        url: "https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad",
        tags: ["authentication", "aks"],
    }),
    boolRule({
        id: "aks-entra-id-integration-enabled",
        title: "AKS authenticates users with Microsoft Entra ID",
        component: "cluster",
        platforms: ["aks"],
        setting: "cluster.entraId",
        value: true,
        severity: "medium",
        enforcement: "advisory",
        cis: [{ benchmark: "cis-aks-1.7", id: "5.5.1" }],
        why: "without Entra ID the cluster has only certificate credentials, which cannot be revoked per user or protected by conditional access",
        remediation:
            "Configure aadProfile (managed: true, enableAzureRBAC: true) (classic azure: azureActiveDirectoryRoleBasedAccessControl).",
        fix: {
            "azure-native": "Configure aadProfile { managed: true, enableAzureRBAC: true }.",
            azure: "Configure azureActiveDirectoryRoleBasedAccessControl { azureRbacEnabled: true }.",
        },
        url: "https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id",
        tags: ["authentication", "aks"],
    }),
    {
        kind: "setting",
        id: "eks-authentication-mode-not-config-map",
        title: "EKS does not rely on the aws-auth ConfigMap alone for authentication",
        component: "cluster",
        platforms: ["eks"],
        setting: "cluster.authenticationMode",
        op: "noteq",
        value: "CONFIG_MAP",
        expected: "API or API_AND_CONFIG_MAP",
        severity: "medium",
        enforcement: "advisory",
        // EKS 2.0.0 also checks the authentication mode itself: 4.1.7 passes on API or API_AND_CONFIG_MAP
        // (cfg/eks-2.0.0/policies.yaml).
        cis: [
            { benchmark: "cis-eks-1.7", id: "5.5.1" },
            { benchmark: "cis-eks-2.0", id: "4.1.7" },
        ],
        why: "the aws-auth ConfigMap is deprecated, is edited in-cluster without IAM audit, and one bad edit can grant system:masters or lock everyone out",
        remediation:
            "Set accessConfig.authenticationMode to API (or API_AND_CONFIG_MAP while migrating) and manage access entries.",
        fix: {
            "eks:index:Cluster":
                "Set the eks.Cluster argument authenticationMode to API (or API_AND_CONFIG_MAP while migrating) and grant access with its accessEntries argument",
        },
        url: "https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html",
        tags: ["authentication", "eks"],
    },
    boolRule({
        id: "aks-rbac-enabled",
        title: "AKS Kubernetes RBAC is enabled",
        component: "cluster",
        platforms: ["aks"],
        setting: "cluster.rbac",
        value: true,
        severity: "critical",
        enforcement: "mandatory",
        cis: [],
        why: "without RBAC every authenticated user is authorized for every action",
        remediation:
            "Set enableRBAC to true (classic azure: roleBasedAccessControlEnabled = true); this requires recreating the cluster.",
        fix: {
            "azure-native": "Set enableRBAC to true; this requires recreating the cluster.",
            azure: "Set roleBasedAccessControlEnabled to true; this requires recreating the cluster.",
        },
        url: "https://learn.microsoft.com/azure/aks/concepts-identity#kubernetes-rbac",
        tags: ["authorization", "aks"],
    }),
    {
        kind: "setting",
        id: "cluster-audit-logging-enabled",
        title: "A managed cluster ships API server, audit and authenticator logs",
        component: "cluster",
        platforms: ["eks", "gke", "aks"],
        setting: "cluster.controlPlaneLogs",
        op: "hasAll",
        value: ["api", "audit", "authenticator"],
        expected:
            "api, audit and authenticator logs (EKS enabledClusterLogTypes; GKE Cloud Logging on, per CIS GKE 5.7.1; AKS a diagnostic setting with kube-audit)",
        stack: true,
        severity: "medium",
        enforcement: "advisory",
        cis: [
            { benchmark: "cis-eks-1.7", id: "2.1.1" },
            { benchmark: "cis-gke-1.6", id: "5.7.1" },
            { benchmark: "cis-aks-1.7", id: "2.1.1" },
        ],
        why: "without API server and audit logs a stolen credential's use cannot be detected or investigated",
        remediation:
            "EKS: add api, audit and authenticator to enabledClusterLogTypes. GKE: keep Cloud Logging on (loggingService not none, loggingConfig.enableComponents with SYSTEM_COMPONENTS). AKS: add a diagnostic setting on the cluster with the kube-audit (or audit category group) logs enabled.",
        fix: {
            aws: "Add api, audit and authenticator to enabledClusterLogTypes.",
            "aws-native": "Add api, audit and authenticator to logging.clusterLogging.enabledTypes (each { type }).",
            "eks:index:Cluster": "Add api, audit and authenticator to the eks.Cluster argument enabledClusterLogTypes",
            gcp: "Keep Cloud Logging on: loggingService not none and loggingConfig.enableComponents with SYSTEM_COMPONENTS (add APISERVER for API server logs).",
            "azure-native":
                "Add an insights.DiagnosticSetting with resourceUri set to the cluster's id and the kube-audit (or audit category group) logs enabled.",
            azure: "Add a monitoring.DiagnosticSetting with targetResourceId set to the cluster's id and an enabledLog for kube-audit (or the audit category group).",
        },
        url: "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",
        tags: ["audit", "logging", "eks", "gke", "aks", "stack"],
    },
    boolRule({
        id: "cluster-secrets-encryption-kms-enabled",
        title: "A managed cluster encrypts Secrets with a customer-managed KMS key",
        component: "cluster",
        setting: "cluster.secretsEncryption",
        value: true,
        severity: "medium",
        enforcement: "advisory",
        cis: [
            { benchmark: "cis-eks-1.7", id: "5.3.1" },
            { benchmark: "cis-gke-1.6", id: "5.3.1" },
            { benchmark: "cis-aks-1.7", id: "5.3.1" },
        ],
        why: "envelope encryption with your own key keeps Secrets unreadable in etcd backups and lets you revoke access by disabling the key",
        remediation:
            'EKS: encryptionConfig { resources: ["secrets"], provider.keyArn }. GKE: databaseEncryption { state: ENCRYPTED, keyName }. AKS: securityProfile.azureKeyVaultKms { enabled: true, keyId } (classic azure: keyManagementService).',
        fix: {
            aws: 'Set encryptionConfig { resources: ["secrets"], provider: { keyArn } } with your KMS key.',
            "aws-native":
                'Set encryptionConfig to [{ resources: ["secrets"], provider: { keyArn } }] with your KMS key.',
            "eks:index:Cluster": "Set the eks.Cluster argument encryptionConfigKeyArn to your KMS key",
            gcp: 'Set databaseEncryption { state: "ENCRYPTED", keyName } with your Cloud KMS key.',
            "azure-native": "Set securityProfile.azureKeyVaultKms { enabled: true, keyId } with your Key Vault key.",
            azure: "Set keyManagementService { keyVaultKeyId } with your Key Vault key.",
        },
        url: "https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/",
        tags: ["encryption", "secrets", "eks", "gke", "aks"],
    }),
    {
        kind: "setting",
        id: "gke-workload-metadata-server-enabled",
        title: "GKE nodes hide the Compute Engine metadata server behind the GKE metadata server",
        component: "nodepool",
        platforms: ["gke"],
        setting: "nodepool.workloadMetadataMode",
        op: "eq",
        value: "GKE_METADATA",
        expected: "GKE_METADATA",
        severity: "medium",
        enforcement: "advisory",
        cis: [{ benchmark: "cis-gke-1.6", id: "5.4.1" }],
        why: "pods that reach the Compute Engine metadata server can read the node's service-account token and kubelet bootstrap credentials",
        remediation:
            "Enable Workload Identity (workloadIdentityConfig.workloadPool) and set nodeConfig.workloadMetadataConfig.mode to GKE_METADATA.",
        url: "https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata",
        tags: ["metadata", "credentials", "gke", "stack"],
        stack: true,
    },
    boolRule({
        id: "gke-private-nodes-enabled",
        title: "GKE nodes have no public IP addresses",
        component: "nodepool",
        platforms: ["gke"],
        setting: "nodepool.privateNodes",
        value: true,
        severity: "low",
        enforcement: "advisory",
        cis: [{ benchmark: "cis-gke-1.6", id: "5.6.5" }],
        why: "nodes with public addresses expose the kubelet (10250) and node ports to the internet if a firewall rule is ever too broad",
        remediation:
            "Set privateClusterConfig.enablePrivateNodes to true (node pools: networkConfig.enablePrivateNodes).",
        url: "https://cloud.google.com/kubernetes-engine/docs/how-to/private-clusters",
        tags: ["exposure", "network", "gke", "stack"],
        stack: true,
    }),
];
