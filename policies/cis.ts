// The CIS controls the pack maps to, with their titles. Rules may only cite ids listed here (a test checks it),
// so a typo cannot invent a control. Titles follow the benchmarks as kube-bench ships them.
//
// Rule records cite the benchmarks they were written against (Kubernetes 1.12, EKS 1.7.0, GKE 1.6.0, AKS 1.7.0).
// CURRENT maps those ids to the newest benchmark whose numbering was verified from a public source, in one place:
// currentCis() rewrites a rule's references when the rule list is built (policies/index.ts), so `framework`, tags,
// docs and reports all carry the current ids, and the older ids stay on the rule as alias tags
// ("cis-kubernetes-1.12:1.2.1"). SOURCES records, per benchmark, where its ids and titles were checked (a test
// requires one for every benchmark a rule cites).
//
// GKE v2.0.0 and AKS v2.0.0 are NOT cited: their numbering is not public. kube-bench has no cfg for them (its issues
// #2143 and #2144, opened when CIS published them, are open, and #2124 says its next release waits for them);
// kubescape's regolibrary stops at GKE v1.9.0 and AKS v1.8.0; Tenable's published audits stop at GKE v1.9.0. An id is
// never guessed: the newest verified releases are cited instead (see SOURCES).
import type { Benchmark, CisRef, Rule } from "./rule";

export const BENCHMARKS: Record<Benchmark, { name: string; version: string }> = {
    "cis-kubernetes-2.0": { name: "CIS Kubernetes Benchmark", version: "2.0.0" },
    "cis-kubernetes-2.1": { name: "CIS Kubernetes Benchmark", version: "2.1.0" },
    "cis-eks-2.0": { name: "CIS Amazon EKS Benchmark", version: "2.0.0" },
    "cis-kubernetes-1.12": { name: "CIS Kubernetes Benchmark", version: "1.12" },
    "cis-eks-1.7": { name: "CIS Amazon EKS Benchmark", version: "1.7.0" },
    "cis-gke-1.6": { name: "CIS Google Kubernetes Engine (GKE) Benchmark", version: "1.6.0" },
    "cis-aks-1.7": { name: "CIS Azure Kubernetes Service (AKS) Benchmark", version: "1.7.0" },
    "cis-gke-1.9": { name: "CIS Google Kubernetes Engine (GKE) Benchmark", version: "1.9.0" },
    "cis-aks-1.8": { name: "CIS Azure Kubernetes Service (AKS) Benchmark", version: "1.8.0" },
};

export const CONTROLS: Record<Benchmark, Record<string, string>> = {
    // Filled below from the benchmarks they follow.
    "cis-kubernetes-2.0": {},
    "cis-eks-2.0": {},
    "cis-gke-1.9": {},
    "cis-aks-1.8": {},
    // v2.1.0 changes the pack cites: not in kube-bench's cfg yet; id and title from the published benchmark's
    // audit items (Tenable "CIS Kubernetes v2.1.0 L2 Master Node").
    "cis-kubernetes-2.1": {
        "5.1.14":
            "Ensure that access to the Kubelet API uses fine-grained subresources instead of nodes/proxy where possible",
    },
    "cis-kubernetes-1.12": {
        "1.2.1": "Ensure that the --anonymous-auth argument is set to false",
        "1.2.2": "Ensure that the --token-auth-file parameter is not set",
        "1.2.3": "Ensure that the --DenyServiceExternalIPs is set",
        "1.2.4":
            "Ensure that the --kubelet-client-certificate and --kubelet-client-key arguments are set as appropriate",
        "1.2.5": "Ensure that the --kubelet-certificate-authority argument is set as appropriate",
        "1.2.6": "Ensure that the --authorization-mode argument is not set to AlwaysAllow",
        "1.2.7": "Ensure that the --authorization-mode argument includes Node",
        "1.2.8": "Ensure that the --authorization-mode argument includes RBAC",
        "1.2.9": "Ensure that the admission control plugin EventRateLimit is set",
        "1.2.10": "Ensure that the admission control plugin AlwaysAdmit is not set",
        "1.2.11": "Ensure that the admission control plugin AlwaysPullImages is set",
        "1.2.12": "Ensure that the admission control plugin ServiceAccount is set",
        "1.2.13": "Ensure that the admission control plugin NamespaceLifecycle is set",
        "1.2.14": "Ensure that the admission control plugin NodeRestriction is set",
        "1.2.15": "Ensure that the --profiling argument is set to false",
        "1.2.16": "Ensure that the --audit-log-path argument is set",
        "1.2.17": "Ensure that the --audit-log-maxage argument is set to 30 or as appropriate",
        "1.2.18": "Ensure that the --audit-log-maxbackup argument is set to 10 or as appropriate",
        "1.2.19": "Ensure that the --audit-log-maxsize argument is set to 100 or as appropriate",
        "1.2.20": "Ensure that the --request-timeout argument is set as appropriate",
        "1.2.21": "Ensure that the --service-account-lookup argument is set to true",
        "1.2.22": "Ensure that the --service-account-key-file argument is set as appropriate",
        "1.2.23": "Ensure that the --etcd-certfile and --etcd-keyfile arguments are set as appropriate",
        "1.2.24": "Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate",
        "1.2.25": "Ensure that the --client-ca-file argument is set as appropriate",
        "1.2.26": "Ensure that the --etcd-cafile argument is set as appropriate",
        "1.2.27": "Ensure that the --encryption-provider-config argument is set as appropriate",
        "1.2.29": "Ensure that the API Server only makes use of Strong Cryptographic Ciphers",
        "1.2.30": "Ensure that the --service-account-extend-token-expiration parameter is set to false",
        "3.2.1": "Ensure that a minimal audit policy is created",
        "3.2.2": "Ensure that the audit policy covers key security concerns",
        "1.3.1": "Ensure that the --terminated-pod-gc-threshold argument is set as appropriate",
        "1.3.2": "Ensure that the --profiling argument is set to false",
        "1.3.3": "Ensure that the --use-service-account-credentials argument is set to true",
        "1.3.4": "Ensure that the --service-account-private-key-file argument is set as appropriate",
        "1.3.5": "Ensure that the --root-ca-file argument is set as appropriate",
        "1.3.6": "Ensure that the RotateKubeletServerCertificate argument is set to true",
        "1.3.7": "Ensure that the --bind-address argument is set to 127.0.0.1",
        "1.4.1": "Ensure that the --profiling argument is set to false",
        "1.4.2": "Ensure that the --bind-address argument is set to 127.0.0.1",
        "2.1": "Ensure that the --cert-file and --key-file arguments are set as appropriate",
        "2.2": "Ensure that the --client-cert-auth argument is set to true",
        "2.3": "Ensure that the --auto-tls argument is not set to true",
        "2.4": "Ensure that the --peer-cert-file and --peer-key-file arguments are set as appropriate",
        "2.5": "Ensure that the --peer-client-cert-auth argument is set to true",
        "2.6": "Ensure that the --peer-auto-tls argument is not set to true",
        "4.2.1": "Ensure that the --anonymous-auth argument is set to false",
        "4.2.2": "Ensure that the --authorization-mode argument is not set to AlwaysAllow",
        "4.2.3": "Ensure that the --client-ca-file argument is set as appropriate",
        "4.2.4": "Verify that if defined, the --read-only-port argument is set to 0",
        "4.2.5": "Ensure that the --streaming-connection-idle-timeout argument is not set to 0",
        "4.2.6": "Ensure that the --make-iptables-util-chains argument is set to true",
        "4.2.7": "Ensure that the --hostname-override argument is not set",
        "4.2.8": "Ensure that the eventRecordQPS argument is set to a level which ensures appropriate event capture",
        "4.2.9": "Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate",
        "4.2.10": "Ensure that the --rotate-certificates argument is not set to false",
        "4.2.11": "Verify that the RotateKubeletServerCertificate argument is set to true",
        "4.2.12": "Ensure that the Kubelet only makes use of Strong Cryptographic Ciphers",
        "4.2.13": "Ensure that a limit is set on pod PIDs",
        "4.2.14": "Ensure that the --seccomp-default parameter is set to true",
        "4.3.1": "Ensure that the kube-proxy metrics service is bound to localhost",
        "5.1.1": "Ensure that the cluster-admin role is only used where required",
        "5.1.2": "Minimize access to secrets",
        "5.1.3": "Minimize wildcard use in Roles and ClusterRoles",
        "5.1.7": "Avoid use of system:masters group",
        "5.1.8": "Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster",
        "5.1.10": "Minimize access to the proxy sub-resource of nodes",
        "5.1.11": "Minimize access to the approval sub-resource of certificatesigningrequests objects",
        "5.1.12": "Minimize access to webhook configuration objects",
        "5.1.13": "Minimize access to the service account token creation",
    },
    "cis-eks-1.7": {
        "2.1.1": "Enable audit Logs",
        "3.2.1": "Ensure that the Anonymous Auth is Not Enabled",
        "3.2.2": "Ensure that the --authorization-mode argument is not set to AlwaysAllow",
        "3.2.3": "Ensure that a Client CA File is Configured",
        "3.2.4": "Ensure that the --read-only-port is disabled",
        "3.2.5": "Ensure that the --streaming-connection-idle-timeout argument is not set to 0",
        "3.2.6": "Ensure that the --make-iptables-util-chains argument is set to true",
        "3.2.7":
            "Ensure that the --eventRecordQPS argument is set to 0 or a level which ensures appropriate event capture",
        "3.2.8": "Ensure that the --rotate-certificates argument is not present or is set to true",
        "3.2.9": "Ensure that the RotateKubeletServerCertificate argument is set to true",
        "5.3.1": "Ensure Kubernetes Secrets are encrypted using Customer Master Keys (CMKs) managed in AWS KMS",
        "5.4.1": "Restrict Access to the Control Plane Endpoint",
        "5.4.2": "Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled",
        "5.5.1":
            "Manage Kubernetes RBAC users with AWS IAM Authenticator for Kubernetes or Upgrade to AWS CLI v1.16.156 or greater",
    },
    "cis-gke-1.6": {
        "3.2.1": "Ensure that the Anonymous Auth is Not Enabled",
        "3.2.2": "Ensure that the --authorization-mode argument is not set to AlwaysAllow",
        "3.2.3": "Ensure that a Client CA File is Configured",
        "3.2.4": "Ensure that the --read-only-port argument is disabled",
        "3.2.5": "Ensure that the --streaming-connection-idle-timeout argument is not set to 0",
        "3.2.6": "Ensure that the --make-iptables-util-chains argument is set to true",
        "3.2.7":
            "Ensure that the --eventRecordQPS argument is set to 0 or a level which ensures appropriate event capture",
        "3.2.8": "Ensure that the --rotate-certificates argument is not present or is set to true",
        "3.2.9": "Ensure that the RotateKubeletServerCertificate argument is set to true",
        "5.3.1": "Ensure Kubernetes Secrets are encrypted using keys managed in Cloud KMS",
        "5.4.1": "Ensure the GKE Metadata Server is Enabled",
        "5.6.3": "Ensure Control Plane Authorized Networks is Enabled",
        "5.6.4": "Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled",
        "5.6.5": "Ensure clusters are created with Private Nodes",
        "5.7.1": "Ensure Logging and Cloud Monitoring is Enabled",
        "5.8.1": "Ensure authentication using Client Certificates is Disabled",
        "5.8.3": "Ensure Legacy Authorization (ABAC) is Disabled",
    },
    "cis-aks-1.7": {
        "2.1.1": "Enable audit Logs",
        "3.2.1": "Ensure that the --anonymous-auth argument is set to false",
        "3.2.2": "Ensure that the --authorization-mode argument is not set to AlwaysAllow",
        "3.2.3": "Ensure that the --client-ca-file argument is set as appropriate",
        "3.2.4": "Ensure that the --read-only-port is secured",
        "3.2.5": "Ensure that the --streaming-connection-idle-timeout argument is not set to 0",
        "3.2.6": "Ensure that the --make-iptables-util-chains argument is set to true",
        "3.2.7":
            "Ensure that the --eventRecordQPS argument is set to 0 or a level which ensures appropriate event capture",
        "3.2.8": "Ensure that the --rotate-certificates argument is not set to false",
        "3.2.9": "Ensure that the RotateKubeletServerCertificate argument is set to true",
        "5.3.1": "Ensure Kubernetes Secrets are encrypted",
        "5.4.1": "Restrict Access to the Control Plane Endpoint",
        "5.4.2": "Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled",
        "5.5.1": "Manage Kubernetes RBAC users with Azure AD",
    },
};

// CIS Kubernetes v2.0.0 as kube-bench ships it (cfg/cis-2.0/master.yaml, etcd.yaml, node.yaml, policies.yaml):
// sections 1.2-1.4, 2, 4.2, 4.3 and 5.1 keep every id and title the pack cites from v1.12, so the map is one to one.
CONTROLS["cis-kubernetes-2.0"] = { ...CONTROLS["cis-kubernetes-1.12"] };

// CIS Amazon EKS v2.0.0 as kube-bench ships it (cfg/eks-2.0.0/controlplane.yaml, node.yaml, managedservices.yaml).
CONTROLS["cis-eks-2.0"] = {
    "2.1.1": "Enable EKS control plane logging",
    "3.2.1": "Ensure kubelet anonymous authentication is disabled",
    "3.2.2": "Ensure kubelet authorization mode is set to Webhook",
    "3.2.3": "Ensure the kubelet X.509 client CA file is configured",
    "3.2.4": "Ensure the kubelet read-only port is disabled",
    "3.2.5": "Ensure the kubelet iptables utility chains are enabled",
    "3.2.6": "Ensure the kubelet event recording QPS is set to an appropriate value",
    "3.2.7": "Ensure the kubelet client certificate rotation is enabled",
    "3.2.8": "Ensure serverTLSBootstrap and RotateKubeletServerCertificate are enabled",
    "5.3.1": "Use customer managed KMS keys for EKS envelope encryption of Kubernetes secrets",
    "5.4.1": "Restrict EKS control plane endpoint access with private access and public CIDR allowlists",
    "5.4.2": "Enable private-only EKS control plane access and disable the public endpoint",
    "5.4.3": "Ensure clusters are created with Private Nodes",
    "5.5.1": "Use EKS access entries to manage IAM principal access to Kubernetes",
};

// CIS GKE v1.9.0 as kube-bench ships it (cfg/gke-1.9.0/managedservices.yaml, policies.yaml): the managed-service
// controls the pack cites keep their v1.6.0 ids and titles; section 4.1 (RBAC) is renumbered.
CONTROLS["cis-gke-1.9"] = {
    ...Object.fromEntries(
        ["5.3.1", "5.4.1", "5.6.3", "5.6.4", "5.6.5", "5.7.1", "5.8.1", "5.8.3"].map((id) => [
            id,
            CONTROLS["cis-gke-1.6"][id],
        ]),
    ),
    "4.1.1": "Ensure that the cluster-admin role is only used where required",
    "4.1.2": "Minimize access to secrets",
    "4.1.3": "Minimize wildcard use in Roles and ClusterRoles",
    "4.1.6": "Avoid use of system:masters group",
    "4.1.7": "Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster",
    "4.1.8": "Avoid bindings to system:anonymous",
    "4.1.9": "Avoid non-default bindings to system:unauthenticated",
    "4.1.10": "Avoid non-default bindings to system:authenticated",
};

// RBAC controls of the managed benchmarks (section 4.1), as kube-bench ships them: cfg/eks-2.0.0/policies.yaml and
// cfg/aks-1.8.0/policies.yaml.
Object.assign(CONTROLS["cis-eks-2.0"], {
    "4.1.1": "Ensure that the cluster-admin role is only used where required",
    "4.1.2": "Ensure access to Secrets is minimized and granted only where required",
    "4.1.3": "Minimize wildcard use in Roles and ClusterRoles",
    "4.1.7": "Standardize EKS cluster access by using access entries, policies, and scoped permissions",
    "4.1.8": "Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster",
    "4.1.10": "Minimize access to the proxy sub-resource of nodes",
    "4.1.11": "Minimize access to webhook configuration objects",
    "4.1.12": "Minimize access to the service account token creation",
});

// CIS AKS v1.8.0 as kube-bench ships it (cfg/aks-1.8.0/controlplane.yaml, node.yaml, managedservices.yaml): every id
// and title the pack cites from v1.7 is unchanged.
CONTROLS["cis-aks-1.8"] = {
    ...CONTROLS["cis-aks-1.7"],
    "4.1.1": "Ensure that the cluster-admin role is only used where required",
    "4.1.2": "Minimize access to secrets",
    "4.1.3": "Minimize wildcard use in Roles and ClusterRoles",
    "4.1.7": "Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster",
    "4.1.9": "Minimize access to the proxy sub-resource of nodes",
    "4.1.10": "Minimize access to the approval sub-resource of certificatesigningrequests objects",
    "4.1.11": "Minimize access to webhook configuration objects",
    "4.1.12": "Minimize access to the service account token creation",
};

/**
 * Where each benchmark's ids and titles were checked. Every benchmark a rule cites has one (a test checks it), so each
 * id the pack prints can be traced to a public file. kube-bench: github.com/aquasecurity/kube-bench.
 */
export const SOURCES: Record<Benchmark, string> = {
    "cis-kubernetes-1.12": "kube-bench cfg/cis-1.12 (master, etcd, node, policies)",
    "cis-kubernetes-2.0":
        "kube-bench cfg/cis-2.0 (master, etcd, node, policies; PR #2126: from v2.0.1, every check as in cis-1.12)",
    "cis-kubernetes-2.1": "Tenable's published audit items for CIS Kubernetes v2.1.0 (5.1.14 only; no kube-bench cfg)",
    "cis-eks-1.7": "kube-bench cfg/eks-1.7.0 (controlplane, node, managedservices)",
    "cis-eks-2.0": "kube-bench cfg/eks-2.0.0 (controlplane, node, policies, managedservices)",
    "cis-gke-1.6": "kube-bench cfg/gke-1.6.0 (node 3.2.x, managedservices)",
    "cis-gke-1.9":
        "kube-bench cfg/gke-1.9.0 (policies 4.1.x, managedservices 5.x; node.yaml carries section 3.1 only), " +
        "kubescape regolibrary frameworks/cis-gke-v1.9.0.json (3.1.x then 4.1.x: no kubelet section)",
    "cis-aks-1.7": "kube-bench cfg/aks-1.7 (controlplane, node, managedservices)",
    "cis-aks-1.8": "kube-bench cfg/aks-1.8.0 (controlplane 2.1.1, node 3.2.x, policies 4.1.x, managedservices 5.x)",
};

/**
 * Older benchmark → current benchmark, per id. `null`: the control was dropped (EKS 2.0.0 has no
 * streaming-connection-idle-timeout control); the old id stays as an alias tag only. An id not listed is current
 * itself (it stays, with no alias), as is a benchmark without an entry.
 */
export const CURRENT: Partial<Record<Benchmark, { to: Benchmark; ids: Record<string, string | null> | "same" }>> = {
    "cis-kubernetes-1.12": { to: "cis-kubernetes-2.0", ids: "same" },
    "cis-eks-1.7": {
        to: "cis-eks-2.0",
        ids: {
            "2.1.1": "2.1.1",
            "3.2.1": "3.2.1",
            "3.2.2": "3.2.2",
            "3.2.3": "3.2.3",
            "3.2.4": "3.2.4",
            "3.2.5": null,
            "3.2.6": "3.2.5",
            "3.2.7": "3.2.6",
            "3.2.8": "3.2.7",
            "3.2.9": "3.2.8",
            "5.3.1": "5.3.1",
            "5.4.1": "5.4.1",
            "5.4.2": "5.4.2",
            "5.5.1": "5.5.1",
        },
    },
    "cis-gke-1.6": {
        to: "cis-gke-1.9",
        ids: {
            // The managed-service controls keep their ids (cfg/gke-1.9.0/managedservices.yaml).
            ...Object.fromEntries(
                ["5.3.1", "5.4.1", "5.6.3", "5.6.4", "5.6.5", "5.7.1", "5.8.1", "5.8.3"].map((id) => [id, id]),
            ),
            // GKE v1.8.0 and v1.9.0 have no kubelet controls: section 3 is 3.1 (file permissions) only
            // (cfg/gke-1.8.0/node.yaml, cfg/gke-1.9.0/node.yaml, kubescape cis-gke-v1.9.0). Alias tags only.
            ...Object.fromEntries(
                ["3.2.1", "3.2.2", "3.2.3", "3.2.4", "3.2.5", "3.2.6", "3.2.7", "3.2.8", "3.2.9"].map((id) => [
                    id,
                    null,
                ]),
            ),
        },
    },
    "cis-aks-1.7": { to: "cis-aks-1.8", ids: "same" },
};

/** The current references for a rule's cited ones (order kept), and the older ids that were replaced. */
export function currentCis(refs: CisRef[]): { current: CisRef[]; aliases: CisRef[] } {
    const current: CisRef[] = [];
    const aliases: CisRef[] = [];
    for (const ref of refs) {
        const m = CURRENT[ref.benchmark];
        if (!m) {
            current.push(ref);
            continue;
        }
        if (m.ids !== "same" && m.ids[ref.id] === undefined) {
            current.push(ref);
            continue;
        }
        aliases.push(ref);
        const id = m.ids === "same" ? ref.id : m.ids[ref.id];
        if (id) current.push({ benchmark: m.to, id });
    }
    return { current, aliases };
}

/** A rule with its CIS references moved to the current benchmarks; the older ids become alias tags. */
export function withCurrentCis<R extends Rule>(rule: R): R {
    const { current, aliases } = currentCis(rule.cis);
    if (aliases.length === 0) return rule;
    return { ...rule, cis: current, tags: [...rule.tags, ...aliases.map((a) => `${a.benchmark}:${a.id}`)] };
}

export function controlTitle(ref: CisRef): string | undefined {
    return CONTROLS[ref.benchmark]?.[ref.id];
}
