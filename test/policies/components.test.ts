// Self-managed component rules on static pod manifests: a hardened baseline per component passes every rule;
// each row flips one flag to an insecure value (violation) and, where the default matters, removes it (unset).
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { RULES } from "../../policies";
import { verdict } from "../helpers";

const POD = "kubernetes:core/v1:Pod";

const BASELINE: Record<string, string[]> = {
    "kube-apiserver": [
        "--anonymous-auth=false",
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs",
        "--profiling=false",
        "--audit-log-path=/var/log/audit.log",
        "--audit-log-maxage=30",
        "--audit-log-maxbackup=10",
        "--audit-log-maxsize=100",
        "--audit-policy-file=/etc/kubernetes/audit.yaml",
        "--kubelet-client-certificate=/pki/kc.crt",
        "--kubelet-client-key=/pki/kc.key",
        "--kubelet-certificate-authority=/pki/ca.crt",
        "--etcd-cafile=/pki/etcd/ca.crt",
        "--etcd-certfile=/pki/etcd.crt",
        "--etcd-keyfile=/pki/etcd.key",
        "--tls-cert-file=/pki/a.crt",
        "--tls-private-key-file=/pki/a.key",
        "--client-ca-file=/pki/ca.crt",
        "--service-account-key-file=/pki/sa.pub",
        "--encryption-provider-config=/etc/enc.yaml",
        "--service-account-extend-token-expiration=false",
        "--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_AES_128_GCM_SHA256",
    ],
    "kube-controller-manager": [
        "--profiling=false",
        "--bind-address=127.0.0.1",
        "--use-service-account-credentials=true",
        "--service-account-private-key-file=/pki/sa.key",
        "--root-ca-file=/pki/ca.crt",
        "--terminated-pod-gc-threshold=10000",
    ],
    "kube-scheduler": ["--profiling=false", "--bind-address=127.0.0.1"],
    etcd: [
        "--cert-file=/pki/s.crt",
        "--key-file=/pki/s.key",
        "--client-cert-auth=true",
        "--peer-cert-file=/pki/p.crt",
        "--peer-key-file=/pki/p.key",
        "--peer-client-cert-auth=true",
        "--listen-client-urls=https://127.0.0.1:2379",
    ],
    kubelet: [
        "--anonymous-auth=false",
        "--authorization-mode=Webhook",
        "--authentication-token-webhook=true",
        "--client-ca-file=/pki/ca.crt",
        "--read-only-port=0",
        "--protect-kernel-defaults=true",
        "--tls-cert-file=/pki/k.crt",
        "--tls-private-key-file=/pki/k.key",
        "--rotate-certificates=true",
        "--pod-max-pids=4096",
        "--seccomp-default=true",
        "--streaming-connection-idle-timeout=5m",
        "--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    ],
    "kube-proxy": ["--metrics-bind-address=127.0.0.1:10249"],
};

function pod(binary: string, flags: string[], image = `registry.k8s.io/${binary}:v1.31.2`) {
    return {
        metadata: { name: binary, namespace: "kube-system" },
        spec: { containers: [{ name: binary, image, command: [binary], args: flags }] },
    };
}

function withFlag(binary: string, flag: string | null, name: string): string[] {
    const rest = BASELINE[binary].filter((f) => !f.startsWith(`--${name}=`));
    return flag === null ? rest : [...rest, flag];
}

type Row = [rule: string, binary: string, flagName: string, insecure: string, unset: "violation" | "pass" | null];

const ROWS: Row[] = [
    [
        "kube-apiserver-anonymous-auth-disabled",
        "kube-apiserver",
        "anonymous-auth",
        "--anonymous-auth=true",
        "violation",
    ],
    [
        "kube-apiserver-basic-auth-file-not-set",
        "kube-apiserver",
        "basic-auth-file",
        "--basic-auth-file=/etc/pw.csv",
        "pass",
    ],
    [
        "kube-apiserver-token-auth-file-not-set",
        "kube-apiserver",
        "token-auth-file",
        "--token-auth-file=/etc/tokens.csv",
        "pass",
    ],
    [
        "kube-apiserver-insecure-allow-any-token-not-set",
        "kube-apiserver",
        "insecure-allow-any-token",
        "--insecure-allow-any-token",
        "pass",
    ],
    [
        "kube-apiserver-insecure-bind-address-not-set",
        "kube-apiserver",
        "insecure-bind-address",
        "--insecure-bind-address=0.0.0.0",
        "pass",
    ],
    ["kube-apiserver-insecure-port-disabled", "kube-apiserver", "insecure-port", "--insecure-port=8080", "pass"],
    ["kube-apiserver-secure-port-enabled", "kube-apiserver", "secure-port", "--secure-port=0", "pass"],
    ["kube-apiserver-kubelet-https-enabled", "kube-apiserver", "kubelet-https", "--kubelet-https=false", "pass"],
    [
        "kube-apiserver-kubelet-certificate-authority-set",
        "kube-apiserver",
        "kubelet-certificate-authority",
        "--kubelet-certificate-authority=",
        "violation",
    ],
    [
        "kube-apiserver-authorization-mode-not-always-allow",
        "kube-apiserver",
        "authorization-mode",
        "--authorization-mode=AlwaysAllow",
        "violation",
    ],
    [
        "kube-apiserver-authorization-mode-includes-node",
        "kube-apiserver",
        "authorization-mode",
        "--authorization-mode=RBAC",
        "violation",
    ],
    [
        "kube-apiserver-authorization-mode-includes-rbac",
        "kube-apiserver",
        "authorization-mode",
        "--authorization-mode=Node",
        "violation",
    ],
    [
        "kube-apiserver-admission-event-rate-limit-enabled",
        "kube-apiserver",
        "enable-admission-plugins",
        "--enable-admission-plugins=NodeRestriction",
        "violation",
    ],
    [
        "kube-apiserver-admission-deny-service-external-ips-enabled",
        "kube-apiserver",
        "enable-admission-plugins",
        "--enable-admission-plugins=NodeRestriction",
        "violation",
    ],
    [
        "kube-apiserver-admission-always-admit-disabled",
        "kube-apiserver",
        "enable-admission-plugins",
        "--enable-admission-plugins=NodeRestriction,AlwaysAdmit",
        "pass",
    ],
    [
        "kube-apiserver-admission-always-pull-images-enabled",
        "kube-apiserver",
        "enable-admission-plugins",
        "--enable-admission-plugins=NodeRestriction",
        "violation",
    ],
    [
        "kube-apiserver-admission-service-account-not-disabled",
        "kube-apiserver",
        "disable-admission-plugins",
        "--disable-admission-plugins=ServiceAccount",
        "pass",
    ],
    [
        "kube-apiserver-admission-namespace-lifecycle-not-disabled",
        "kube-apiserver",
        "disable-admission-plugins",
        "--disable-admission-plugins=NamespaceLifecycle",
        "pass",
    ],
    [
        "kube-apiserver-admission-node-restriction-enabled",
        "kube-apiserver",
        "enable-admission-plugins",
        "--enable-admission-plugins=EventRateLimit",
        "violation",
    ],
    ["kube-apiserver-profiling-disabled", "kube-apiserver", "profiling", "--profiling=true", "violation"],
    ["kube-apiserver-audit-log-path-set", "kube-apiserver", "audit-log-path", "--audit-log-path=", "violation"],
    [
        "kube-apiserver-audit-policy-file-set",
        "kube-apiserver",
        "audit-policy-file",
        "--audit-policy-file=",
        "violation",
    ],
    [
        "kube-apiserver-audit-log-maxage-at-least-30",
        "kube-apiserver",
        "audit-log-maxage",
        "--audit-log-maxage=7",
        "violation",
    ],
    [
        "kube-apiserver-audit-log-maxbackup-at-least-10",
        "kube-apiserver",
        "audit-log-maxbackup",
        "--audit-log-maxbackup=2",
        "violation",
    ],
    [
        "kube-apiserver-audit-log-maxsize-at-least-100",
        "kube-apiserver",
        "audit-log-maxsize",
        "--audit-log-maxsize=10",
        "violation",
    ],
    ["kube-apiserver-request-timeout-valid", "kube-apiserver", "request-timeout", "--request-timeout=0s", "pass"],
    [
        "kube-apiserver-service-account-lookup-enabled",
        "kube-apiserver",
        "service-account-lookup",
        "--service-account-lookup=false",
        "pass",
    ],
    [
        "kube-apiserver-service-account-key-file-set",
        "kube-apiserver",
        "service-account-key-file",
        "--service-account-key-file=",
        "violation",
    ],
    ["kube-apiserver-etcd-cafile-set", "kube-apiserver", "etcd-cafile", "--etcd-cafile=", "violation"],
    ["kube-apiserver-client-ca-file-set", "kube-apiserver", "client-ca-file", "--client-ca-file=", "violation"],
    [
        "kube-apiserver-encryption-provider-config-set",
        "kube-apiserver",
        "encryption-provider-config",
        "--encryption-provider-config=",
        "violation",
    ],
    [
        "kube-apiserver-service-account-extend-token-expiration-disabled",
        "kube-apiserver",
        "service-account-extend-token-expiration",
        "--service-account-extend-token-expiration=true",
        "violation",
    ],
    [
        "kube-apiserver-advanced-auditing-not-disabled",
        "kube-apiserver",
        "feature-gates",
        "--feature-gates=AdvancedAuditing=false",
        "pass",
    ],
    [
        "kube-apiserver-kubelet-client-certificate-set",
        "kube-apiserver",
        "kubelet-client-key",
        "--kubelet-client-key=",
        "violation",
    ],
    [
        "kube-apiserver-etcd-certfile-and-keyfile-set",
        "kube-apiserver",
        "etcd-certfile",
        "--etcd-certfile=",
        "violation",
    ],
    [
        "kube-apiserver-tls-cert-file-and-key-set",
        "kube-apiserver",
        "tls-private-key-file",
        "--tls-private-key-file=",
        "violation",
    ],
    [
        "kube-apiserver-tls-cipher-suites-strong",
        "kube-apiserver",
        "tls-cipher-suites",
        "--tls-cipher-suites=TLS_RSA_WITH_RC4_128_SHA,TLS_AES_128_GCM_SHA256",
        "pass",
    ],
    [
        "kube-controller-manager-terminated-pod-gc-threshold-set",
        "kube-controller-manager",
        "terminated-pod-gc-threshold",
        "--terminated-pod-gc-threshold=0",
        "pass",
    ],
    [
        "kube-controller-manager-profiling-disabled",
        "kube-controller-manager",
        "profiling",
        "--profiling=true",
        "violation",
    ],
    [
        "kube-controller-manager-use-service-account-credentials-enabled",
        "kube-controller-manager",
        "use-service-account-credentials",
        "--use-service-account-credentials=false",
        "violation",
    ],
    [
        "kube-controller-manager-service-account-private-key-file-set",
        "kube-controller-manager",
        "service-account-private-key-file",
        "--service-account-private-key-file=",
        "violation",
    ],
    [
        "kube-controller-manager-root-ca-file-set",
        "kube-controller-manager",
        "root-ca-file",
        "--root-ca-file=",
        "violation",
    ],
    [
        "kube-controller-manager-rotate-kubelet-server-certificate-enabled",
        "kube-controller-manager",
        "feature-gates",
        "--feature-gates=RotateKubeletServerCertificate=false",
        "pass",
    ],
    [
        "kube-controller-manager-bind-address-localhost",
        "kube-controller-manager",
        "bind-address",
        "--bind-address=0.0.0.0",
        "violation",
    ],
    [
        "kube-controller-manager-authorization-always-allow-paths-health-only",
        "kube-controller-manager",
        "authorization-always-allow-paths",
        "--authorization-always-allow-paths=/healthz,/metrics",
        "pass",
    ],
    ["kube-scheduler-profiling-disabled", "kube-scheduler", "profiling", "--profiling=true", "violation"],
    ["kube-scheduler-bind-address-localhost", "kube-scheduler", "bind-address", "--bind-address=0.0.0.0", "violation"],
    [
        "kube-scheduler-authorization-always-allow-paths-health-only",
        "kube-scheduler",
        "authorization-always-allow-paths",
        "--authorization-always-allow-paths=/configz",
        "pass",
    ],
    ["etcd-cert-file-and-key-file-set", "etcd", "key-file", "--key-file=", "violation"],
    ["etcd-client-cert-auth-enabled", "etcd", "client-cert-auth", "--client-cert-auth=false", "violation"],
    ["etcd-auto-tls-disabled", "etcd", "auto-tls", "--auto-tls=true", "pass"],
    [
        "etcd-peer-client-cert-auth-enabled",
        "etcd",
        "peer-client-cert-auth",
        "--peer-client-cert-auth=false",
        "violation",
    ],
    ["etcd-peer-auto-tls-disabled", "etcd", "peer-auto-tls", "--peer-auto-tls=true", "pass"],
    ["etcd-peer-cert-file-and-key-file-set", "etcd", "peer-cert-file", "--peer-cert-file=", "violation"],
    [
        "etcd-listen-client-urls-https-only",
        "etcd",
        "listen-client-urls",
        "--listen-client-urls=https://127.0.0.1:2379,http://10.0.0.5:2379",
        "violation",
    ],
    ["kubelet-anonymous-auth-disabled", "kubelet", "anonymous-auth", "--anonymous-auth=true", "violation"],
    [
        "kubelet-authorization-mode-not-always-allow",
        "kubelet",
        "authorization-mode",
        "--authorization-mode=AlwaysAllow",
        "violation",
    ],
    [
        "kubelet-webhook-authentication-enabled",
        "kubelet",
        "authentication-token-webhook",
        "--authentication-token-webhook=false",
        "violation",
    ],
    ["kubelet-client-ca-file-set", "kubelet", "client-ca-file", "--client-ca-file=", "violation"],
    ["kubelet-read-only-port-disabled", "kubelet", "read-only-port", "--read-only-port=10255", "violation"],
    [
        "kubelet-streaming-connection-idle-timeout-not-zero",
        "kubelet",
        "streaming-connection-idle-timeout",
        "--streaming-connection-idle-timeout=0",
        "pass",
    ],
    [
        "kubelet-protect-kernel-defaults-enabled",
        "kubelet",
        "protect-kernel-defaults",
        "--protect-kernel-defaults=false",
        "violation",
    ],
    [
        "kubelet-make-iptables-util-chains-enabled",
        "kubelet",
        "make-iptables-util-chains",
        "--make-iptables-util-chains=false",
        "pass",
    ],
    ["kubelet-hostname-override-not-set", "kubelet", "hostname-override", "--hostname-override=node-1", "pass"],
    ["kubelet-event-record-qps-not-negative", "kubelet", "event-qps", "--event-qps=-1", "pass"],
    [
        "kubelet-rotate-certificates-enabled",
        "kubelet",
        "rotate-certificates",
        "--rotate-certificates=false",
        "violation",
    ],
    [
        "kubelet-rotate-server-certificates-enabled",
        "kubelet",
        "feature-gates",
        "--feature-gates=RotateKubeletServerCertificate=false",
        "pass",
    ],
    ["kubelet-pod-pids-limit-set", "kubelet", "pod-max-pids", "--pod-max-pids=-1", "violation"],
    ["kubelet-seccomp-default-enabled", "kubelet", "seccomp-default", "--seccomp-default=false", "violation"],
    ["kubelet-tls-cert-file-and-key-set", "kubelet", "tls-cert-file", "--tls-cert-file=", "violation"],
    [
        "kubelet-tls-cipher-suites-strong",
        "kubelet",
        "tls-cipher-suites",
        "--tls-cipher-suites=TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        "pass",
    ],
    [
        "kube-proxy-metrics-bind-address-localhost",
        "kube-proxy",
        "metrics-bind-address",
        "--metrics-bind-address=0.0.0.0:10249",
        "pass",
    ],
];

describe("self-managed component rules on static pods", () => {
    for (const [rule, binary, name, insecure, unset] of ROWS) {
        describe(rule, () => {
            it(`${binary} hardened baseline passes`, () =>
                assert.equal(verdict(rule, POD, pod(binary, BASELINE[binary])), "pass"));
            it(`${binary} with ${insecure} fails`, () =>
                assert.equal(verdict(rule, POD, pod(binary, withFlag(binary, insecure, name))), "violation"));
            if (unset)
                it(`${binary} without --${name} ${unset === "pass" ? "passes (secure default)" : "fails (insecure default)"}`, () =>
                    assert.equal(verdict(rule, POD, pod(binary, withFlag(binary, null, name))), unset));
        });
    }
    it("every self-managed rule has a row", () => {
        const covered = new Set(ROWS.map((r) => r[0]));
        const selfManaged = RULES.filter((r) =>
            ["apiserver", "controller-manager", "scheduler", "etcd", "kubelet", "kube-proxy"].includes(r.component),
        );
        const version = new Set([
            "kube-apiserver-admission-pod-security-policy-enabled",
            "kube-apiserver-admission-security-context-deny-enabled",
            // Judge the content of the policy file, not a flag: test/providers/audit-policy.test.ts.
            "kube-apiserver-audit-policy-logs-requests",
            "kube-apiserver-audit-policy-secrets-metadata-only",
        ]);
        for (const r of selfManaged) if (!version.has(r.id)) assert.ok(covered.has(r.id), `no row for ${r.id}`);
    });
    it("version-scoped rules apply only on the versions that had the setting", () => {
        const rule = "kube-apiserver-admission-pod-security-policy-enabled";
        const flags = BASELINE["kube-apiserver"];
        assert.equal(
            verdict(rule, POD, pod("kube-apiserver", flags, "registry.k8s.io/kube-apiserver:v1.23.0")),
            "violation",
        );
        assert.equal(
            verdict(rule, POD, pod("kube-apiserver", flags, "registry.k8s.io/kube-apiserver:v1.31.0")),
            "pass",
        );
        assert.equal(verdict(rule, POD, pod("kube-apiserver", flags, "registry.k8s.io/kube-apiserver")), "pass");
        const withPsp = flags.map((f) => (f.startsWith("--enable-admission-plugins=") ? `${f},PodSecurityPolicy` : f));
        assert.equal(
            verdict(rule, POD, pod("kube-apiserver", withPsp, "registry.k8s.io/kube-apiserver:v1.23.0")),
            "pass",
        );
    });
    it("a kubelet with --config takes config-file defaults; without, flag defaults", () => {
        const bare = ["--kubeconfig=/etc/kubelet.conf"];
        assert.equal(verdict("kubelet-read-only-port-disabled", POD, pod("kubelet", bare)), "violation");
        assert.equal(
            verdict(
                "kubelet-read-only-port-disabled",
                POD,
                pod("kubelet", [...bare, "--config=/var/lib/kubelet/config.yaml"]),
            ),
            "pass",
        );
        assert.equal(
            verdict(
                "kubelet-anonymous-auth-disabled",
                POD,
                pod("kubelet", [...bare, "--config=/var/lib/kubelet/config.yaml"]),
            ),
            "pass",
        );
    });
    it("a value that is a shell variable is unknown, not a verdict", () => {
        assert.equal(
            verdict(
                "kubelet-read-only-port-disabled",
                POD,
                pod("kubelet", withFlag("kubelet", "--read-only-port=$PORT", "read-only-port")),
            ),
            "unknown",
        );
    });
    it("an unparsable boolean is not a silent pass", () => {
        assert.equal(
            verdict(
                "etcd-client-cert-auth-enabled",
                POD,
                pod("etcd", withFlag("etcd", "--client-cert-auth=maybe", "client-cert-auth")),
            ),
            "unknown",
        );
    });
});
