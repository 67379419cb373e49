// The CIS controls the pack maps to, with their titles. Rules may only cite ids listed here (a test checks it),
// so a typo cannot invent a control. Titles follow the benchmarks as kube-bench ships them.
import type { Benchmark, CisRef } from "./rule";

export const BENCHMARKS: Record<Benchmark, { name: string; version: string }> = {
    "cis-kubernetes-1.12": { name: "CIS Kubernetes Benchmark", version: "1.12" },
    "cis-eks-1.7": { name: "CIS Amazon EKS Benchmark", version: "1.7.0" },
    "cis-gke-1.6": { name: "CIS Google Kubernetes Engine (GKE) Benchmark", version: "1.6.0" },
    "cis-aks-1.7": { name: "CIS Azure Kubernetes Service (AKS) Benchmark", version: "1.7.0" },
};

export const CONTROLS: Record<Benchmark, Record<string, string>> = {
    "cis-kubernetes-1.12": {
        "4.2.1": "Ensure that the --anonymous-auth argument is set to false",
        "4.2.2": "Ensure that the --authorization-mode argument is not set to AlwaysAllow",
        "4.2.3": "Ensure that the --client-ca-file argument is set as appropriate",
        "4.2.4": "Verify that if defined, the --read-only-port argument is set to 0",
    },
    "cis-eks-1.7": {
        "2.1.1": "Enable audit Logs",
        "3.2.4": "Ensure that the --read-only-port is disabled",
        "5.3.1": "Ensure Kubernetes Secrets are encrypted using Customer Master Keys (CMKs) managed in AWS KMS",
        "5.4.1": "Restrict Access to the Control Plane Endpoint",
        "5.4.2": "Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled",
        "5.5.1": "Manage Kubernetes RBAC users with AWS IAM Authenticator for Kubernetes or Upgrade to AWS CLI v1.16.156 or greater",
    },
    "cis-gke-1.6": {
        "3.2.4": "Ensure that the --read-only-port is disabled",
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
        "5.4.1": "Restrict Access to the Control Plane Endpoint",
        "5.4.2": "Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled",
        "5.5.1": "Manage Kubernetes RBAC users with Azure AD",
    },
};

export function controlTitle(ref: CisRef): string | undefined {
    return CONTROLS[ref.benchmark]?.[ref.id];
}
