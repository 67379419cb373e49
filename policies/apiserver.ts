// kube-apiserver (CIS Kubernetes 1.2), wherever its flags are written: static pods, kubeadm ClusterConfiguration,
// user data and remote commands.
import type { Subject } from "../providers/model";
import { pairRule, settingRules } from "./define";
import type { CheckRule, Outcome, Rule } from "./rule";

const MANIFEST = "in the kube-apiserver manifest (static pod command/args or kubeadm apiServer.extraArgs)";

/** TLS cipher suites CIS accepts for the API server (CIS 1.2.29). */
export const STRONG_APISERVER_CIPHERS = new Set([
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
]);

/** Judges a cipher-suite list against a strong set; unset means the Go defaults, which exclude the weak suites. */
export function judgeCiphers(subject: Subject, key: string, strong: Set<string>): Outcome {
    const s = subject.settings[key];
    if (!s) return { verdict: "n/a" };
    if (s.state === "unknown" || s.state === "invalid") return { verdict: "unknown", setting: s, detail: "cannot be read, so the cipher suites cannot be judged" };
    if (!Array.isArray(s.value) || s.value.length === 0) return { verdict: "pass" };
    const weak = (s.value as string[]).filter((c) => !strong.has(c));
    return weak.length === 0 ? { verdict: "pass" }
        : { verdict: "fail", setting: s, detail: `includes ${weak.length} suite(s) outside the strong list` };
}

/** Anonymous requests are acceptable when an AuthenticationConfiguration limits them to health endpoints (seed 004). */
function judgeAnonymous(subject: Subject): Outcome {
    const anon = subject.settings["apiserver.anonymousAuth"];
    if (!anon) return { verdict: "n/a" };
    if (anon.state === "unknown" || anon.state === "invalid") return { verdict: "unknown", setting: anon, detail: "cannot be read" };
    if (anon.value === false) return { verdict: "pass" };
    const healthOnly = subject.settings["apiserver.anonymousHealthOnly"];
    if (healthOnly?.value === true) return { verdict: "pass" };
    return { verdict: "fail", setting: anon, detail: "expected false, or an AuthenticationConfiguration whose anonymous.conditions allow only /healthz, /livez and /readyz" };
}

const anonymous: CheckRule = {
    kind: "check",
    id: "kube-apiserver-anonymous-auth-disabled",
    title: "kube-apiserver rejects anonymous requests (or limits them to health endpoints)",
    component: "apiserver",
    settings: ["apiserver.anonymousAuth"],
    severity: "medium",
    enforcement: "advisory",
    cis: [{ benchmark: "cis-kubernetes-1.12", id: "1.2.1" }],
    why: "anonymous requests reach every path RBAC grants to system:anonymous or system:unauthenticated, and on old clusters far more",
    remediation: "Set --anonymous-auth=false, or, where load balancers need unauthenticated health checks, use an AuthenticationConfiguration (--authentication-config) whose anonymous.conditions list only /healthz, /livez and /readyz.",
    url: "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-authenticator-configuration",
    tags: ["apiserver", "authentication", "anonymous"],
    check: judgeAnonymous,
};

/**
 * RBAC in the authorizer chain. With --authorization-config (StructuredAuthorizationConfiguration) the chain is
 * the AuthorizationConfiguration's authorizers, where a Webhook authorizer stands in for RBAC (the issue's
 * "Node and RBAC or a webhook"); with --authorization-mode, RBAC itself is required (CIS 1.2.8).
 */
function judgeRbac(subject: Subject): Outcome {
    const s = subject.settings["apiserver.authorizationMode"];
    if (!s) return { verdict: "n/a" };
    if (s.state === "unknown" || s.state === "invalid") return { verdict: "unknown", setting: s, detail: "cannot be read" };
    const modes = Array.isArray(s.value) ? s.value as unknown[] : [];
    if (modes.includes("RBAC")) return { verdict: "pass" };
    const structured = subject.settings["apiserver.authorizationConfig"]?.state === "explicit";
    if (structured && modes.includes("Webhook")) return { verdict: "pass" };
    return { verdict: "fail", setting: s, detail: structured ? "expected an RBAC or Webhook authorizer" : "expected a mode list with RBAC" };
}

const rbac: CheckRule = {
    kind: "check",
    id: "kube-apiserver-authorization-mode-includes-rbac",
    title: "kube-apiserver uses RBAC",
    component: "apiserver",
    settings: ["apiserver.authorizationMode"],
    severity: "high",
    enforcement: "mandatory",
    cis: [{ benchmark: "cis-kubernetes-1.12", id: "1.2.8" }],
    why: "without RBAC there is no fine-grained, auditable authorization of users and service accounts",
    remediation: `Set --authorization-mode=Node,RBAC ${MANIFEST} (or list RBAC in the AuthorizationConfiguration's authorizers).`,
    url: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
    tags: ["apiserver", "authorization"],
    check: judgeRbac,
};

const ciphers: CheckRule = {
    kind: "check",
    id: "kube-apiserver-tls-cipher-suites-strong",
    title: "kube-apiserver offers only strong TLS cipher suites",
    component: "apiserver",
    settings: ["apiserver.tlsCipherSuites"],
    severity: "medium",
    enforcement: "advisory",
    cis: [{ benchmark: "cis-kubernetes-1.12", id: "1.2.29" }],
    why: "weak or unknown suites allow downgrade and decryption of API traffic, including credentials",
    remediation: "Set --tls-cipher-suites to a subset of the CIS list (TLS 1.3 suites and ECDHE with AES-GCM or ChaCha20-Poly1305).",
    url: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
    tags: ["apiserver", "tls"],
    check: (subject) => judgeCiphers(subject, "apiserver.tlsCipherSuites", STRONG_APISERVER_CIPHERS),
};

const flagged = settingRules("apiserver", ["apiserver"], [
    {
        id: "kube-apiserver-basic-auth-file-not-set", title: "kube-apiserver does not accept static passwords (--basic-auth-file)",
        setting: "apiserver.basicAuthFile", op: "unset", expected: "not set", severity: "high", enforcement: "mandatory",
        why: "basic auth sends reusable plaintext passwords that cannot be rotated without a restart", remediation: `Remove --basic-auth-file ${MANIFEST} and use certificates or OIDC.`,
        tags: ["authentication"],
    },
    {
        id: "kube-apiserver-token-auth-file-not-set", title: "kube-apiserver does not accept static tokens (--token-auth-file)",
        setting: "apiserver.tokenAuthFile", op: "unset", expected: "not set", severity: "high", enforcement: "mandatory", cis: "1.2.2",
        why: "static tokens live in a plaintext file, never expire and cannot be revoked without a restart", remediation: `Remove --token-auth-file ${MANIFEST} and use certificates, OIDC or webhook token authentication.`,
        tags: ["authentication"],
    },
    {
        id: "kube-apiserver-insecure-allow-any-token-not-set", title: "kube-apiserver does not accept arbitrary tokens (--insecure-allow-any-token)",
        setting: "apiserver.insecureAllowAnyToken", op: "unset", expected: "not set", severity: "critical", enforcement: "mandatory",
        why: "any bearer token is accepted as any user, which is no authentication at all", remediation: `Remove --insecure-allow-any-token ${MANIFEST}.`,
        tags: ["authentication"],
    },
    {
        id: "kube-apiserver-insecure-bind-address-not-set", title: "kube-apiserver does not serve HTTP on an insecure bind address",
        setting: "apiserver.insecureBindAddress", op: "unset", expected: "not set", severity: "critical", enforcement: "mandatory",
        why: "the insecure address serves the API over HTTP without authentication or authorization", remediation: `Remove --insecure-bind-address ${MANIFEST}.`,
        tags: ["exposure"],
    },
    {
        id: "kube-apiserver-insecure-port-disabled", title: "kube-apiserver's insecure port is disabled",
        setting: "apiserver.insecurePort", op: "eq", value: 0, expected: "0", severity: "critical", enforcement: "mandatory",
        why: "the insecure port (8080 by default before 1.20) gives cluster-admin to anyone who can reach it", remediation: `Set --insecure-port=0 ${MANIFEST} (or upgrade: the port is gone since 1.20).`,
        tags: ["exposure"],
    },
    {
        id: "kube-apiserver-secure-port-enabled", title: "kube-apiserver serves on a secure port",
        setting: "apiserver.securePort", op: "noteq", value: 0, expected: "a port between 1 and 65535", severity: "high", enforcement: "mandatory",
        why: "--secure-port=0 turns off HTTPS serving, leaving only insecure access paths", remediation: `Remove --secure-port=0 ${MANIFEST} or set it to 6443.`,
        tags: ["tls"],
    },
    {
        id: "kube-apiserver-kubelet-https-enabled", title: "kube-apiserver talks to kubelets over HTTPS",
        setting: "apiserver.kubeletHttps", op: "eq", value: true, expected: "true", severity: "high", enforcement: "mandatory",
        why: "without HTTPS, exec, logs and port-forward traffic to kubelets can be read and altered in transit", remediation: `Remove --kubelet-https=false ${MANIFEST}.`,
        tags: ["tls", "kubelet"],
    },
    {
        id: "kube-apiserver-kubelet-certificate-authority-set", title: "kube-apiserver verifies kubelet serving certificates",
        setting: "apiserver.kubeletCertificateAuthority", op: "set", expected: "a CA file", severity: "medium", enforcement: "advisory", cis: "1.2.5",
        why: "without a CA the API server cannot detect a machine-in-the-middle between itself and the kubelets", remediation: `Set --kubelet-certificate-authority ${MANIFEST} and enable kubelet serving certificates (serverTLSBootstrap).`,
        tags: ["tls", "kubelet"],
    },
    {
        id: "kube-apiserver-authorization-mode-not-always-allow", title: "kube-apiserver does not authorize every request (AlwaysAllow)",
        setting: "apiserver.authorizationMode", op: "nothave", value: "AlwaysAllow", expected: "a mode list without AlwaysAllow (kube-apiserver defaults to AlwaysAllow)", severity: "critical", enforcement: "mandatory", cis: "1.2.6",
        why: "AlwaysAllow lets every authenticated (and, with anonymous auth, unauthenticated) caller do anything", remediation: `Set --authorization-mode=Node,RBAC ${MANIFEST}.`,
        tags: ["authorization"],
    },
    {
        id: "kube-apiserver-authorization-mode-includes-node", title: "kube-apiserver uses the Node authorizer",
        setting: "apiserver.authorizationMode", op: "has", value: "Node", expected: "a mode list with Node", severity: "high", enforcement: "mandatory", cis: "1.2.7",
        why: "without the Node authorizer a compromised kubelet can read every Secret and ConfigMap in the cluster", remediation: `Set --authorization-mode=Node,RBAC ${MANIFEST}.`,
        tags: ["authorization"],
    },
    {
        id: "kube-apiserver-admission-event-rate-limit-enabled", title: "kube-apiserver limits the rate of events (EventRateLimit)",
        setting: "apiserver.enableAdmissionPlugins", op: "has", value: "EventRateLimit", expected: "EventRateLimit in --enable-admission-plugins", severity: "low", enforcement: "advisory", cis: "1.2.9",
        why: "a flood of events can exhaust the API server and etcd", remediation: `Add EventRateLimit to --enable-admission-plugins and give it an --admission-control-config-file ${MANIFEST}.`,
        tags: ["admission"],
    },
    {
        id: "kube-apiserver-admission-deny-service-external-ips-enabled", title: "kube-apiserver rejects Services with external IPs (DenyServiceExternalIPs)",
        setting: "apiserver.enableAdmissionPlugins", op: "has", value: "DenyServiceExternalIPs", expected: "DenyServiceExternalIPs in --enable-admission-plugins", severity: "medium", enforcement: "advisory", cis: "1.2.3",
        why: "anyone who can create a Service can set externalIPs and intercept traffic for those addresses (CVE-2020-8554)", remediation: `Add DenyServiceExternalIPs to --enable-admission-plugins ${MANIFEST}.`,
        tags: ["admission"],
    },
    {
        id: "kube-apiserver-admission-always-admit-disabled", title: "kube-apiserver does not enable the AlwaysAdmit admission plugin",
        setting: "apiserver.enableAdmissionPlugins", op: "nothave", value: "AlwaysAdmit", expected: "no AlwaysAdmit", severity: "high", enforcement: "mandatory", cis: "1.2.10",
        why: "AlwaysAdmit admits every request regardless of the other admission controls", remediation: `Remove AlwaysAdmit from --enable-admission-plugins ${MANIFEST}.`,
        tags: ["admission"],
    },
    {
        id: "kube-apiserver-admission-always-pull-images-enabled", title: "kube-apiserver enables AlwaysPullImages",
        setting: "apiserver.enableAdmissionPlugins", op: "has", value: "AlwaysPullImages", expected: "AlwaysPullImages in --enable-admission-plugins", severity: "low", enforcement: "advisory", cis: "1.2.11",
        why: "without it any pod on a node can run a private image another tenant already pulled there, without pull credentials", remediation: `Add AlwaysPullImages to --enable-admission-plugins ${MANIFEST} (mind the cost for air-gapped or cached images).`,
        tags: ["admission"],
    },
    {
        id: "kube-apiserver-admission-service-account-not-disabled", title: "kube-apiserver keeps the ServiceAccount admission plugin",
        setting: "apiserver.disableAdmissionPlugins", op: "nothave", value: "ServiceAccount", expected: "ServiceAccount not in --disable-admission-plugins", severity: "high", enforcement: "mandatory", cis: "1.2.12",
        why: "without it pods can reference service accounts that do not exist and token handling is not enforced", remediation: `Remove ServiceAccount from --disable-admission-plugins ${MANIFEST}.`,
        tags: ["admission"],
    },
    {
        id: "kube-apiserver-admission-namespace-lifecycle-not-disabled", title: "kube-apiserver keeps the NamespaceLifecycle admission plugin",
        setting: "apiserver.disableAdmissionPlugins", op: "nothave", value: "NamespaceLifecycle", expected: "NamespaceLifecycle not in --disable-admission-plugins", severity: "medium", enforcement: "advisory", cis: "1.2.13",
        why: "without it objects can be created in terminating or non-existent namespaces and escape namespace-scoped controls", remediation: `Remove NamespaceLifecycle from --disable-admission-plugins ${MANIFEST}.`,
        tags: ["admission"],
    },
    {
        id: "kube-apiserver-admission-node-restriction-enabled", title: "kube-apiserver enables NodeRestriction",
        setting: "apiserver.enableAdmissionPlugins", op: "has", value: "NodeRestriction", expected: "NodeRestriction in --enable-admission-plugins", severity: "high", enforcement: "mandatory", cis: "1.2.14",
        why: "without it a kubelet can modify other nodes and pods, and relabel itself to attract sensitive workloads", remediation: `Add NodeRestriction to --enable-admission-plugins ${MANIFEST}.`,
        tags: ["admission"],
    },
    {
        id: "kube-apiserver-admission-pod-security-policy-enabled", title: "kube-apiserver enables PodSecurityPolicy (Kubernetes 1.24 and earlier)",
        setting: "apiserver.enableAdmissionPlugins", op: "has", value: "PodSecurityPolicy", expected: "PodSecurityPolicy in --enable-admission-plugins", severity: "medium", enforcement: "advisory",
        why: "on versions before Pod Security Admission, nothing else stops privileged pods", remediation: `Add PodSecurityPolicy to --enable-admission-plugins ${MANIFEST}, or upgrade to 1.25+ and use Pod Security Admission.`,
        tags: ["admission"], versions: { until: 24, whenUnknown: "skip" },
    },
    {
        id: "kube-apiserver-admission-security-context-deny-enabled", title: "kube-apiserver enables SecurityContextDeny where no pod security admission exists (1.29 and earlier)",
        setting: "apiserver.enableAdmissionPlugins", op: "has", value: "SecurityContextDeny", expected: "SecurityContextDeny in --enable-admission-plugins", severity: "low", enforcement: "advisory",
        why: "without a pod security control, pods can request privileged security contexts", remediation: `Add SecurityContextDeny to --enable-admission-plugins ${MANIFEST}, or use Pod Security Admission (the plugin is removed in 1.30).`,
        tags: ["admission"], versions: { until: 29, whenUnknown: "skip" },
    },
    {
        id: "kube-apiserver-profiling-disabled", title: "kube-apiserver does not expose profiling data",
        setting: "apiserver.profiling", op: "eq", value: false, expected: "false", severity: "low", enforcement: "advisory", cis: "1.2.15",
        why: "/debug/pprof reveals internals and can be used to degrade the API server", remediation: `Set --profiling=false ${MANIFEST}.`,
        tags: ["profiling"],
    },
    {
        id: "kube-apiserver-audit-log-path-set", title: "kube-apiserver writes an audit log",
        setting: "apiserver.auditLogPath", op: "set", expected: "a path", severity: "medium", enforcement: "advisory", cis: "1.2.16",
        why: "without audit logs the use of a stolen credential cannot be detected or investigated", remediation: `Set --audit-log-path and --audit-policy-file ${MANIFEST}.`,
        tags: ["audit"],
    },
    {
        id: "kube-apiserver-audit-log-maxage-at-least-30", title: "kube-apiserver keeps audit logs for at least 30 days",
        setting: "apiserver.auditLogMaxAge", op: "gte", value: 30, expected: ">= 30", severity: "low", enforcement: "advisory", cis: "1.2.17",
        why: "short retention loses the evidence an investigation needs", remediation: `Set --audit-log-maxage=30 or more ${MANIFEST}.`,
        tags: ["audit"],
    },
    {
        id: "kube-apiserver-audit-log-maxbackup-at-least-10", title: "kube-apiserver keeps at least 10 rotated audit logs",
        setting: "apiserver.auditLogMaxBackup", op: "gte", value: 10, expected: ">= 10", severity: "low", enforcement: "advisory", cis: "1.2.18",
        why: "too few rotated files lose the evidence an investigation needs", remediation: `Set --audit-log-maxbackup=10 or more ${MANIFEST}.`,
        tags: ["audit"],
    },
    {
        id: "kube-apiserver-audit-log-maxsize-at-least-100", title: "kube-apiserver rotates audit logs at 100 MB or more",
        setting: "apiserver.auditLogMaxSize", op: "gte", value: 100, expected: ">= 100", severity: "low", enforcement: "advisory", cis: "1.2.19",
        why: "small files rotate away evidence quickly", remediation: `Set --audit-log-maxsize=100 or more ${MANIFEST}.`,
        tags: ["audit"],
    },
    {
        id: "kube-apiserver-request-timeout-valid", title: "kube-apiserver's request timeout is a positive duration",
        setting: "apiserver.requestTimeout", op: "gte", value: 1, expected: "a positive duration (default 60s)", severity: "low", enforcement: "advisory", cis: "1.2.20",
        why: "a zero, negative or unparsable timeout makes the API server fail or hang on long requests", remediation: `Set --request-timeout to a positive duration such as 60s or 300s ${MANIFEST}, or remove it.`,
        tags: ["availability"],
    },
    {
        id: "kube-apiserver-service-account-lookup-enabled", title: "kube-apiserver checks that service-account tokens still exist",
        setting: "apiserver.serviceAccountLookup", op: "eq", value: true, expected: "true", severity: "medium", enforcement: "advisory", cis: "1.2.21",
        why: "without lookup, tokens of deleted service accounts keep working", remediation: `Remove --service-account-lookup=false ${MANIFEST}.`,
        tags: ["authentication"],
    },
    {
        id: "kube-apiserver-service-account-key-file-set", title: "kube-apiserver verifies service-account tokens with a dedicated key",
        setting: "apiserver.serviceAccountKeyFile", op: "set", expected: "a key file", severity: "medium", enforcement: "advisory", cis: "1.2.22",
        why: "without a dedicated key the serving certificate's key signs tokens, so keys cannot be rotated independently", remediation: `Set --service-account-key-file ${MANIFEST}.`,
        tags: ["authentication"],
    },
    {
        id: "kube-apiserver-etcd-cafile-set", title: "kube-apiserver verifies etcd's certificate",
        setting: "apiserver.etcdCafile", op: "set", expected: "a CA file", severity: "high", enforcement: "mandatory", cis: "1.2.26",
        why: "without it the API server would talk to an impostor etcd holding all cluster state", remediation: `Set --etcd-cafile ${MANIFEST}.`,
        tags: ["etcd", "tls"],
    },
    {
        id: "kube-apiserver-client-ca-file-set", title: "kube-apiserver authenticates client certificates against a CA",
        setting: "apiserver.clientCaFile", op: "set", expected: "a CA file", severity: "high", enforcement: "mandatory", cis: "1.2.25",
        why: "without a client CA, certificate authentication (used by kubelets and components) is unavailable or unverified", remediation: `Set --client-ca-file ${MANIFEST}.`,
        tags: ["tls", "authentication"],
    },
    {
        id: "kube-apiserver-encryption-provider-config-set", title: "kube-apiserver encrypts Secrets at rest",
        setting: "apiserver.encryptionProviderConfig", op: "set", expected: "an EncryptionConfiguration file", severity: "medium", enforcement: "advisory", cis: "1.2.27",
        why: "without encryption at rest every Secret is readable in etcd and its backups", remediation: `Set --encryption-provider-config to an EncryptionConfiguration using kms, aescbc or secretbox ${MANIFEST}.`,
        tags: ["encryption", "secrets"],
    },
    {
        id: "kube-apiserver-service-account-extend-token-expiration-disabled", title: "kube-apiserver does not extend service-account token lifetimes",
        setting: "apiserver.serviceAccountExtendTokenExpiration", op: "eq", value: false, expected: "false", severity: "low", enforcement: "advisory", cis: "1.2.30",
        why: "extended tokens stay valid for up to a year, far beyond their requested lifetime", remediation: `Set --service-account-extend-token-expiration=false ${MANIFEST}.`,
        tags: ["authentication"],
    },
]);

const advancedAuditing = settingRules("apiserver", ["apiserver", "audit"], [{
    id: "kube-apiserver-advanced-auditing-not-disabled", title: "kube-apiserver keeps advanced auditing",
    setting: "apiserver.featureGates", op: "nothave", value: "AdvancedAuditing=false", expected: "no AdvancedAuditing=false in --feature-gates", severity: "medium", enforcement: "advisory",
    why: "turning off advanced auditing removes audit policy support", remediation: `Remove AdvancedAuditing=false from --feature-gates ${MANIFEST}.`,
}]);

const afterNode = flagged.findIndex((r) => r.id === "kube-apiserver-authorization-mode-includes-node") + 1;

export const APISERVER_RULES: Rule[] = [
    anonymous,
    ...flagged.slice(0, afterNode),
    rbac,
    ...flagged.slice(afterNode),
    pairRule({
        id: "kube-apiserver-kubelet-client-certificate-set", title: "kube-apiserver authenticates to kubelets with a client certificate",
        component: "apiserver", settings: ["apiserver.kubeletClientCertificate", "apiserver.kubeletClientKey"], cis: "1.2.4", severity: "high",
        why: "without it kubelets cannot authenticate the API server and must allow anonymous or broad access",
        remediation: `Set --kubelet-client-certificate and --kubelet-client-key ${MANIFEST}.`, tags: ["apiserver", "tls", "kubelet"],
    }),
    pairRule({
        id: "kube-apiserver-etcd-certfile-and-keyfile-set", title: "kube-apiserver authenticates to etcd with a client certificate",
        component: "apiserver", settings: ["apiserver.etcdCertfile", "apiserver.etcdKeyfile"], cis: "1.2.23", severity: "high",
        why: "etcd holds every Secret; without client certificates anyone reaching etcd can read and write cluster state",
        remediation: `Set --etcd-certfile and --etcd-keyfile ${MANIFEST}.`, tags: ["apiserver", "tls", "etcd"],
    }),
    pairRule({
        id: "kube-apiserver-tls-cert-file-and-key-set", title: "kube-apiserver serves with its own TLS certificate",
        component: "apiserver", settings: ["apiserver.tlsCertFile", "apiserver.tlsPrivateKeyFile"], cis: "1.2.24", severity: "medium",
        why: "without a managed serving certificate, clients cannot verify they talk to the real API server",
        remediation: `Set --tls-cert-file and --tls-private-key-file ${MANIFEST}.`, tags: ["apiserver", "tls"],
    }),
    ciphers,
    ...advancedAuditing,
];
