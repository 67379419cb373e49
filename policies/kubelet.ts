// Kubelet (CIS Kubernetes 4.2; EKS/GKE 3.2) and kube-proxy (4.3): judged the same wherever the settings come from
// (static pods, KubeletConfiguration documents, kubeadm, user data, nodeadm, Bottlerocket, managed node pools).
import { judgeCiphers } from "./apiserver";
import { allSet, settingRules, workerNode } from "./define";
import type { CheckRule, Rule } from "./rule";

const FIX = "in the KubeletConfiguration (or the equivalent kubelet flag, which overrides the file)";

/** Cipher suites CIS accepts for the kubelet (CIS 4.2.12). */
const STRONG_KUBELET_CIPHERS = new Set([
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    // TLS 1.3 suites are not configurable and always strong.
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
]);

const readOnly: Rule = {
    kind: "setting",
    id: "kubelet-read-only-port-disabled",
    title: "The kubelet's unauthenticated read-only port is disabled",
    component: "kubelet", setting: "kubelet.readOnlyPort", op: "eq", value: 0, expected: "0 (disabled)",
    severity: "high", enforcement: "mandatory",
    cis: [{ benchmark: "cis-kubernetes-1.12", id: "4.2.4" }, ...workerNode("3.2.4")],
    why: "port 10255 serves pod specs, environment and node details to anyone who can reach the node, with no authentication at all",
    remediation: "Set readOnlyPort: 0 in the KubeletConfiguration or --read-only-port=0 (GKE: insecureKubeletReadonlyPortEnabled = \"FALSE\").",
    url: "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
    tags: ["kubelet", "exposure", "unauthenticated", "stack"],
};

const ciphers: CheckRule = {
    kind: "check", id: "kubelet-tls-cipher-suites-strong", title: "The kubelet offers only strong TLS cipher suites",
    component: "kubelet", settings: ["kubelet.tlsCipherSuites"], severity: "medium", enforcement: "advisory",
    cis: [{ benchmark: "cis-kubernetes-1.12", id: "4.2.12" }],
    why: "weak or unknown suites allow downgrade and decryption of exec, logs and port-forward traffic",
    remediation: `Set tlsCipherSuites to a subset of the CIS list ${FIX}.`,
    url: "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/", tags: ["kubelet", "tls"],
    check: (subject) => judgeCiphers(subject, "kubelet.tlsCipherSuites", STRONG_KUBELET_CIPHERS),
};

const certAndKeySet = allSet(["kubelet.tlsCertFile", "kubelet.tlsPrivateKeyFile"]);

const servingCert: CheckRule = {
    kind: "check", id: "kubelet-tls-cert-file-and-key-set", title: "The kubelet serves with a proper certificate (files or server TLS bootstrap)",
    component: "kubelet", settings: ["kubelet.tlsCertFile", "kubelet.serverTLSBootstrap"], severity: "low", enforcement: "advisory",
    cis: [{ benchmark: "cis-kubernetes-1.12", id: "4.2.9" }],
    why: "otherwise the kubelet serves with a self-signed certificate that the API server cannot verify",
    remediation: `Set tlsCertFile and tlsPrivateKeyFile, or serverTLSBootstrap: true, ${FIX}.`,
    url: "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/", tags: ["kubelet", "tls"],
    check: (subject) => {
        const boot = subject.settings["kubelet.serverTLSBootstrap"];
        if (boot?.value === true) return { verdict: "pass" };
        return certAndKeySet(subject, { allowedCidrs: [], minimumPrefixLength: { ipv4: 0, ipv6: 0 }, ports: [] });
    },
};

/**
 * Every kubelet and kube-proxy rule is also a stack rule: GKE node pools inherit settings from their cluster and
 * EKS node groups run a launch template's user data on an AMI EKS supplies (providers/stack.ts).
 */
export const KUBELET_RULES: Rule[] = ([
    ...settingRules("kubelet", ["kubelet"], [
        {
            id: "kubelet-anonymous-auth-disabled", title: "The kubelet rejects anonymous requests",
            setting: "kubelet.anonymousAuth", op: "eq", value: false, expected: "false (the flag default is true)", severity: "critical", enforcement: "mandatory", cis: "4.2.1", managedCis: workerNode("3.2.1"),
            why: "anonymous requests to port 10250 can reach exec, logs and pod listings whenever authorization allows them", remediation: `Set authentication.anonymous.enabled: false (--anonymous-auth=false) ${FIX}.`,
            tags: ["authentication", "anonymous"],
        },
        {
            id: "kubelet-authorization-mode-not-always-allow", title: "The kubelet authorizes requests (not AlwaysAllow)",
            setting: "kubelet.authorizationMode", op: "noteq", value: "AlwaysAllow", expected: "Webhook (the flag default is AlwaysAllow)", severity: "critical", enforcement: "mandatory", cis: "4.2.2", managedCis: workerNode("3.2.2"),
            why: "AlwaysAllow lets any caller that reaches port 10250 exec into every pod on the node", remediation: `Set authorization.mode: Webhook (--authorization-mode=Webhook) ${FIX}.`,
            tags: ["authorization"],
        },
        {
            id: "kubelet-webhook-authentication-enabled", title: "The kubelet authenticates bearer tokens with the API server",
            setting: "kubelet.webhookAuthentication", op: "eq", value: true, expected: "true", severity: "medium", enforcement: "advisory",
            why: "without token webhook authentication, service-account tokens are not honoured and operators fall back to anonymous access", remediation: `Set authentication.webhook.enabled: true (--authentication-token-webhook) ${FIX}.`,
            tags: ["authentication"],
        },
        {
            id: "kubelet-client-ca-file-set", title: "The kubelet verifies client certificates against the cluster CA",
            setting: "kubelet.clientCaFile", op: "set", expected: "a CA file", severity: "high", enforcement: "advisory", cis: "4.2.3", managedCis: workerNode("3.2.3"),
            why: "without a client CA the kubelet cannot authenticate the API server's client certificate", remediation: `Set authentication.x509.clientCAFile (--client-ca-file) ${FIX}.`,
            tags: ["authentication", "tls"],
        },
        {
            id: "kubelet-streaming-connection-idle-timeout-not-zero", title: "The kubelet closes idle streaming connections",
            setting: "kubelet.streamingConnectionIdleTimeout", op: "gte", value: 1, expected: "a positive duration (default 4h)", severity: "low", enforcement: "advisory", cis: "4.2.5", managedCis: workerNode("3.2.5"),
            why: "with no timeout, idle exec and port-forward sessions stay open indefinitely", remediation: `Set streamingConnectionIdleTimeout to a positive duration such as 5m ${FIX}.`,
        },
        {
            id: "kubelet-protect-kernel-defaults-enabled", title: "The kubelet refuses to run with tuned kernel parameters it did not expect",
            setting: "kubelet.protectKernelDefaults", op: "eq", value: true, expected: "true", severity: "low", enforcement: "advisory",
            why: "kernel defaults the kubelet relies on could otherwise be changed by workloads or drift unnoticed", remediation: `Set protectKernelDefaults: true ${FIX}.`,
        },
        {
            id: "kubelet-make-iptables-util-chains-enabled", title: "The kubelet manages its iptables utility chains",
            setting: "kubelet.makeIPTablesUtilChains", op: "eq", value: true, expected: "true", severity: "low", enforcement: "advisory", cis: "4.2.6", managedCis: workerNode("3.2.6"),
            why: "without them iptables rules and pod networking can drift out of the kubelet's control", remediation: `Set makeIPTablesUtilChains: true ${FIX}.`,
        },
        {
            id: "kubelet-hostname-override-not-set", title: "The kubelet does not override its hostname",
            setting: "kubelet.hostnameOverride", op: "unset", expected: "not set", severity: "low", enforcement: "advisory", cis: "4.2.7",
            why: "an overridden hostname can break TLS between the API server and the kubelet", remediation: "Remove --hostname-override from the kubelet command line.",
        },
        {
            id: "kubelet-event-record-qps-not-negative", title: "The kubelet records events (eventRecordQPS is not negative)",
            setting: "kubelet.eventRecordQPS", op: "gte", value: 0, expected: ">= 0 (0 means unlimited)", severity: "low", enforcement: "advisory", cis: "4.2.8", managedCis: workerNode("3.2.7"),
            why: "events are the record of what happened on the node; an invalid limit drops them", remediation: `Set eventRecordQPS to 0 or a level that captures all events ${FIX}.`,
        },
        {
            id: "kubelet-rotate-certificates-enabled", title: "The kubelet rotates its client certificate",
            setting: "kubelet.rotateCertificates", op: "noteq", value: false, expected: "true", severity: "low", enforcement: "advisory", cis: "4.2.10", managedCis: workerNode("3.2.8"),
            why: "without rotation the kubelet keeps using a certificate until it expires and the node drops out", remediation: `Set rotateCertificates: true (--rotate-certificates) ${FIX}.`,
            tags: ["tls"],
        },
        {
            id: "kubelet-rotate-server-certificates-enabled", title: "The kubelet keeps serving-certificate rotation (RotateKubeletServerCertificate)",
            setting: "kubelet.featureGates", op: "nothave", value: "RotateKubeletServerCertificate=false", expected: "no RotateKubeletServerCertificate=false", severity: "low", enforcement: "advisory", cis: "4.2.11", managedCis: workerNode("3.2.9"),
            why: "without rotation serving certificates expire or are kept far too long", remediation: `Remove RotateKubeletServerCertificate=false from featureGates ${FIX}.`,
            tags: ["tls"],
        },
        {
            id: "kubelet-pod-pids-limit-set", title: "The kubelet limits the PIDs a pod can use",
            setting: "kubelet.podPidsLimit", op: "gte", value: 1, expected: "a positive limit (default -1, unlimited)", severity: "low", enforcement: "advisory", cis: "4.2.13",
            why: "a fork bomb in one pod can exhaust the node's PIDs and take down the kubelet", remediation: `Set podPidsLimit to a positive value ${FIX}.`,
        },
        {
            id: "kubelet-seccomp-default-enabled", title: "The kubelet applies the RuntimeDefault seccomp profile by default",
            setting: "kubelet.seccompDefault", op: "eq", value: true, expected: "true", severity: "low", enforcement: "advisory", cis: "4.2.14",
            why: "containers without a seccomp profile can use every system call, widening container escapes", remediation: `Set seccompDefault: true ${FIX}.`,
        },
    ]),
    readOnly,
    servingCert,
    ciphers,
    ...settingRules("kube-proxy", ["kube-proxy"], [{
        id: "kube-proxy-metrics-bind-address-localhost", title: "kube-proxy serves metrics only on localhost",
        setting: "kube-proxy.metricsBindAddress", op: "matches", value: "^$|^(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d+)?$", expected: "127.0.0.1:10249 (the default)", severity: "low", enforcement: "advisory", cis: "4.3.1",
        why: "metrics on all interfaces reveal service and endpoint details to the network", remediation: "Set metricsBindAddress: 127.0.0.1:10249 in the KubeProxyConfiguration (or remove --metrics-bind-address).",
        tags: ["exposure"],
    }]),
] as Rule[]).map((r) => ({ ...r, stack: true, tags: r.tags.includes("stack") ? r.tags : [...r.tags, "stack"] }));
