// What each self-managed component accepts: flag name, config-file field, type, and the defaults that apply
// when only flags configure it and when a config file does (they differ for the kubelet). Defaults are
// the upstream ones (kubernetes.io command-line and config-api references, etcd's configuration docs).
import type { Component } from "../model";

export type ValueType = "bool" | "int" | "string" | "list" | "duration" | "map";

export interface SettingSpec {
    key: string;
    /** Command-line flag without dashes. */
    flag?: string;
    /** Field path in the component's config file (KubeletConfiguration, KubeProxyConfiguration). */
    config?: string;
    type: ValueType;
    /** Effective value when neither flag nor config file sets it and the component runs from flags only. */
    flagDefault?: unknown;
    /** Effective value when a config file is in use and does not set it (defaults to flagDefault). */
    fileDefault?: unknown;
    /** A default that depends on the Kubernetes version the program states (undefined: not stated). */
    versionDefault?: (minor: number | undefined) => { value: unknown; why: string };
}

export interface ComponentSpec {
    component: Component;
    /** Executable names (basename) that start this component. */
    binaries: string[];
    /** hyperkube subcommands. */
    hyperkube: string[];
    settings: SettingSpec[];
}

const s = (key: string, flag: string | undefined, config: string | undefined, type: ValueType, flagDefault?: unknown, fileDefault?: unknown): SettingSpec =>
    ({ key, flag, config, type, flagDefault, fileDefault: fileDefault === undefined ? flagDefault : fileDefault });

export const KUBELET: ComponentSpec = {
    component: "kubelet",
    binaries: ["kubelet"],
    hyperkube: ["kubelet"],
    settings: [
        s("kubelet.anonymousAuth", "anonymous-auth", "authentication.anonymous.enabled", "bool", true, false),
        s("kubelet.webhookAuthentication", "authentication-token-webhook", "authentication.webhook.enabled", "bool", false, true),
        s("kubelet.authorizationMode", "authorization-mode", "authorization.mode", "string", "AlwaysAllow", "Webhook"),
        s("kubelet.clientCaFile", "client-ca-file", "authentication.x509.clientCAFile", "string"),
        s("kubelet.readOnlyPort", "read-only-port", "readOnlyPort", "int", 10255, 0),
        s("kubelet.port", "port", "port", "int", 10250),
        s("kubelet.streamingConnectionIdleTimeout", "streaming-connection-idle-timeout", "streamingConnectionIdleTimeout", "duration", 4 * 3600),
        s("kubelet.protectKernelDefaults", "protect-kernel-defaults", "protectKernelDefaults", "bool", false),
        s("kubelet.makeIPTablesUtilChains", "make-iptables-util-chains", "makeIPTablesUtilChains", "bool", true),
        s("kubelet.hostnameOverride", "hostname-override", undefined, "string"),
        s("kubelet.eventRecordQPS", "event-qps", "eventRecordQPS", "int", 50),
        s("kubelet.tlsCertFile", "tls-cert-file", "tlsCertFile", "string"),
        s("kubelet.tlsPrivateKeyFile", "tls-private-key-file", "tlsPrivateKeyFile", "string"),
        s("kubelet.serverTLSBootstrap", undefined, "serverTLSBootstrap", "bool", false),
        s("kubelet.rotateCertificates", "rotate-certificates", "rotateCertificates", "bool", false),
        s("kubelet.featureGates", "feature-gates", "featureGates", "map", {}),
        s("kubelet.tlsCipherSuites", "tls-cipher-suites", "tlsCipherSuites", "list"),
        s("kubelet.podPidsLimit", "pod-max-pids", "podPidsLimit", "int", -1),
        s("kubelet.seccompDefault", "seccomp-default", "seccompDefault", "bool", false),
        s("kubelet.config", "config", undefined, "string"),
    ],
};

export const APISERVER: ComponentSpec = {
    component: "apiserver",
    binaries: ["kube-apiserver"],
    hyperkube: ["apiserver", "kube-apiserver"],
    settings: [
        s("apiserver.anonymousAuth", "anonymous-auth", undefined, "bool", true),
        s("apiserver.authenticationConfig", "authentication-config", undefined, "string"),
        // Derived: an AuthenticationConfiguration limits anonymous requests to health endpoints (set by the assembler).
        s("apiserver.anonymousHealthOnly", undefined, undefined, "bool", false),
        s("apiserver.basicAuthFile", "basic-auth-file", undefined, "string"),
        s("apiserver.tokenAuthFile", "token-auth-file", undefined, "string"),
        s("apiserver.insecureAllowAnyToken", "insecure-allow-any-token", undefined, "string"),
        s("apiserver.insecureBindAddress", "insecure-bind-address", undefined, "string"),
        {
            ...s("apiserver.insecurePort", "insecure-port", undefined, "int", 8080),
            // 8080 until 1.19; from 1.20 only 0 is accepted and 1.24 removed the flag. Without a stated version the
            // current behaviour is assumed; an explicit non-zero value is judged whatever the version.
            versionDefault: (minor) => minor !== undefined && minor < 20
                ? { value: 8080, why: `default 8080 on Kubernetes 1.${minor}` }
                : { value: 0, why: minor === undefined ? "no insecure port on current versions (no version stated)" : `no insecure port on Kubernetes 1.${minor}` },
        },
        s("apiserver.securePort", "secure-port", undefined, "int", 6443),
        s("apiserver.kubeletHttps", "kubelet-https", undefined, "bool", true),
        s("apiserver.kubeletClientCertificate", "kubelet-client-certificate", undefined, "string"),
        s("apiserver.kubeletClientKey", "kubelet-client-key", undefined, "string"),
        s("apiserver.kubeletCertificateAuthority", "kubelet-certificate-authority", undefined, "string"),
        s("apiserver.authorizationMode", "authorization-mode", undefined, "list", ["AlwaysAllow"]),
        s("apiserver.authorizationConfig", "authorization-config", undefined, "string"),
        s("apiserver.enableAdmissionPlugins", "enable-admission-plugins", undefined, "list", []),
        s("apiserver.disableAdmissionPlugins", "disable-admission-plugins", undefined, "list", []),
        s("apiserver.admissionControl", "admission-control", undefined, "list"),
        s("apiserver.profiling", "profiling", undefined, "bool", true),
        s("apiserver.auditLogPath", "audit-log-path", undefined, "string"),
        s("apiserver.auditLogMaxAge", "audit-log-maxage", undefined, "int", 0),
        s("apiserver.auditLogMaxBackup", "audit-log-maxbackup", undefined, "int", 0),
        s("apiserver.auditLogMaxSize", "audit-log-maxsize", undefined, "int", 0),
        s("apiserver.requestTimeout", "request-timeout", undefined, "duration", 60),
        s("apiserver.serviceAccountLookup", "service-account-lookup", undefined, "bool", true),
        s("apiserver.serviceAccountKeyFile", "service-account-key-file", undefined, "string"),
        s("apiserver.serviceAccountExtendTokenExpiration", "service-account-extend-token-expiration", undefined, "bool", true),
        s("apiserver.etcdCertfile", "etcd-certfile", undefined, "string"),
        s("apiserver.etcdKeyfile", "etcd-keyfile", undefined, "string"),
        s("apiserver.etcdCafile", "etcd-cafile", undefined, "string"),
        s("apiserver.tlsCertFile", "tls-cert-file", undefined, "string"),
        s("apiserver.tlsPrivateKeyFile", "tls-private-key-file", undefined, "string"),
        s("apiserver.clientCaFile", "client-ca-file", undefined, "string"),
        s("apiserver.encryptionProviderConfig", "encryption-provider-config", undefined, "string"),
        s("apiserver.tlsCipherSuites", "tls-cipher-suites", undefined, "list"),
        s("apiserver.featureGates", "feature-gates", undefined, "map", {}),
    ],
};

export const CONTROLLER_MANAGER: ComponentSpec = {
    component: "controller-manager",
    binaries: ["kube-controller-manager"],
    hyperkube: ["controller-manager", "kube-controller-manager"],
    settings: [
        s("controller-manager.profiling", "profiling", undefined, "bool", true),
        s("controller-manager.bindAddress", "bind-address", undefined, "string", "0.0.0.0"),
        s("controller-manager.useServiceAccountCredentials", "use-service-account-credentials", undefined, "bool", false),
        s("controller-manager.serviceAccountPrivateKeyFile", "service-account-private-key-file", undefined, "string"),
        s("controller-manager.rootCaFile", "root-ca-file", undefined, "string"),
        s("controller-manager.terminatedPodGcThreshold", "terminated-pod-gc-threshold", undefined, "int", 12500),
        s("controller-manager.featureGates", "feature-gates", undefined, "map", {}),
        s("controller-manager.authorizationAlwaysAllowPaths", "authorization-always-allow-paths", undefined, "list", ["/healthz", "/readyz", "/livez"]),
    ],
};

export const SCHEDULER: ComponentSpec = {
    component: "scheduler",
    binaries: ["kube-scheduler"],
    hyperkube: ["scheduler", "kube-scheduler"],
    settings: [
        s("scheduler.profiling", "profiling", undefined, "bool", true),
        s("scheduler.bindAddress", "bind-address", undefined, "string", "0.0.0.0"),
        s("scheduler.authorizationAlwaysAllowPaths", "authorization-always-allow-paths", undefined, "list", ["/healthz", "/readyz", "/livez"]),
        s("scheduler.config", "config", undefined, "string"),
    ],
};

export const ETCD: ComponentSpec = {
    component: "etcd",
    binaries: ["etcd"],
    hyperkube: [],
    settings: [
        s("etcd.certFile", "cert-file", undefined, "string"),
        s("etcd.keyFile", "key-file", undefined, "string"),
        s("etcd.clientCertAuth", "client-cert-auth", undefined, "bool", false),
        s("etcd.autoTls", "auto-tls", undefined, "bool", false),
        s("etcd.peerCertFile", "peer-cert-file", undefined, "string"),
        s("etcd.peerKeyFile", "peer-key-file", undefined, "string"),
        s("etcd.peerClientCertAuth", "peer-client-cert-auth", undefined, "bool", false),
        s("etcd.peerAutoTls", "peer-auto-tls", undefined, "bool", false),
        s("etcd.listenClientUrls", "listen-client-urls", undefined, "list", ["http://localhost:2379"]),
        s("etcd.listenPeerUrls", "listen-peer-urls", undefined, "list", ["http://localhost:2380"]),
    ],
};

export const KUBE_PROXY: ComponentSpec = {
    component: "kube-proxy",
    binaries: ["kube-proxy"],
    hyperkube: ["proxy", "kube-proxy"],
    settings: [
        s("kube-proxy.metricsBindAddress", "metrics-bind-address", "metricsBindAddress", "string", "127.0.0.1:10249"),
        s("kube-proxy.config", "config", undefined, "string"),
    ],
};

export const COMPONENTS: ComponentSpec[] = [KUBELET, APISERVER, CONTROLLER_MANAGER, SCHEDULER, ETCD, KUBE_PROXY];

/** The component a command starts, from the executable (a path is allowed) and, for hyperkube, its subcommand. */
export function componentOf(argv: string[]): { spec: ComponentSpec; args: string[] } | undefined {
    if (argv.length === 0) return undefined;
    const base = argv[0].split("/").pop() ?? "";
    for (const spec of COMPONENTS) if (spec.binaries.includes(base)) return { spec, args: argv.slice(1) };
    if (base === "hyperkube" && argv.length > 1) {
        for (const spec of COMPONENTS) if (spec.hyperkube.includes(argv[1])) return { spec, args: argv.slice(2) };
    }
    return undefined;
}
