// Talos Linux: the components a machine configuration starts and their flags. Talos builds each control-plane
// component's command line from its own defaults merged with `cluster.<component>.extraArgs`
// (internal/app/machined/pkg/controllers/k8s/control_plane_static_pod.go, argsbuilder merge policies: additive
// lists combine with the default, denied flags make Talos refuse the configuration, others replace the
// default), the kubelet from its generated KubeletConfiguration with `machine.kubelet.extraConfig` merged in
// (kubelet_spec.go; fields in pkg/machinery/kubelet ProtectedConfigurationFields cannot be overridden) and
// `machine.kubelet.extraArgs` as flags, and etcd from a deny-listed set of flags
// (internal/app/machined/pkg/system/services/etcd.go argsForInit) that extraArgs cannot change.
import { APISERVER, CONTROLLER_MANAGER, ComponentSpec, ETCD, KUBELET, SCHEDULER } from "../../catalogue";
import { minorFromImage } from "../../decode/images";
import type { Arg, SettingsRecord } from "../../model";
import type { SettingKey } from "../../../model";
import type { Invocation } from "../invocation";
import type { Context } from "./index";

function obj(v: unknown): Record<string, unknown> | undefined {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

const STATIC_POD = "internal/app/machined/pkg/controllers/k8s/control_plane_static_pod.go";
const SECRETS = "/system/secrets/kubernetes/kube-apiserver";

interface Defaults {
    args: [string, string][];
    /** Flags whose extraArgs value joins the default instead of replacing it (argsbuilder.MergeAdditive). */
    additive: string[];
    /** Flags extraArgs may not set (argsbuilder.MergeDenied): Talos refuses such a configuration. */
    denied: string[];
    why: string;
}

const COMPONENTS: [ComponentSpec, string, Defaults][] = [
    [
        APISERVER,
        "cluster.apiServer",
        {
            why: `Talos default (${STATIC_POD} manageAPIServer)`,
            args: [
                ["anonymous-auth", "false"],
                // handleKubeAPIServerAuthorizationFlags: Node and RBAC, as --authorization-mode or (Kubernetes
                // versions with structured authorization) an authorization-config file with the same authorizers.
                ["authorization-mode", "Node,RBAC"],
                ["enable-admission-plugins", "NodeRestriction"],
                ["profiling", "false"],
                ["secure-port", "6443"],
                ["client-ca-file", `${SECRETS}/ca.crt`],
                ["tls-cert-file", `${SECRETS}/apiserver.crt`],
                ["tls-private-key-file", `${SECRETS}/apiserver.key`],
                ["kubelet-client-certificate", `${SECRETS}/apiserver-kubelet-client.crt`],
                ["kubelet-client-key", `${SECRETS}/apiserver-kubelet-client.key`],
                ["etcd-cafile", `${SECRETS}/etcd-client-ca.crt`],
                ["etcd-certfile", `${SECRETS}/etcd-client.crt`],
                ["etcd-keyfile", `${SECRETS}/etcd-client.key`],
                ["service-account-key-file", `${SECRETS}/service-account.pub`],
                ["encryption-provider-config", `${SECRETS}/encryptionconfig.yaml`],
                ["audit-policy-file", "/system/config/kubernetes/kube-apiserver/auditpolicy.yaml"],
                ["audit-log-path", "/var/log/audit/kube/kube-apiserver.log"],
                ["audit-log-maxage", "30"],
                ["audit-log-maxbackup", "10"],
                ["audit-log-maxsize", "100"],
                [
                    "tls-cipher-suites",
                    "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                ],
            ],
            additive: ["enable-admission-plugins", "feature-gates", "authorization-mode", "tls-cipher-suites"],
            denied: [
                "etcd-servers",
                "client-ca-file",
                "requestheader-client-ca-file",
                "proxy-client-cert-file",
                "proxy-client-key-file",
                "encryption-provider-config",
                "etcd-cafile",
                "etcd-certfile",
                "etcd-keyfile",
                "kubelet-client-certificate",
                "kubelet-client-key",
                "service-account-key-file",
                "service-account-signing-key-file",
                "tls-cert-file",
                "tls-private-key-file",
                "authorization-config",
            ],
        },
    ],
    [
        CONTROLLER_MANAGER,
        "cluster.controllerManager",
        {
            why: `Talos default (${STATIC_POD} manageControllerManager)`,
            args: [
                ["use-service-account-credentials", "true"],
                ["profiling", "false"],
                ["bind-address", "127.0.0.1"],
                ["root-ca-file", "/system/secrets/kubernetes/kube-controller-manager/ca.crt"],
                [
                    "service-account-private-key-file",
                    "/system/secrets/kubernetes/kube-controller-manager/service-account.key",
                ],
            ],
            additive: ["service-cluster-ip-range", "controllers"],
            denied: [
                "cluster-signing-cert-file",
                "cluster-signing-key-file",
                "authentication-kubeconfig",
                "authorization-kubeconfig",
                "root-ca-file",
                "service-account-private-key-file",
            ],
        },
    ],
    [
        SCHEDULER,
        "cluster.scheduler",
        {
            why: `Talos default (${STATIC_POD} manageScheduler)`,
            // Talos also passes --config with its generated KubeSchedulerConfiguration (cluster.scheduler.config);
            // profiling is judged from --profiling=false, which Talos sets beside it.
            args: [
                ["profiling", "false"],
                ["bind-address", "127.0.0.1"],
            ],
            additive: [],
            denied: ["kubeconfig", "authentication-kubeconfig", "authorization-kubeconfig", "config"],
        },
    ],
];

/** etcd's flags, none of which `cluster.etcd.extraArgs` may change (etcd.go argsForInit denyListArgs). */
const ETCD_ARGS: [string, string][] = [
    ["auto-tls", "false"],
    ["peer-auto-tls", "false"],
    ["listen-client-urls", "https://NODE-IP:2379"],
    ["listen-peer-urls", "https://NODE-IP:2380"],
    ["client-cert-auth", "true"],
    ["cert-file", "/system/secrets/etcd/server.crt"],
    ["key-file", "/system/secrets/etcd/server.key"],
    ["peer-client-cert-auth", "true"],
    ["peer-cert-file", "/system/secrets/etcd/peer.crt"],
    ["peer-key-file", "/system/secrets/etcd/peer.key"],
];
const ETCD_WHY = "Talos default (internal/app/machined/pkg/system/services/etcd.go argsForInit)";

/** pkg/machinery/kubelet/kubelet.go ProtectedConfigurationFields: extraConfig may not set these. */
const PROTECTED_KUBELET_FIELDS = [
    "apiVersion",
    "authentication",
    "authorization",
    "cgroupRoot",
    "kind",
    "kubeletCgroups",
    "port",
    "protectKernelDefaults",
    "resolvConf",
    "rotateCertificates",
    "systemCgroups",
    "staticPodPath",
    "seccompDefault",
];
/** kubelet_spec.go: extraArgs may not set these. */
const DENIED_KUBELET_FLAGS = [
    "bootstrap-kubeconfig",
    "kubeconfig",
    "container-runtime",
    "container-runtime-endpoint",
    "config",
    "cert-dir",
];

/**
 * kubelet_spec.go NewKubeletConfiguration: Talos's fields (those in ProtectedConfigurationFields win over
 * extraConfig), the defaults it fills when extraConfig leaves them empty, and extraConfig for the rest.
 * `skipNodeRegistration` turns webhook authentication and authorization off.
 */
function talosKubeletDoc(
    extraConfig: Record<string, unknown>,
    skip: boolean,
    seccomp: boolean,
): Record<string, unknown> {
    return {
        readOnlyPort: 0,
        streamingConnectionIdleTimeout: "5m0s",
        ...extraConfig,
        authentication: {
            anonymous: { enabled: false },
            webhook: { enabled: !skip },
            x509: { clientCAFile: "/etc/kubernetes/pki/ca.crt" },
        },
        authorization: { mode: skip ? "AlwaysAllow" : "Webhook" },
        rotateCertificates: true,
        protectKernelDefaults: true,
        ...(seccomp ? { seccompDefault: true } : {}),
    };
}

/** extraArgs as name → values (a string, or in newer machine configs a list of strings). */
function extraArgs(v: unknown): [string, string][] | undefined {
    const m = obj(v);
    if (!m) return v === undefined || v === null ? [] : undefined;
    const out: [string, string][] = [];
    for (const [k, x] of Object.entries(m)) {
        if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") out.push([k, String(x)]);
        else if (Array.isArray(x) && x.every((y) => typeof y === "string")) for (const y of x) out.push([k, y]);
        else return undefined;
    }
    return out;
}

interface Built {
    args: Arg[];
    /** Setting keys the configuration decides even when its base is not known (the patches set them). */
    known: Set<SettingKey>;
}

/** Talos's argsbuilder merge of a component's extraArgs over its defaults. */
function merge(
    ctx: Context,
    rec: SettingsRecord,
    spec: ComponentSpec,
    field: string,
    d: Defaults,
    section: unknown,
): Built {
    const extra = extraArgs(obj(section)?.extraArgs);
    const where = `${rec.at}, ${field}.extraArgs`;
    const values = new Map<string, { value: string; from: string }>(
        d.args.map(([k, v]) => [k, { value: v, from: d.why }]),
    );
    const known = new Set<SettingKey>();
    if (extra === undefined)
        ctx.model.note(where, "holds a value that is neither a string nor a list of strings; not inspected");
    for (const [k, v] of extra ?? []) {
        if (d.denied.includes(k)) {
            ctx.model.note(
                `${where}.${k}`,
                `is a flag Talos does not let extraArgs set (${STATIC_POD}: MergeDenied); Talos rejects the change`,
            );
            continue;
        }
        const prev = values.get(k);
        const value = d.additive.includes(k) && prev ? `${prev.value},${v}` : v;
        values.set(k, { value, from: d.additive.includes(k) && prev ? `${d.why} and ${where}` : `${where}.${k}` });
        const st = spec.settings.find((s) => s.flag === k);
        if (st) known.add(st.key);
    }
    const args = [...values].map(([k, v]) => ({ text: `--${k}=${v.value}`, from: v.from }));
    return { args, known };
}

function kubeletInvocation(ctx: Context, rec: SettingsRecord, at: string, minor?: number): Invocation {
    const kubelet = obj(obj(rec.settings.machine)?.kubelet) ?? {};
    const where = `${rec.at}, machine.kubelet`;
    const extraConfig: Record<string, unknown> = { ...(obj(kubelet.extraConfig) ?? {}) };
    for (const f of PROTECTED_KUBELET_FIELDS) {
        if (!(f in extraConfig)) continue;
        ctx.model.note(
            `${where}.extraConfig.${f}`,
            "is a field Talos does not let extraConfig override (pkg/machinery/kubelet ProtectedConfigurationFields); Talos rejects the configuration",
        );
        delete extraConfig[f];
    }
    const skip = kubelet.skipNodeRegistration === true;
    const doc = talosKubeletDoc(extraConfig, skip, kubelet.defaultRuntimeSeccompProfileEnabled === true);
    const why = `Talos's kubelet configuration (kubelet_spec.go NewKubeletConfiguration${skip ? `; ${where}.skipNodeRegistration turns off webhook authentication and authorization` : ""}${Object.keys(extraConfig).length ? `, with ${where}.extraConfig` : ""})`;
    ctx.files.provide("/etc/kubernetes/kubelet.yaml", { doc, why });
    const args: Arg[] = [{ text: "--config=/etc/kubernetes/kubelet.yaml", from: "Talos default (kubelet_spec.go)" }];
    const known = new Set<SettingKey>();
    const extra = extraArgs(kubelet.extraArgs);
    if (extra === undefined)
        ctx.model.note(
            `${where}.extraArgs`,
            "holds a value that is neither a string nor a list of strings; not inspected",
        );
    for (const [k, v] of extra ?? []) {
        if (DENIED_KUBELET_FLAGS.includes(k)) {
            ctx.model.note(
                `${where}.extraArgs.${k}`,
                "is a flag Talos does not let extraArgs set (kubelet_spec.go: MergeDenied); Talos rejects the change",
            );
            continue;
        }
        args.push({ text: `--${k}=${v}`, from: `${where}.extraArgs.${k}` });
        const st = KUBELET.settings.find((s) => s.flag === k);
        if (st) known.add(st.key);
    }
    for (const st of KUBELET.settings) {
        if (st.config && st.config.split(".")[0] in extraConfig) known.add(st.key);
    }
    const inv: Invocation = {
        spec: KUBELET,
        args,
        env: new Map(),
        at,
        label: "",
        minor,
        // Talos always passes --hostname-override with the node name it computes (kubelet_spec.go).
        omit: ["kubelet.hostnameOverride"] as SettingKey[],
    };
    if (rec.unknownBase) inv.unknownBase = { where: rec.unknownBase, known: [...known] };
    return inv;
}

/** Talos machine configurations on the node; returns whether one of them runs a kubelet. */
export function talos(ctx: Context): boolean {
    const recs = ctx.model.settings.filter((s) => s.kind === "talos");
    for (const rec of recs) {
        const machine = obj(rec.settings.machine) ?? {};
        const cluster = obj(rec.settings.cluster) ?? {};
        const type = typeof machine.type === "string" ? machine.type : undefined;
        // With a base the pack cannot see, the patches' own sections say whether the machine is a control plane.
        const controlPlane =
            type === "controlplane" ||
            type === "init" ||
            (type === undefined &&
                rec.unknownBase !== undefined &&
                ["apiServer", "controllerManager", "scheduler", "etcd"].some((k) => k in cluster));
        const at = `${rec.at} (Talos ${type ?? (controlPlane ? "control plane" : "machine")})`;
        const minor = minorFromImage(obj(cluster.apiServer)?.image) ?? minorFromImage(obj(machine.kubelet)?.image);
        ctx.invocations.push(kubeletInvocation(ctx, rec, at, minor));
        if (!controlPlane) continue;
        // cluster.apiServer.auditPolicy is the Policy Talos writes to the --audit-policy-file it passes; not set:
        // pkg/machinery/config/types/v1alpha1 APIServerDefaultAuditPolicy, one rule at level Metadata.
        const auditPolicy = obj(obj(cluster.apiServer)?.auditPolicy);
        if (auditPolicy || !rec.unknownBase)
            ctx.files.provide("/system/config/kubernetes/kube-apiserver/auditpolicy.yaml", {
                doc: auditPolicy ?? { apiVersion: "audit.k8s.io/v1", kind: "Policy", rules: [{ level: "Metadata" }] },
                why: auditPolicy
                    ? `${rec.at}, cluster.apiServer.auditPolicy`
                    : "Talos's default audit policy (pkg/machinery/config/types/v1alpha1 APIServerDefaultAuditPolicy: level Metadata)",
            });
        for (const [spec, field, d] of COMPONENTS) {
            const section = obj(cluster[field.split(".")[1]]);
            const built = merge(ctx, rec, spec, field, d, section);
            const inv: Invocation = { spec, args: built.args, env: new Map(), at, label: "", minor };
            if (rec.unknownBase) inv.unknownBase = { where: rec.unknownBase, known: [...built.known] };
            ctx.invocations.push(inv);
        }
        // etcd: every judged flag is deny-listed, so extraArgs cannot weaken it.
        const etcdExtra = extraArgs(obj(cluster.etcd)?.extraArgs) ?? [];
        for (const [k] of etcdExtra) {
            if (ETCD_ARGS.some(([n]) => n === k))
                ctx.model.note(
                    `${rec.at}, cluster.etcd.extraArgs.${k}`,
                    "is a flag Talos does not let extraArgs set (etcd.go argsForInit deny list); not applied",
                );
        }
        // etcd's flags do not depend on the configuration, so an unknown base leaves them known.
        ctx.invocations.push({
            spec: ETCD,
            args: ETCD_ARGS.map(([k, v]) => ({ text: `--${k}=${v}`, from: ETCD_WHY })),
            env: new Map(),
            at,
            label: "",
            minor,
        });
    }
    return recs.length > 0;
}

/** Talos's defaults for the README (scripts/docs.ts): component, flag or field, value, where it comes from. */
export function describeTalosDefaults(): [string, string, string, string][] {
    const rows: [string, string, string, string][] = [];
    for (const [spec, , d] of COMPONENTS)
        for (const [k, v] of d.args) rows.push([`kube-${spec.component}`, `--${k}`, v, d.why]);
    for (const [k, v] of ETCD_ARGS) rows.push(["etcd", `--${k}`, v, ETCD_WHY]);
    const walk = (o: Record<string, unknown>, prefix: string) => {
        for (const [k, v] of Object.entries(o)) {
            if (typeof v === "object" && v !== null) walk(v as Record<string, unknown>, `${prefix}${k}.`);
            else
                rows.push([
                    "kubelet",
                    `${prefix}${k}`,
                    String(v),
                    "Talos default (kubelet_spec.go NewKubeletConfiguration)",
                ]);
        }
    };
    walk(talosKubeletDoc({}, false, true), "");
    return rows;
}
