// Distribution modules: what a node distribution or its tools put on the node besides the program's own
// files, and the components it starts. Each module reads the node model and contributes image files (under
// the program's writes) and invocations. kubeadm and the EKS images are here; k3s and RKE2 (k3s.ts,
// k3s-config.ts, k3s-args.ts, rke2.ts) and Talos (talos.ts) are modules of their own.
import type { Doc } from "../../decode/documents";
import { parseDocuments, KNOWN_KINDS } from "../../decode/documents";
import { splitWords } from "../../decode/shell/interp";
import { parseEnvFile } from "../../decode/systemd";
import { APISERVER, CONTROLLER_MANAGER, ComponentSpec, ETCD, KUBELET, SCHEDULER } from "../../catalogue";
import type { Arg, NodeModel } from "../../model";
import type { SettingKey } from "../../../model";
import { applyJq } from "../../decode/shell/edits";
import type { NodeFiles } from "../files";
import type { Invocation } from "../invocation";
import { kubeadmCommand } from "../kubeadm-args";
import { k3sAndRke2 } from "./k3s";
import { talos } from "./talos";

/** A config file's base content per distribution (what it renders before the user's settings). */
export type KubeletBase = "kubeadm" | "eks-ami" | "nodeadm" | "bottlerocket";

const SECURE_KUBELET_FILE = {
    authentication: {
        anonymous: { enabled: false },
        webhook: { enabled: true },
        x509: { clientCAFile: "/etc/kubernetes/pki/ca.crt" },
    },
    authorization: { mode: "Webhook" },
};

/**
 * On EKS images the kubelet authenticates to the API server with an IAM token (its kubeconfig runs
 * aws-iam-authenticator or `aws eks get-token`), not a client certificate: there is none to rotate.
 */
const IAM_AUTHENTICATED_KUBELET: SettingKey[] = ["kubelet.rotateCertificates"];

export const KUBELET_BASES: Record<
    KubeletBase,
    { why: string; doc: Record<string, unknown>; notApplicable?: SettingKey[] }
> = {
    kubeadm: {
        why: "kubeadm writes /var/lib/kubelet/config.yaml",
        doc: { ...SECURE_KUBELET_FILE, rotateCertificates: true },
    },
    "eks-ami": {
        why: "the EKS AMI's /etc/kubernetes/kubelet/kubelet-config.json",
        doc: { ...SECURE_KUBELET_FILE, readOnlyPort: 0, protectKernelDefaults: true, serverTLSBootstrap: true },
        notApplicable: IAM_AUTHENTICATED_KUBELET,
    },
    nodeadm: {
        why: "nodeadm's generated kubelet config",
        doc: { ...SECURE_KUBELET_FILE, readOnlyPort: 0, protectKernelDefaults: true, serverTLSBootstrap: true },
        notApplicable: IAM_AUTHENTICATED_KUBELET,
    },
    // bottlerocket-os/bottlerocket-core-kit packages/kubernetes-1.33/kubelet-config: readOnlyPort 0, anonymous false,
    // Webhook; podPidsLimit {{default 1048576 settings.kubernetes.pod-pids-limit}}; seccompDefault {{default false
    // settings.kubernetes.seccomp-default}}; serverTLSBootstrap from settings.kubernetes.server-tls-bootstrap, which the
    // aws-k8s variants set to true (bottlerocket-os/bottlerocket sources/shared-defaults/kubernetes-aws.toml).
    bottlerocket: {
        why: "Bottlerocket's kubelet config template (aws-k8s variant defaults)",
        doc: {
            ...SECURE_KUBELET_FILE,
            readOnlyPort: 0,
            protectKernelDefaults: true,
            podPidsLimit: 1048576,
            seccompDefault: false,
            serverTLSBootstrap: true,
        },
        notApplicable: IAM_AUTHENTICATED_KUBELET,
    },
};

/** What another resource says about the node image: it runs the kubelet with this distribution's config file. */
export interface KnownImage {
    kubeletBase: KubeletBase;
    /** Why it is known, for messages: "amiType AL2023_x86_64_STANDARD of EKS node group \"workers\"". */
    where: string;
}

export interface Context {
    model: NodeModel;
    files: NodeFiles;
    invocations: Invocation[];
    image?: KnownImage;
}

export function obj(v: unknown): Record<string, unknown> | undefined {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export interface FoundDoc {
    doc: Doc;
    at: string;
    seq: number;
    /** The file it is in, when it is in one. */
    path?: string;
    /** The stream it belongs to (a file, a MIME part, a ConfigMap key): documents of one stream go together. */
    stream: string;
}

/** Every document on the node: standalone ones and those in files the program wrote, in boot order. */
export function allDocuments(model: NodeModel): FoundDoc[] {
    const out: FoundDoc[] = model.documents.map((d) => ({ doc: d.doc, at: d.at, seq: d.seq, stream: d.stream }));
    for (const f of model.files.values()) {
        if (f.content === undefined || !KNOWN_KINDS.test(f.content.slice(0, 1 << 16))) continue;
        const parsed = parseDocuments(f.content);
        const where = f.history[f.history.length - 1] ?? f.path;
        if (parsed.error) model.note(where, `${parsed.error}; not inspected`);
        for (const doc of parsed.docs) {
            const at =
                parsed.docs.length > 1
                    ? `${where}, document ${doc.index} (${doc.kind ?? "no kind"})`
                    : `${where}, ${doc.kind ?? "document"}`;
            out.push({ doc, at, seq: f.seq, path: f.path, stream: `file ${f.path}` });
        }
    }
    return out.sort((a, b) => a.seq - b.seq);
}

const isKubeadm = (d: Doc) => (d.apiVersion ?? "").startsWith("kubeadm.k8s.io/");

// ---- kubeadm ----------------------------------------------------------------------------------------------

/** Flags kubeadm puts in the control-plane static pod manifests before extraArgs are merged over them. */
const KUBEADM_FLAGS: [ComponentSpec, string, Record<string, string>][] = [
    [
        APISERVER,
        "apiServer",
        {
            "authorization-mode": "Node,RBAC",
            "enable-admission-plugins": "NodeRestriction",
            "secure-port": "6443",
            "client-ca-file": "/etc/kubernetes/pki/ca.crt",
            "tls-cert-file": "/etc/kubernetes/pki/apiserver.crt",
            "tls-private-key-file": "/etc/kubernetes/pki/apiserver.key",
            "kubelet-client-certificate": "/etc/kubernetes/pki/apiserver-kubelet-client.crt",
            "kubelet-client-key": "/etc/kubernetes/pki/apiserver-kubelet-client.key",
            "etcd-cafile": "/etc/kubernetes/pki/etcd/ca.crt",
            "etcd-certfile": "/etc/kubernetes/pki/apiserver-etcd-client.crt",
            "etcd-keyfile": "/etc/kubernetes/pki/apiserver-etcd-client.key",
            "service-account-key-file": "/etc/kubernetes/pki/sa.pub",
        },
    ],
    [
        CONTROLLER_MANAGER,
        "controllerManager",
        {
            "bind-address": "127.0.0.1",
            "use-service-account-credentials": "true",
            "service-account-private-key-file": "/etc/kubernetes/pki/sa.key",
            "root-ca-file": "/etc/kubernetes/pki/ca.crt",
        },
    ],
    [SCHEDULER, "scheduler", { "bind-address": "127.0.0.1" }],
    [
        ETCD,
        "etcd.local",
        {
            "cert-file": "/etc/kubernetes/pki/etcd/server.crt",
            "key-file": "/etc/kubernetes/pki/etcd/server.key",
            "client-cert-auth": "true",
            "peer-cert-file": "/etc/kubernetes/pki/etcd/peer.crt",
            "peer-key-file": "/etc/kubernetes/pki/etcd/peer.key",
            "peer-client-cert-auth": "true",
            "listen-client-urls": "https://127.0.0.1:2379",
        },
    ],
];

/** A scalar extraArgs value as text; anything else (a nested list, an alias) is not a flag value. */
function scalar(v: unknown): string | undefined {
    if (v === null || v === undefined) return "";
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return undefined;
}

/** kubeadm extraArgs: v1beta3 map {name: value} or v1beta4 list [{name, value}] (repeated names allowed). */
export function extraArgs(v: unknown): [string, string][] | undefined {
    const out: [string, string][] = [];
    if (Array.isArray(v)) {
        for (const e of v) {
            const o = obj(e);
            if (!o || typeof o.name !== "string") continue;
            const val = scalar(o.value);
            if (val === undefined) return undefined;
            out.push([o.name, val]);
        }
        return out;
    }
    const m = obj(v);
    if (!m) return v === undefined || v === null ? [] : undefined;
    for (const [k, val] of Object.entries(m)) {
        const s = scalar(val);
        if (s === undefined) return undefined;
        out.push([k, s]);
    }
    return out;
}

export function minorFromVersion(v: unknown): number | undefined {
    if (typeof v !== "string" || v.length > 64) return undefined;
    const m = /(?:^|[^\d])1\.(\d{1,2})(?:\.|$|[^\d])/.exec(v);
    return m ? Number(m[1]) : undefined;
}

const KUBEADM_UNIT = "[Service]\nExecStart=/usr/bin/kubelet\n";
/**
 * kubeadm's kubelet drop-in as the kubernetes/release packages install it (10-kubeadm.conf): flags from
 * kubeadm-flags.env ($KUBELET_KUBEADM_ARGS) come before the user's $KUBELET_EXTRA_ARGS from /etc/default/kubelet
 * (deb) or /etc/sysconfig/kubelet (rpm), and both after --config=/var/lib/kubelet/config.yaml.
 */
function kubeadmDropIn(extraArgsFile: string): string {
    return [
        "[Service]",
        'Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"',
        'Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"',
        "EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env",
        `EnvironmentFile=-${extraArgsFile}`,
        "ExecStart=",
        "ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS",
        "",
    ].join("\n");
}

const EXTRA_ARGS_FILES = ["/etc/default/kubelet", "/etc/sysconfig/kubelet"];

/** Deep merge of plain objects (later wins; lists replace), as kubeadm and nodeadm merge config documents. */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) {
        const x = obj(out[k]);
        const y = obj(v);
        out[k] = x && y ? deepMerge(x, y) : v;
    }
    return out;
}

/** RFC 6902 operations on a document (add/replace/remove on object paths; `-` appends to a list). */
export function jsonPatch(doc: Record<string, unknown>, ops: unknown): Record<string, unknown> {
    if (!Array.isArray(ops)) return doc;
    const root = structuredClone(doc);
    for (const op of ops.slice(0, 256)) {
        const o = obj(op);
        if (!o || typeof o.path !== "string" || typeof o.op !== "string") continue;
        const parts = o.path
            .split("/")
            .slice(1)
            .map((p) => p.split("~1").join("/").split("~0").join("~"));
        let cur: unknown = root;
        for (const p of parts.slice(0, -1)) cur = Array.isArray(cur) ? cur[Number(p)] : obj(cur)?.[p];
        const last = parts[parts.length - 1];
        if (Array.isArray(cur)) {
            if (o.op === "add") {
                if (last === "-") cur.push(o.value);
                else cur.splice(Number(last), 0, o.value);
            } else if (o.op === "replace") cur[Number(last)] = o.value;
            else if (o.op === "remove") cur.splice(Number(last), 1);
        } else if (obj(cur)) {
            const c = cur as Record<string, unknown>;
            if (o.op === "add" || o.op === "replace") c[last] = o.value;
            else if (o.op === "remove") delete c[last];
        }
    }
    return root;
}

/**
 * kubeadm patches (--patches DIR or patches.directory): files named target[suffix][+patchtype].{json,yaml} with
 * patchtype strategic (default), merge or json (RFC 6902); other extensions are ignored (kubeadm
 * "Customizing components with the kubeadm API", patches). Returns the patches for one target, in name order.
 */
function patchesFor(files: NodeFiles, dir: string, target: string): { doc: unknown; type: string; at: string }[] {
    const out: { doc: unknown; type: string; at: string }[] = [];
    for (const path of files.list(dir)) {
        const name = path.slice(path.lastIndexOf("/") + 1);
        const dot = name.lastIndexOf(".");
        const ext = name.slice(dot + 1);
        if (dot < 0 || !["json", "yaml", "yml"].includes(ext)) continue;
        const stem = name.slice(0, dot);
        const plus = stem.indexOf("+");
        const type = plus >= 0 ? stem.slice(plus + 1) : "strategic";
        const tgt = plus >= 0 ? stem.slice(0, plus) : stem;
        if (!(tgt === target || tgt.startsWith(target)) || !["strategic", "merge", "json"].includes(type)) continue;
        const f = files.read(path);
        if (f?.text === undefined) continue;
        const parsed = parseDocuments(f.text);
        for (const d of parsed.docs) out.push({ doc: d.value, type, at: `${f.where} (kubeadm patch ${name})` });
    }
    return out;
}

function applyPatches(
    doc: Record<string, unknown>,
    patches: { doc: unknown; type: string }[],
): Record<string, unknown> {
    let out = doc;
    for (const p of patches) out = p.type === "json" ? jsonPatch(out, p.doc) : deepMerge(out, obj(p.doc) ?? {});
    return out;
}

/**
 * kubeadm patches for a static pod target (kube-apiserver, kube-controller-manager, kube-scheduler, etcd): the
 * manifest's command after strategic (containers merged by name), merge or json patches.
 */
function patchManifest(files: NodeFiles, dir: string, spec: ComponentSpec, args: Arg[]): Arg[] {
    const target = spec.binaries[0];
    const patches = patchesFor(files, dir, target);
    if (patches.length === 0) return args;
    const command = [target, ...args.map((a) => a.text)];
    let pod: Record<string, unknown> = { spec: { containers: [{ name: target, command }] } };
    for (const p of patches) {
        if (p.type === "json") {
            pod = jsonPatch(pod, p.doc);
            continue;
        }
        const patchContainers = obj(obj(p.doc)?.spec)?.containers;
        if (p.type === "strategic" && Array.isArray(patchContainers)) {
            const containers = (obj(pod.spec)?.containers as Record<string, unknown>[] | undefined) ?? [];
            for (const pc of patchContainers) {
                const c = containers.find((x) => x.name === obj(pc)?.name);
                if (c && obj(pc)) Object.assign(c, deepMerge(c, obj(pc)!));
            }
            continue;
        }
        pod = deepMerge(pod, obj(p.doc) ?? {});
    }
    const after = (obj(pod.spec)?.containers as Record<string, unknown>[] | undefined)?.[0]?.command;
    if (!Array.isArray(after) || after.length === 0 || !after.every((x) => typeof x === "string")) return args;
    const at = patches.map((p) => p.at).join(", ");
    const before = new Set(command);
    return (after as string[])
        .slice(1)
        .map((text, i) => (before.has(text) && args[i]?.text === text ? args[i] : { text, from: at }));
}

/** kubeadm: the kubelet it configures (packaged unit + drop-in, generated config.yaml, kubeadm-flags.env) and the control plane. */
function kubeadm(ctx: Context, docs: FoundDoc[]): void {
    const { model, files } = ctx;
    const tools = model.tools.filter(
        (t) => t.tool === "kubeadm" && (t.argv[1]?.text === "init" || t.argv[1]?.text === "join"),
    );
    const extraArgsWritten = EXTRA_ARGS_FILES.find((p) => model.files.has(p));
    const kubeletDropIns = [
        "/etc/systemd/system/kubelet.service.d",
        "/usr/lib/systemd/system/kubelet.service.d",
        "/lib/systemd/system/kubelet.service.d",
    ].some((d) => files.list(d).length > 0);
    const kubeletUnitWritten = [
        "/etc/systemd/system/kubelet.service",
        "/usr/lib/systemd/system/kubelet.service",
        "/lib/systemd/system/kubelet.service",
    ].some((p) => model.files.has(p));
    const initJoin = docs
        .filter((d) => isKubeadm(d.doc))
        .filter((d) => d.doc.kind === "InitConfiguration" || d.doc.kind === "JoinConfiguration");
    // Weak evidence (an extra-args file, kubelet drop-ins) means the kubeadm packages only when no other resource
    // names the node's image (an EKS node group's AMI runs its own kubelet unit).
    const usesPackage =
        tools.length > 0 ||
        initJoin.length > 0 ||
        ((extraArgsWritten !== undefined || kubeletDropIns) && !kubeletUnitWritten && !ctx.image);
    // Documents kubeadm reads: the streams holding kubeadm documents; when kubeadm runs with --config, only
    // the streams it names (a file, or stdin for `--config -`).
    const named = new Set<string>();
    for (const t of tools) {
        const i = t.argv.findIndex((a) => a.text === "--config" || a.text.startsWith("--config="));
        if (i < 0) continue;
        const path = t.argv[i].text.includes("=") ? t.argv[i].text.slice(9) : t.argv[i + 1]?.text;
        if (path === "-" && t.stdin) {
            const stream = `${t.at} kubeadm --config - (stdin)`;
            for (const doc of parseDocuments(t.stdin).docs)
                docs.push({ doc, at: `${stream}, ${doc.kind ?? "document"}`, seq: t.seq, stream });
            named.add(stream);
        } else if (path) named.add(`file ${path}`);
    }
    const kubeadmStreams = new Set(docs.filter((d) => isKubeadm(d.doc)).map((d) => d.stream));
    const reads = (d: FoundDoc) => kubeadmStreams.has(d.stream) && (named.size === 0 || named.has(d.stream) || !d.path);
    const kubeadmDocs = docs.filter(reads);

    const patchDir =
        [...kubeadmDocs]
            .reverse()
            .map((d) => obj(obj(d.doc.value)?.patches)?.directory)
            .find((x): x is string => typeof x === "string") ??
        tools
            .map((t) => {
                const i = t.argv.findIndex((a) => a.text === "--patches");
                return i >= 0 ? t.argv[i + 1]?.text : undefined;
            })
            .find((x) => x);
    // Control plane from the (last) ClusterConfiguration.
    const cluster = [...kubeadmDocs].reverse().find((d) => d.doc.kind === "ClusterConfiguration" && isKubeadm(d.doc));
    if (cluster) {
        const v = obj(cluster.doc.value) ?? {};
        const minor = minorFromVersion(v.kubernetesVersion);
        const etcd = obj(v.etcd);
        for (const [spec, field, defaults] of KUBEADM_FLAGS) {
            // External etcd is not configured by kubeadm, so only a local etcd is judged here.
            if (spec === ETCD && etcd?.external) continue;
            const section = field === "etcd.local" ? obj(etcd?.local) : obj(v[field]);
            const extra = extraArgs(section?.extraArgs);
            if (extra === undefined) {
                model.note(
                    `${cluster.at} ${field}.extraArgs`,
                    "holds a value that is not a string (a list, a map or an alias); not inspected",
                );
                continue;
            }
            const command = kubeadmCommand(defaults, extra, `${field}.extraArgs`, spec, minor, cluster.at);
            let args = command.args;
            if (patchDir) args = patchManifest(files, patchDir, spec, args);
            ctx.invocations.push({
                spec,
                args,
                env: new Map(),
                at: cluster.at,
                minor,
                undetermined: command.undetermined,
            });
        }
    }
    // kubelet: kubeadm-flags.env from nodeRegistration.kubeletExtraArgs, config.yaml from KubeletConfiguration.
    const nodeReg = [...kubeadmDocs]
        .reverse()
        .map((d) => obj(obj(d.doc.value)?.nodeRegistration))
        .find((n) => n?.kubeletExtraArgs !== undefined);
    if (!usesPackage) return;
    const seq = tools.length ? tools[tools.length - 1].seq : undefined;
    const kubeletDocs = kubeadmDocs.filter((d) => d.doc.kind === "KubeletConfiguration");
    let config: Record<string, unknown> = KUBELET_BASES.kubeadm.doc;
    let why = KUBELET_BASES.kubeadm.why;
    for (const d of kubeletDocs) {
        config = deepMerge(config, obj(d.doc.value) ?? {});
        why = `${d.at} (kubeadm writes it to /var/lib/kubelet/config.yaml)`;
    }
    if (patchDir) {
        const patches = patchesFor(files, patchDir, "kubeletconfiguration");
        if (patches.length) {
            config = applyPatches(config, patches);
            why = `${why}, ${patches.map((p) => p.at).join(", ")}`;
        }
    }
    files.provide("/var/lib/kubelet/config.yaml", { doc: config, why, seq });
    if (nodeReg) {
        const extra = extraArgs(nodeReg.kubeletExtraArgs);
        if (extra) {
            const at = kubeadmDocs.find((d) => obj(obj(d.doc.value)?.nodeRegistration) === nodeReg)?.at ?? "kubeadm";
            const minor = cluster ? minorFromVersion(obj(cluster.doc.value)?.kubernetesVersion) : undefined;
            const command = kubeadmCommand({}, extra, `${at} nodeRegistration.kubeletExtraArgs`, KUBELET, minor);
            const flags = command.args.map((a) => a.text).join(" ");
            for (const u of command.undetermined) model.undetermined.push({ ...u, spec: KUBELET });
            files.provide("/var/lib/kubelet/kubeadm-flags.env", {
                text: `KUBELET_KUBEADM_ARGS="${flags}"\n`,
                why: `${at} nodeRegistration.kubeletExtraArgs`,
                seq,
            });
        }
    }
    const rpm = model.files.has("/etc/sysconfig/kubelet") && !model.files.has("/etc/default/kubelet");
    // An extra-args file the program edits but does not write is the package's, with an empty
    // KUBELET_EXTRA_ARGS= line (kubernetes/release rpm kubelet.env); one it neither writes nor edits is left out
    // (the drop-in reads it with `-`, optional), so Environment= in other drop-ins stands.
    for (const p of EXTRA_ARGS_FILES) {
        if (model.files.get(p)?.content === undefined && model.files.has(p))
            files.provide(p, { text: "KUBELET_EXTRA_ARGS=\n", why: `the kubelet package's ${p}` });
    }
    files.provide("/usr/lib/systemd/system/kubelet.service", {
        text: KUBEADM_UNIT,
        why: "the kubelet package's kubelet.service",
    });
    files.provide("/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf", {
        text: kubeadmDropIn(rpm ? "/etc/sysconfig/kubelet" : "/etc/default/kubelet"),
        why: "kubeadm's kubelet drop-in",
    });
}

// ---- EKS AL2 AMI (bootstrap.sh), nodeadm (AL2023), Bottlerocket ---------------------------------------------

/** Where the EKS AL2 AMI keeps the kubelet config file that bootstrap.sh completes. */
export const EKS_AMI_KUBELET_CONFIG = "/etc/kubernetes/kubelet/kubelet-config.json";
/** The EKS AL2 AMI's bootstrap script; managed node groups cannot pass it arguments, so user data edits it. */
export const EKS_BOOTSTRAP_SCRIPT = "/etc/eks/bootstrap.sh";

/** `KUBELET_EXTRA_ARGS+=" --x"` / `KUBELET_EXTRA_ARGS="$KUBELET_EXTRA_ARGS --x"` lines added to bootstrap.sh. */
function extraArgsLines(text: string, from: string): Arg[] {
    const out: Arg[] = [];
    for (const [k, v] of parseEnvFile(text.split("+=").join("="))) {
        if (k !== "KUBELET_EXTRA_ARGS") continue;
        const value = v.split("${KUBELET_EXTRA_ARGS}").join(" ").split("$KUBELET_EXTRA_ARGS").join(" ");
        for (const w of splitWords(value)) out.push({ text: w, from });
    }
    return out;
}

function eksAmi(ctx: Context): boolean {
    const { model, files } = ctx;
    const tools = model.tools.filter((t) => t.tool === "eks-bootstrap");
    const script = model.files.get(EKS_BOOTSTRAP_SCRIPT);
    const edited = model.files.get(EKS_AMI_KUBELET_CONFIG);
    if (tools.length === 0 && !(script && script.content === undefined) && !(edited && edited.content === undefined))
        return false;
    files.provide(EKS_AMI_KUBELET_CONFIG, { doc: KUBELET_BASES["eks-ami"].doc, why: KUBELET_BASES["eks-ami"].why });
    const args: Arg[] = [{ text: `--config=${EKS_AMI_KUBELET_CONFIG}`, from: "bootstrap.sh" }];
    for (const t of tools) {
        const words = t.argv.map((a) => a.text);
        for (let i = 0; i < words.length; i++) {
            const w = words[i];
            const value =
                w === "--kubelet-extra-args"
                    ? words[i + 1]
                    : w.startsWith("--kubelet-extra-args=")
                      ? w.slice(21)
                      : undefined;
            if (value !== undefined)
                for (const x of splitWords(value))
                    args.push({
                        text: x,
                        from: t === tools[0] ? "--kubelet-extra-args" : `${t.at} bootstrap.sh --kubelet-extra-args`,
                    });
        }
    }
    const at = tools[0]?.at
        ? `${tools[0].at} bootstrap.sh`
        : (script?.history[0] ?? edited?.history[0] ?? "bootstrap.sh");
    if (script && script.content === undefined) {
        files.provide(EKS_BOOTSTRAP_SCRIPT, { text: "", why: "the EKS AMI's bootstrap.sh", opaque: true });
        const f = files.read(EKS_BOOTSTRAP_SCRIPT);
        // The message starts with `at`; name the edit again only when another one than `at` added the line.
        const lastEdit = script.history[script.history.length - 1];
        const from = `KUBELET_EXTRA_ARGS added to ${EKS_BOOTSTRAP_SCRIPT}${lastEdit === at ? "" : ` (${lastEdit})`}`;
        if (f?.text) args.push(...extraArgsLines(f.text, from));
    }
    ctx.invocations.push({
        spec: KUBELET,
        args,
        env: new Map(),
        at,
        base: {
            doc: KUBELET_BASES["eks-ami"].doc,
            why: KUBELET_BASES["eks-ami"].why,
            notApplicable: KUBELET_BASES["eks-ami"].notApplicable,
        },
    });
    return true;
}

/** AL2023 nodeadm: NodeConfig objects merge in order, later ones winning (nodeadm doc/examples.md). */
function nodeadm(ctx: Context, docs: FoundDoc[]): boolean {
    const configs = docs.filter(
        (d) => d.doc.kind === "NodeConfig" && (d.doc.apiVersion ?? "").startsWith("node.eks.aws/"),
    );
    if (configs.length === 0) return false;
    const args: Arg[] = [];
    const cdocs: { doc: unknown; at: string }[] = [];
    for (const c of configs) {
        const kubelet = obj(obj(obj(c.doc.value)?.spec)?.kubelet);
        if (!kubelet) continue;
        if (kubelet.config !== undefined) cdocs.push({ doc: kubelet.config, at: `${c.at} spec.kubelet.config` });
        if (Array.isArray(kubelet.flags)) {
            const from = c === configs[0] ? "spec.kubelet.flags" : `${c.at} spec.kubelet.flags`;
            for (const f of kubelet.flags) if (typeof f === "string") args.push({ text: f, from });
        }
    }
    const b = KUBELET_BASES.nodeadm;
    ctx.invocations.push({
        spec: KUBELET,
        args,
        env: new Map(),
        at: configs[0].at,
        docs: cdocs,
        base: { doc: b.doc, why: `${b.why} (${configs[0].at})`, notApplicable: b.notApplicable },
    });
    return true;
}

/** Bottlerocket `[settings.kubernetes]`: its secure template unless standalone-mode renders an open kubelet. */
function bottlerocket(ctx: Context): boolean {
    const recs = ctx.model.settings.filter((s) => s.kind === "bottlerocket");
    if (recs.length === 0) return false;
    const values: { key: SettingKey; value: unknown; where: string }[] = [];
    for (const r of recs) {
        const k = obj(r.settings.kubernetes);
        if (!k) continue;
        if (k["standalone-mode"] === true) {
            const where = `${r.at} settings.kubernetes.standalone-mode = true`;
            values.push(
                { key: "kubelet.anonymousAuth", value: true, where },
                { key: "kubelet.webhookAuthentication", value: false, where },
                { key: "kubelet.authorizationMode", value: "AlwaysAllow", where },
            );
        }
        // Settings the template renders into the kubelet config (same template as above).
        const rendered: [string, SettingKey, "number" | "boolean"][] = [
            ["event-qps", "kubelet.eventRecordQPS", "number"],
            ["pod-pids-limit", "kubelet.podPidsLimit", "number"],
            ["seccomp-default", "kubelet.seccompDefault", "boolean"],
            ["server-tls-bootstrap", "kubelet.serverTLSBootstrap", "boolean"],
        ];
        for (const [name, key, type] of rendered) {
            if (typeof k[name] === type)
                values.push({ key, value: k[name], where: `${r.at} settings.kubernetes.${name}` });
        }
    }
    const b = KUBELET_BASES.bottlerocket;
    ctx.invocations.push({
        spec: KUBELET,
        args: [],
        env: new Map(),
        at: recs[0].at,
        values,
        base: { doc: b.doc, why: `${b.why} (${recs[0].at})`, notApplicable: b.notApplicable },
    });
    return true;
}

/** Runs the distribution modules; returns whether one of them starts a kubelet. */
export function distributions(ctx: Context, docs: FoundDoc[]): { kubelet: boolean } {
    kubeadm(ctx, docs);
    const eks = eksAmi(ctx);
    const na = nodeadm(ctx, docs);
    const br = bottlerocket(ctx);
    const k3s = k3sAndRke2(ctx);
    const tal = talos(ctx);
    return { kubelet: eks || na || br || k3s || tal };
}

/** The image another resource names, applied when the content shows a kubelet but no distribution of its own. */
export function assumeImage(ctx: Context, image: KnownImage, flags: Arg[], docs: { doc: unknown; at: string }[]): void {
    const b = KUBELET_BASES[image.kubeletBase];
    const base = { doc: b.doc, why: `${b.why} (${image.where})`, notApplicable: b.notApplicable };
    if (image.kubeletBase === "eks-ami") {
        ctx.files.provide(EKS_AMI_KUBELET_CONFIG, { doc: b.doc, why: base.why });
        ctx.invocations.push({
            spec: KUBELET,
            args: [{ text: `--config=${EKS_AMI_KUBELET_CONFIG}` }, ...flags],
            env: new Map(),
            at: image.where,
            label: "",
            base,
            docs,
        });
        return;
    }
    ctx.invocations.push({ spec: KUBELET, args: flags, env: new Map(), at: image.where, label: "", base, docs });
}

export { applyJq };
