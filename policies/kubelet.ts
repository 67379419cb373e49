// Kubelet (CIS Kubernetes 4.2; EKS/GKE 3.2): judged the same wherever the kubelet's settings come from.
import type { Rule } from "./rule";

export const KUBELET_RULES: Rule[] = [
    {
        kind: "setting",
        id: "kubelet-read-only-port-disabled",
        title: "The kubelet's unauthenticated read-only port is disabled",
        component: "kubelet", setting: "kubelet.readOnlyPort", op: "eq", value: 0, expected: "0 (disabled)",
        severity: "high", enforcement: "mandatory",
        cis: [{ benchmark: "cis-kubernetes-1.12", id: "4.2.4" }, { benchmark: "cis-eks-1.7", id: "3.2.4" }, { benchmark: "cis-gke-1.6", id: "3.2.4" }],
        why: "port 10255 serves pod specs, environment and node details to anyone who can reach the node, with no authentication at all",
        remediation: "Set readOnlyPort: 0 in the KubeletConfiguration or --read-only-port=0 (GKE: insecureKubeletReadonlyPortEnabled = \"FALSE\").",
        url: "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        tags: ["kubelet", "exposure", "unauthenticated"],
    },
];
