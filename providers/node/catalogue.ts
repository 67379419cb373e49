// The component catalogue, in the spirit of kube-bench's cfg/config.yaml: for each self-managed component the
// binaries that start it, how it reads configuration (config-file flag, drop-in directory, environment
// prefix), and per setting the flag name, config-file field, type, how a repeated flag combines, and the
// defaults that apply when only flags configure it and when a config file does (they differ for the kubelet).
// Defaults are the upstream ones (kubernetes.io command-line and config-api references, etcd's configuration
// docs). The README's "Semantics" table is generated from this file (scripts/docs.ts).
import type { Component, SettingKey } from "../model";

export type ValueType = "bool" | "int" | "string" | "list" | "duration" | "map";

export interface SettingSpec {
    key: SettingKey;
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
    /**
     * How a repeated flag combines: "append" for pflag StringSlice flags (the first occurrence replaces the
     * default, later ones append: spf13/pflag string_slice.go Set), "last" for everything else (the last wins).
     * Maps (feature gates) always merge (k8s.io/component-base featuregate Set).
     */
    repeat?: "append" | "last";
    /** A setting read from a file another flag names (not a flag or field itself): what it is read from. */
    derivedFrom?: string;
}

export interface ComponentSpec {
    component: Component;
    /** Executable names (basename) that start this component. */
    binaries: string[];
    /** hyperkube subcommands. */
    hyperkube: string[];
    settings: SettingSpec[];
    /** The flag naming the component's config file, when it has one. */
    configFlag?: string;
    /** A config file replaces flags altogether (etcd --config-file) instead of sitting under them (kubelet --config). */
    configExclusive?: boolean;
    /** The kubelet's --config-dir: drop-in config files merged over --config. */
    configDirFlag?: string;
    /** Every flag can also come from the environment as PREFIX + NAME (etcd: ETCD_CLIENT_CERT_AUTH). */
    envPrefix?: string;
    /** Where to read more about how it is configured. */
    docs: string;
}

const s = (
    key: SettingKey,
    flag: string | undefined,
    config: string | undefined,
    type: ValueType,
    flagDefault?: unknown,
    fileDefault?: unknown,
): SettingSpec => ({
    key,
    flag,
    config,
    type,
    flagDefault,
    fileDefault: fileDefault === undefined ? flagDefault : fileDefault,
});
/** A pflag StringSlice flag: repeated occurrences append. */
const slice = (
    key: SettingKey,
    flag: string,
    config: string | undefined,
    flagDefault?: unknown,
    fileDefault?: unknown,
): SettingSpec => ({ ...s(key, flag, config, "list", flagDefault, fileDefault), repeat: "append" });

export const KUBELET: ComponentSpec = {
    component: "kubelet",
    binaries: ["kubelet"],
    hyperkube: ["kubelet"],
    configFlag: "config",
    configDirFlag: "config-dir",
    docs: "https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/",
    settings: [
        s("kubelet.anonymousAuth", "anonymous-auth", "authentication.anonymous.enabled", "bool", true, false),
        s(
            "kubelet.webhookAuthentication",
            "authentication-token-webhook",
            "authentication.webhook.enabled",
            "bool",
            false,
            true,
        ),
        s("kubelet.authorizationMode", "authorization-mode", "authorization.mode", "string", "AlwaysAllow", "Webhook"),
        s("kubelet.clientCaFile", "client-ca-file", "authentication.x509.clientCAFile", "string"),
        s("kubelet.readOnlyPort", "read-only-port", "readOnlyPort", "int", 10255, 0),
        s("kubelet.port", "port", "port", "int", 10250),
        s(
            "kubelet.streamingConnectionIdleTimeout",
            "streaming-connection-idle-timeout",
            "streamingConnectionIdleTimeout",
            "duration",
            4 * 3600,
        ),
        s("kubelet.protectKernelDefaults", "protect-kernel-defaults", "protectKernelDefaults", "bool", false),
        s("kubelet.makeIPTablesUtilChains", "make-iptables-util-chains", "makeIPTablesUtilChains", "bool", true),
        s("kubelet.hostnameOverride", "hostname-override", undefined, "string"),
        s("kubelet.eventRecordQPS", "event-qps", "eventRecordQPS", "int", 50),
        s("kubelet.tlsCertFile", "tls-cert-file", "tlsCertFile", "string"),
        s("kubelet.tlsPrivateKeyFile", "tls-private-key-file", "tlsPrivateKeyFile", "string"),
        s("kubelet.serverTLSBootstrap", undefined, "serverTLSBootstrap", "bool", false),
        s("kubelet.rotateCertificates", "rotate-certificates", "rotateCertificates", "bool", false),
        s("kubelet.featureGates", "feature-gates", "featureGates", "map", {}),
        slice("kubelet.tlsCipherSuites", "tls-cipher-suites", "tlsCipherSuites"),
        s("kubelet.podPidsLimit", "pod-max-pids", "podPidsLimit", "int", -1),
        s("kubelet.seccompDefault", "seccomp-default", "seccompDefault", "bool", false),
        s("kubelet.config", "config", undefined, "string"),
    ],
};

export const APISERVER: ComponentSpec = {
    component: "apiserver",
    binaries: ["kube-apiserver"],
    hyperkube: ["apiserver", "kube-apiserver"],
    docs: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
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
            versionDefault: (minor) =>
                minor !== undefined && minor < 20
                    ? { value: 8080, why: `default 8080 on Kubernetes 1.${minor}` }
                    : {
                          value: 0,
                          why:
                              minor === undefined
                                  ? "no insecure port on current versions (no version stated)"
                                  : `no insecure port on Kubernetes 1.${minor}`,
                      },
        },
        s("apiserver.securePort", "secure-port", undefined, "int", 6443),
        s("apiserver.kubeletHttps", "kubelet-https", undefined, "bool", true),
        s("apiserver.kubeletClientCertificate", "kubelet-client-certificate", undefined, "string"),
        s("apiserver.kubeletClientKey", "kubelet-client-key", undefined, "string"),
        s("apiserver.kubeletCertificateAuthority", "kubelet-certificate-authority", undefined, "string"),
        slice("apiserver.authorizationMode", "authorization-mode", undefined, ["AlwaysAllow"]),
        s("apiserver.authorizationConfig", "authorization-config", undefined, "string"),
        slice("apiserver.enableAdmissionPlugins", "enable-admission-plugins", undefined, []),
        slice("apiserver.disableAdmissionPlugins", "disable-admission-plugins", undefined, []),
        slice("apiserver.admissionControl", "admission-control", undefined),
        s("apiserver.profiling", "profiling", undefined, "bool", true),
        s("apiserver.auditLogPath", "audit-log-path", undefined, "string"),
        s("apiserver.auditLogMaxAge", "audit-log-maxage", undefined, "int", 0),
        s("apiserver.auditLogMaxBackup", "audit-log-maxbackup", undefined, "int", 0),
        s("apiserver.auditLogMaxSize", "audit-log-maxsize", undefined, "int", 0),
        s("apiserver.auditPolicyFile", "audit-policy-file", undefined, "string"),
        // Read from the --audit-policy-file the node writes (resolve/audit-policy.ts); absent without one.
        {
            ...s("apiserver.auditPolicyLogsRequests", undefined, undefined, "bool"),
            derivedFrom: "--audit-policy-file rules",
        },
        {
            ...s("apiserver.auditPolicySecretsMetadataOnly", undefined, undefined, "bool"),
            derivedFrom: "--audit-policy-file rules",
        },
        s("apiserver.requestTimeout", "request-timeout", undefined, "duration", 60),
        s("apiserver.serviceAccountLookup", "service-account-lookup", undefined, "bool", true),
        s("apiserver.serviceAccountKeyFile", "service-account-key-file", undefined, "string"),
        s(
            "apiserver.serviceAccountExtendTokenExpiration",
            "service-account-extend-token-expiration",
            undefined,
            "bool",
            true,
        ),
        s("apiserver.etcdCertfile", "etcd-certfile", undefined, "string"),
        s("apiserver.etcdKeyfile", "etcd-keyfile", undefined, "string"),
        s("apiserver.etcdCafile", "etcd-cafile", undefined, "string"),
        s("apiserver.tlsCertFile", "tls-cert-file", undefined, "string"),
        s("apiserver.tlsPrivateKeyFile", "tls-private-key-file", undefined, "string"),
        s("apiserver.clientCaFile", "client-ca-file", undefined, "string"),
        s("apiserver.encryptionProviderConfig", "encryption-provider-config", undefined, "string"),
        slice("apiserver.tlsCipherSuites", "tls-cipher-suites", undefined),
        s("apiserver.featureGates", "feature-gates", undefined, "map", {}),
    ],
};

export const CONTROLLER_MANAGER: ComponentSpec = {
    component: "controller-manager",
    binaries: ["kube-controller-manager"],
    hyperkube: ["controller-manager", "kube-controller-manager"],
    docs: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
    settings: [
        s("controller-manager.profiling", "profiling", undefined, "bool", true),
        s("controller-manager.bindAddress", "bind-address", undefined, "string", "0.0.0.0"),
        s(
            "controller-manager.useServiceAccountCredentials",
            "use-service-account-credentials",
            undefined,
            "bool",
            false,
        ),
        s("controller-manager.serviceAccountPrivateKeyFile", "service-account-private-key-file", undefined, "string"),
        s("controller-manager.rootCaFile", "root-ca-file", undefined, "string"),
        s("controller-manager.terminatedPodGcThreshold", "terminated-pod-gc-threshold", undefined, "int", 12500),
        s("controller-manager.featureGates", "feature-gates", undefined, "map", {}),
        slice("controller-manager.authorizationAlwaysAllowPaths", "authorization-always-allow-paths", undefined, [
            "/healthz",
            "/readyz",
            "/livez",
        ]),
    ],
};

export const SCHEDULER: ComponentSpec = {
    component: "scheduler",
    binaries: ["kube-scheduler"],
    hyperkube: ["scheduler", "kube-scheduler"],
    // With --config, the KubeSchedulerConfiguration decides and --profiling is ignored (kube-scheduler reference:
    // "--profiling ... This parameter is ignored if a config file is specified in --config").
    configFlag: "config",
    docs: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/",
    settings: [
        s("scheduler.profiling", "profiling", "enableProfiling", "bool", true),
        s("scheduler.bindAddress", "bind-address", undefined, "string", "0.0.0.0"),
        slice("scheduler.authorizationAlwaysAllowPaths", "authorization-always-allow-paths", undefined, [
            "/healthz",
            "/readyz",
            "/livez",
        ]),
        s("scheduler.config", "config", undefined, "string"),
    ],
};

export const ETCD: ComponentSpec = {
    component: "etcd",
    binaries: ["etcd"],
    hyperkube: [],
    // etcd.io/docs/v3.5/op-guide/configuration: "--config-file ... If present, all other flags and environment
    // variables are ignored"; every flag is also read from ETCD_<FLAG> (server/etcdmain/config.go, flags.SetPflagsFromEnv).
    configFlag: "config-file",
    configExclusive: true,
    envPrefix: "ETCD_",
    docs: "https://etcd.io/docs/v3.5/op-guide/configuration/",
    settings: [
        // Config-file keys: etcd's embed.Config YAML (client-transport-security / peer-transport-security).
        s("etcd.certFile", "cert-file", "client-transport-security.cert-file", "string"),
        s("etcd.keyFile", "key-file", "client-transport-security.key-file", "string"),
        s("etcd.clientCertAuth", "client-cert-auth", "client-transport-security.client-cert-auth", "bool", false),
        s("etcd.autoTls", "auto-tls", "client-transport-security.auto-tls", "bool", false),
        s("etcd.peerCertFile", "peer-cert-file", "peer-transport-security.cert-file", "string"),
        s("etcd.peerKeyFile", "peer-key-file", "peer-transport-security.key-file", "string"),
        s(
            "etcd.peerClientCertAuth",
            "peer-client-cert-auth",
            "peer-transport-security.client-cert-auth",
            "bool",
            false,
        ),
        s("etcd.peerAutoTls", "peer-auto-tls", "peer-transport-security.auto-tls", "bool", false),
        s("etcd.listenClientUrls", "listen-client-urls", "listen-client-urls", "list", ["http://localhost:2379"]),
        s("etcd.listenPeerUrls", "listen-peer-urls", "listen-peer-urls", "list", ["http://localhost:2380"]),
    ],
};

export const KUBE_PROXY: ComponentSpec = {
    component: "kube-proxy",
    binaries: ["kube-proxy"],
    hyperkube: ["proxy", "kube-proxy"],
    configFlag: "config",
    docs: "https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/",
    settings: [
        s("kube-proxy.metricsBindAddress", "metrics-bind-address", "metricsBindAddress", "string", "127.0.0.1:10249"),
        s("kube-proxy.config", "config", undefined, "string"),
    ],
};

export const COMPONENTS: ComponentSpec[] = [KUBELET, APISERVER, CONTROLLER_MANAGER, SCHEDULER, ETCD, KUBE_PROXY];

/** Does this argv start a component (binary by basename, or hyperkube with a component subcommand)? */
export function isComponentBinary(argv: string[]): boolean {
    return componentOf(argv) !== undefined;
}

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
