// k3s and RKE2: the components a node runs and the flags they start with. Both run k3s's server and agent code
// (RKE2 starts the control plane as static pods through its pod executor), so the defaults here are k3s's, with
// RKE2's additions from rke2.ts; each is cited beside it. The user's `*-arg` options become flags through
// k3s's GetArgs (k3s-args.ts), so they replace, append to or prepend to these defaults.
import { APISERVER, CONTROLLER_MANAGER, ComponentSpec, ETCD, KUBELET, KUBE_PROXY, SCHEDULER } from "../../catalogue";
import { LIMITS } from "../../limits";
import type { Arg } from "../../model";
import { NodeModel, UNKNOWN_MARK } from "../../model";
import { NodeFiles } from "../files";
import type { SettingKey } from "../../../model";
import type { Invocation } from "../invocation";
import type { Context } from "./index";
import { Default, argValue, getArgs } from "./k3s-args";
import { Distro, Options, View, dataDir, k3sViews } from "./k3s-config";
import { rke2Additions } from "./rke2";

const NAME = { k3s: "k3s", rke2: "RKE2" } as const;

/** Where a default comes from, for messages: "k3s default (pkg/daemons/control/server.go apiServer)". */
function src(distro: Distro, file: string): string {
    return distro === "k3s" ? `k3s default (${file})` : `RKE2 default (k3s ${file})`;
}

/** The storage the API server uses: embedded etcd, an external etcd, or kine (SQLite or a SQL database). */
function datastore(distro: Distro, o: Options): "etcd" | "external-etcd" | "kine" {
    const endpoint = o.last("datastore-endpoint")?.value;
    if (endpoint) return /^https?:\/\//.test(endpoint) ? "external-etcd" : "kine";
    // RKE2 always runs etcd unless --disable-etcd without --server (kine) (pkg/rke2/rke2_linux.go
    // initStaticPodExecutor); k3s runs SQLite through kine unless --cluster-init, or --server to join a cluster
    // that runs etcd (k3s docs, "High Availability Embedded etcd").
    if (distro === "rke2") return o.bool("disable-etcd") && !o.last("server") ? "kine" : "etcd";
    return o.bool("cluster-init") || o.last("server") ? "etcd" : "kine";
}

/**
 * The user's `NAME-arg` list as arguments, each saying where it was set; an unreadable source makes one unknown.
 * Bounded like a command line (LIMITS.maxWords): beyond it the rest is unknown, so nothing passes unread.
 */
function userArgs(o: Options, name: string): Arg[] {
    const all = o.all(name);
    const out: Arg[] = all.slice(0, LIMITS.maxWords).map((v) => ({ text: v.value, from: v.where }));
    if (all.length > LIMITS.maxWords)
        out.push({
            text: UNKNOWN_MARK,
            from: `${all[LIMITS.maxWords].where} (more than ${LIMITS.maxWords} values; the rest were not inspected)`,
        });
    if (o.unknown) out.push({ text: UNKNOWN_MARK, from: o.unknown });
    return out;
}

function apiserverDefaults(view: View, store: string, extra: Arg[]): Default[] {
    const { distro, options: o } = view;
    const dd = dataDir(distro, o);
    const f = src(distro, "pkg/daemons/control/server.go apiServer");
    const tls = `${dd}/server/tls`;
    const d: Default[] = [
        ["enable-admission-plugins", "NodeRestriction", f],
        ["profiling", "false", f],
        ["secure-port", distro === "k3s" ? "6444" : "6443", f],
        ["tls-cert-file", `${tls}/serving-kube-apiserver.crt`, f],
        ["tls-private-key-file", `${tls}/serving-kube-apiserver.key`, f],
        ["client-ca-file", `${tls}/client-ca.crt`, f],
        ["kubelet-certificate-authority", `${tls}/server-ca.crt`, f],
        ["kubelet-client-certificate", `${tls}/client-kube-apiserver.crt`, f],
        ["kubelet-client-key", `${tls}/client-kube-apiserver.key`, f],
        ["service-account-key-file", `${tls}/service.key`, f],
    ];
    // server.go: "Not setting kube-apiserver 'authorization-mode' flag due to user-provided 'authorization-config'
    // file", and the same for 'anonymous-auth' when the user gives 'authentication-config'.
    if (argValue("authorization-config", extra) === undefined) d.push(["authorization-mode", "Node,RBAC", f]);
    if (argValue("authentication-config", extra) === undefined) d.push(["anonymous-auth", "false", f]);
    // secrets-encryption (always on for RKE2: pkg/rke2/rke2.go Server sets it).
    if (distro === "rke2" || o.bool("secrets-encryption"))
        d.push([
            "encryption-provider-config",
            `${dd}/server/cred/encryption-config.json`,
            distro === "rke2" ? "RKE2 default (pkg/rke2/rke2.go Server: secrets-encryption=true)" : f,
        ]);
    // setupStorageBackend: etcd client certificates when the API server talks to etcd.
    if (store === "etcd") {
        d.push(
            ["etcd-cafile", `${tls}/etcd/server-ca.crt`, f],
            ["etcd-certfile", `${tls}/etcd/client.crt`, f],
            ["etcd-keyfile", `${tls}/etcd/client.key`, f],
        );
    } else if (store === "external-etcd") {
        const map: [string, string][] = [
            ["datastore-cafile", "etcd-cafile"],
            ["datastore-certfile", "etcd-certfile"],
            ["datastore-keyfile", "etcd-keyfile"],
        ];
        for (const [opt, flag] of map) {
            const v = o.last(opt);
            if (v) d.push([flag, v.value, v.where]);
        }
    }
    return d;
}

const KUBE_CONTROLLER_FILE = "pkg/daemons/control/server.go controllerManager";

function controllerManagerDefaults(view: View): Default[] {
    const dd = dataDir(view.distro, view.options);
    const f = src(view.distro, KUBE_CONTROLLER_FILE);
    return [
        ["profiling", "false", f],
        ["bind-address", "127.0.0.1", f],
        ["use-service-account-credentials", "true", f],
        ["service-account-private-key-file", `${dd}/server/tls/service.current.key`, f],
        ["root-ca-file", `${dd}/server/tls/server-ca.crt`, f],
    ];
}

function schedulerDefaults(view: View): Default[] {
    const f = src(view.distro, "pkg/daemons/control/server.go scheduler");
    return [
        ["profiling", "false", f],
        ["bind-address", "127.0.0.1", f],
    ];
}

/**
 * The kubelet's defaults: k3s writes them to a drop-in, 00-k3s-defaults.conf, in its kubelet config directory
 * (pkg/daemons/agent/agent.go defaultKubeletConfig, v1.32 and later; earlier releases pass the same values as
 * flags) and passes --read-only-port=0 on the command line (agent_linux.go kubeletArgsAndConfig).
 */
function kubeletDefaultDoc(view: View, protect: boolean): Record<string, unknown> {
    const dd = dataDir(view.distro, view.options);
    return {
        authentication: {
            anonymous: { enabled: false },
            webhook: { enabled: true },
            x509: { clientCAFile: `${dd}/agent/client-ca.crt` },
        },
        authorization: { mode: "Webhook" },
        readOnlyPort: 0,
        streamingConnectionIdleTimeout: "4h0m0s",
        protectKernelDefaults: protect,
        tlsCertFile: `${dd}/agent/serving-kubelet.crt`,
        tlsPrivateKeyFile: `${dd}/agent/serving-kubelet.key`,
    };
}

/**
 * Settings that are not the user's choice on these distributions: k3s always passes --hostname-override with the
 * node name it registers (agent_linux.go kubeletArgsAndConfig), so the CIS check on it cannot apply.
 */
const KUBELET_NOT_APPLICABLE: SettingKey[] = ["kubelet.hostnameOverride"];

/**
 * The kubelet's `config=` and `config-dir=` arguments: k3s copies the file to 10-cli-config.conf and the directory
 * to 20-cli-config-dir in its managed drop-in directory, so they merge over its defaults (agent.go
 * extractConfigArgs). A file the pack cannot read stays a --config flag, which the kubelet resolver reports.
 */
function kubeletConfigArgs(ctx: Context, dir: string, extra: Arg[], distro: Distro): Arg[] {
    const out: Arg[] = [];
    for (const a of extra) {
        const t = a.text.startsWith("--") ? a.text.slice(2) : a.text;
        const eq = t.indexOf("=");
        const name = eq < 0 ? t : t.slice(0, eq);
        const value = eq < 0 ? "" : t.slice(eq + 1);
        if (name === "config" && value) {
            const f = ctx.files.read(value);
            if (f && (f.text !== undefined || f.doc !== undefined)) {
                ctx.files.provide(`${dir}/10-cli-config.conf`, {
                    text: f.text,
                    doc: f.doc as Record<string, unknown> | undefined,
                    why: `${f.where} (${a.from}: config=${value}, copied by ${NAME[distro]} to ${dir}/10-cli-config.conf)`,
                });
                continue;
            }
            out.push({ text: `--config=${value}`, from: a.from });
            continue;
        }
        if (name === "config-dir" && value) {
            for (const p of ctx.files.list(value).filter((x) => x.endsWith(".conf"))) {
                const f = ctx.files.read(p);
                if (!f) continue;
                ctx.files.provide(`${dir}/20-cli-config-dir-${p.slice(p.lastIndexOf("/") + 1)}`, {
                    text: f.text,
                    doc: f.doc as Record<string, unknown> | undefined,
                    why: `${f.where} (${a.from}: config-dir=${value})`,
                });
            }
            continue;
        }
        out.push(a);
    }
    return out;
}

/** etcd's config file as k3s writes it (pkg/etcd/etcd.go cluster, pkg/daemons/executor ETCDConfig.ToConfigFile). */
function etcdInvocation(ctx: Context, view: View, at: string): Invocation {
    const { distro, options: o } = view;
    const dd = dataDir(distro, o);
    const tls = `${dd}/server/tls/etcd`;
    const path = `${dd}/server/db/etcd/config`;
    const doc: Record<string, unknown> = {
        "listen-client-urls": "https://127.0.0.1:2379,https://NODE-IP:2379",
        "listen-peer-urls": "https://127.0.0.1:2380,https://NODE-IP:2380",
        "client-transport-security": {
            "cert-file": `${tls}/server-client.crt`,
            "key-file": `${tls}/server-client.key`,
            "client-cert-auth": true,
            "trusted-ca-file": `${tls}/server-ca.crt`,
        },
        "peer-transport-security": {
            "cert-file": `${tls}/peer-server-client.crt`,
            "key-file": `${tls}/peer-server-client.key`,
            "client-cert-auth": true,
            "trusted-ca-file": `${tls}/peer-ca.crt`,
        },
    };
    const values: Invocation["values"] = [];
    // ToConfigFile sets each etcd-arg `key=value` as a top-level key of that file. The listen URLs are top-level
    // keys there; the TLS settings live under client-transport-security and peer-transport-security, so whether
    // etcd honours a top-level TLS key is not something the pack can tell: such a setting is judged at update.
    for (const v of userArgs(o, "etcd-arg")) {
        if (v.text === UNKNOWN_MARK) {
            for (const st of ETCD.settings) values.push({ key: st.key, value: UNKNOWN_MARK, where: v.from ?? at });
            continue;
        }
        const t = v.text.startsWith("--") ? v.text.slice(2) : v.text;
        const eq = t.indexOf("=");
        const key = eq < 0 ? t : t.slice(0, eq);
        const value = eq < 0 ? "true" : t.slice(eq + 1);
        if (key === "listen-client-urls" || key === "listen-peer-urls") doc[key] = value;
        else {
            const st = ETCD.settings.find((s) => s.flag === key);
            if (st)
                values.push({
                    key: st.key,
                    value: UNKNOWN_MARK,
                    where: `${v.from}: ${key} (${NAME[distro]} writes it at the top level of etcd's config file, outside client-transport-security / peer-transport-security)`,
                });
        }
    }
    ctx.files.provide(path, {
        doc,
        why: `${NAME[distro]}'s etcd config ${path} (k3s pkg/etcd/etcd.go: client and peer certificate auth, https listen URLs)`,
    });
    return { spec: ETCD, args: [{ text: `--config-file=${path}` }], env: new Map(), at, values, minor: view.minor };
}

function invocation(
    spec: ComponentSpec,
    args: Arg[],
    at: string,
    view: View,
    extra: Partial<Invocation> = {},
): Invocation {
    return { spec, args, env: new Map(), at, label: "", minor: view.minor, ...extra };
}

/** The invocations of one k3s or RKE2 node. */
function nodeInvocations(ctx: Context, view: View): Invocation[] {
    const { distro, options: o } = view;
    const at = `${view.at} (${NAME[distro]} ${view.role ?? "node"}: ${view.roleWhy})`;
    const out: Invocation[] = [];
    const rke2 = distro === "rke2" ? rke2Additions(ctx, view) : undefined;
    const agentOnly = view.role !== "server";
    // The kubelet and kube-proxy: on every node, unless a server runs without its agent (k3s --disable-agent).
    if (!(view.role === "server" && o.bool("disable-agent"))) {
        const dir = `${dataDir(distro, o)}/agent/etc/kubelet.conf.d`;
        const protect = o.bool("protect-kernel-defaults") || (rke2?.cis ?? false);
        const why =
            distro === "k3s"
                ? `k3s's default kubelet config ${dir}/00-k3s-defaults.conf (pkg/daemons/agent/agent.go defaultKubeletConfig)`
                : `RKE2's default kubelet config ${dir}/00-rke2-defaults.conf (k3s pkg/daemons/agent/agent.go defaultKubeletConfig${rke2?.cis ? "; profile cis sets protect-kernel-defaults, pkg/cli/cmds/profile_linux.go" : ""})`;
        ctx.files.provide(`${dir}/00-${distro}-defaults.conf`, { doc: kubeletDefaultDoc(view, protect), why });
        const extra = kubeletConfigArgs(ctx, dir, userArgs(o, "kubelet-arg"), distro);
        const defaults: Default[] = [
            ["config-dir", dir, src(distro, "pkg/daemons/agent/agent_linux.go kubeletArgsAndConfig")],
            ["read-only-port", "0", src(distro, "pkg/daemons/agent/agent_linux.go kubeletArgsAndConfig")],
        ];
        out.push(invocation(KUBELET, getArgs(defaults, extra), at, view, { omit: KUBELET_NOT_APPLICABLE }));
        if (!o.bool("disable-kube-proxy"))
            out.push(invocation(KUBE_PROXY, getArgs([], userArgs(o, "kube-proxy-arg")), at, view));
    }
    if (agentOnly) return out;
    const store = datastore(distro, o);
    if (!o.bool("disable-apiserver")) {
        const extra = userArgs(o, "kube-apiserver-arg");
        const args = [...(rke2?.apiserver ?? []), ...getArgs(apiserverDefaults(view, store, extra), extra)];
        // With kine the API server reaches its storage over a local socket (k3s kine.sock), not etcd's TLS port.
        const omit: SettingKey[] =
            store === "kine" ? ["apiserver.etcdCertfile", "apiserver.etcdKeyfile", "apiserver.etcdCafile"] : [];
        out.push(invocation(APISERVER, args, at, view, { omit }));
    }
    if (!o.bool("disable-controller-manager")) {
        const extra = userArgs(o, "kube-controller-manager-arg");
        const args = [...(rke2?.controllerManager ?? []), ...getArgs(controllerManagerDefaults(view), extra)];
        out.push(invocation(CONTROLLER_MANAGER, args, at, view));
    }
    if (!o.bool("disable-scheduler"))
        out.push(invocation(SCHEDULER, getArgs(schedulerDefaults(view), userArgs(o, "kube-scheduler-arg")), at, view));
    if (store === "etcd" && !o.bool("disable-etcd")) out.push(etcdInvocation(ctx, view, at));
    return out;
}

/** k3s and RKE2 nodes the resource starts or configures; returns whether one of them runs a kubelet. */
export function k3sAndRke2(ctx: Context): boolean {
    let kubelet = false;
    for (const view of k3sViews(ctx)) {
        for (const inv of nodeInvocations(ctx, view)) {
            if (inv.spec === KUBELET) kubelet = true;
            ctx.invocations.push(inv);
        }
    }
    return kubelet;
}

/** A default as the README lists it: component, flag (or config-file field), value, where it comes from. */
export type DefaultRow = [component: string, setting: string, value: string, source: string];

/**
 * The defaults of a k3s or RKE2 server with no options (k3s: SQLite; RKE2: etcd), and what RKE2's `profile: cis`
 * adds, for the README (scripts/docs.ts). The same functions build the invocations above.
 */
export function describeDefaults(distro: Distro): DefaultRow[] {
    const options = new Options();
    const view: View = { distro, role: "server", roleWhy: "", options, at: "" };
    const rows: DefaultRow[] = [];
    const flags = (component: string, d: Default[]) => d.forEach(([k, v, f]) => rows.push([component, `--${k}`, v, f]));
    const args = (component: string, a: Arg[]) =>
        a.forEach((x) => {
            const eq = x.text.indexOf("=");
            rows.push([component, x.text.slice(0, eq), x.text.slice(eq + 1), x.from ?? ""]);
        });
    const store = distro === "rke2" ? "etcd" : "kine";
    flags("kube-apiserver", apiserverDefaults(view, store, []));
    flags("kube-controller-manager", controllerManagerDefaults(view));
    flags("kube-scheduler", schedulerDefaults(view));
    const dir = `${dataDir(distro, options)}/agent/etc/kubelet.conf.d`;
    flags("kubelet", [
        ["config-dir", dir, src(distro, "pkg/daemons/agent/agent_linux.go kubeletArgsAndConfig")],
        ["read-only-port", "0", src(distro, "pkg/daemons/agent/agent_linux.go kubeletArgsAndConfig")],
    ]);
    const doc = kubeletDefaultDoc(view, false);
    const walk = (o: Record<string, unknown>, prefix: string) => {
        for (const [k, v] of Object.entries(o)) {
            if (typeof v === "object" && v !== null && !Array.isArray(v))
                walk(v as Record<string, unknown>, `${prefix}${k}.`);
            else
                rows.push([
                    "kubelet",
                    `${prefix}${k}`,
                    String(v),
                    `${dir}/00-${distro}-defaults.conf (k3s pkg/daemons/agent/agent.go defaultKubeletConfig)`,
                ]);
        }
    };
    walk(doc, "");
    if (distro === "rke2") {
        const cis = new Options();
        cis.values.set("profile", [{ value: "cis", where: "config.yaml" }]);
        const model = new NodeModel();
        const add = rke2Additions(
            { model, files: new NodeFiles(model), invocations: [] },
            {
                ...view,
                options: cis,
            },
        );
        args("kube-apiserver (profile: cis)", add.apiserver);
        rows.push([
            "kubelet (profile: cis)",
            "protectKernelDefaults",
            "true",
            "RKE2 (pkg/cli/cmds/profile_linux.go setCISFlags)",
        ]);
        args("kube-controller-manager", add.controllerManager);
    }
    return rows;
}
