// Collects what one resource says about the components on a node (from documents, files, command lines) and
// builds their subjects with each component's precedence rules. Distribution knowledge lives here: what
// kubeadm, the EKS AMI, nodeadm and Bottlerocket write into the kubelet's config file, and kubeadm's
// control-plane flags.
import type { Component, InspectionNote, Normalized, Subject } from "../model";
import { ComponentBuilder } from "./builder";
import { APISERVER, COMPONENTS, CONTROLLER_MANAGER, ComponentSpec, ETCD, KUBELET, KUBE_PROXY, SCHEDULER } from "./components";
import type { Doc } from "./documents";
import { FlagMap, parseFlags } from "./flags";
import { subjectsFromPodSpec } from "./pods";

/** Where a kubelet's config file comes from and what it contains before the user's own settings. */
export type KubeletBase = "kubeadm" | "eks-ami" | "nodeadm" | "bottlerocket";

const SECURE_KUBELET_FILE = {
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: "/etc/kubernetes/pki/ca.crt" } },
    authorization: { mode: "Webhook" },
};

/**
 * On EKS images the kubelet authenticates to the API server with an IAM token (its kubeconfig runs
 * aws-iam-authenticator or `aws eks get-token`), not a client certificate: there is none to rotate.
 */
const IAM_AUTHENTICATED_KUBELET = ["kubelet.rotateCertificates"];

const KUBELET_BASES: Record<KubeletBase, { why: string; doc: Record<string, unknown>; notApplicable?: string[] }> = {
    kubeadm: { why: "kubeadm writes /var/lib/kubelet/config.yaml", doc: { ...SECURE_KUBELET_FILE, rotateCertificates: true } },
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
        doc: { ...SECURE_KUBELET_FILE, readOnlyPort: 0, protectKernelDefaults: true, podPidsLimit: 1048576, seccompDefault: false, serverTLSBootstrap: true },
        notApplicable: IAM_AUTHENTICATED_KUBELET,
    },
};

/** Flags kubeadm puts in the control-plane static pod manifests before extraArgs are merged over them. */
const KUBEADM_FLAGS: Partial<Record<Component, Record<string, string>>> = {
    apiserver: {
        "authorization-mode": "Node,RBAC", "enable-admission-plugins": "NodeRestriction", "secure-port": "6443",
        "client-ca-file": "/etc/kubernetes/pki/ca.crt", "tls-cert-file": "/etc/kubernetes/pki/apiserver.crt",
        "tls-private-key-file": "/etc/kubernetes/pki/apiserver.key",
        "kubelet-client-certificate": "/etc/kubernetes/pki/apiserver-kubelet-client.crt",
        "kubelet-client-key": "/etc/kubernetes/pki/apiserver-kubelet-client.key",
        "etcd-cafile": "/etc/kubernetes/pki/etcd/ca.crt", "etcd-certfile": "/etc/kubernetes/pki/apiserver-etcd-client.crt",
        "etcd-keyfile": "/etc/kubernetes/pki/apiserver-etcd-client.key", "service-account-key-file": "/etc/kubernetes/pki/sa.pub",
    },
    "controller-manager": {
        "bind-address": "127.0.0.1", "use-service-account-credentials": "true",
        "service-account-private-key-file": "/etc/kubernetes/pki/sa.key", "root-ca-file": "/etc/kubernetes/pki/ca.crt",
    },
    scheduler: { "bind-address": "127.0.0.1" },
    etcd: {
        "cert-file": "/etc/kubernetes/pki/etcd/server.crt", "key-file": "/etc/kubernetes/pki/etcd/server.key", "client-cert-auth": "true",
        "peer-cert-file": "/etc/kubernetes/pki/etcd/peer.crt", "peer-key-file": "/etc/kubernetes/pki/etcd/peer.key", "peer-client-cert-auth": "true",
        "listen-client-urls": "https://127.0.0.1:2379",
    },
};

const HEALTH_PATHS = new Set(["/healthz", "/livez", "/readyz"]);

export function minorFromVersion(v: unknown): number | undefined {
    if (typeof v !== "string") return undefined;
    const m = /(?:^|[^\d])1\.(\d{1,2})(?:\.|$|[^\d])/.exec(v);
    return m ? Number(m[1]) : undefined;
}

/** kubeadm extraArgs: v1beta3 map {name: value} or v1beta4 list [{name, value}]. */
export function extraArgs(v: unknown): FlagMap {
    const flags: FlagMap = new Map();
    if (Array.isArray(v)) {
        for (const e of v) {
            if (e && typeof e === "object" && typeof (e as { name?: unknown }).name === "string") {
                const val = (e as { value?: unknown }).value;
                flags.set((e as { name: string }).name, val === undefined || val === null ? "" : String(val));
            }
        }
    } else if (v && typeof v === "object") {
        for (const [k, val] of Object.entries(v)) flags.set(k, val === null || val === undefined ? "" : String(val));
    }
    return flags;
}

function obj(v: unknown): Record<string, unknown> | undefined {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
}

export class Assembly {
    private kubelet?: ComponentBuilder;
    private kubeletBase?: KubeletBase;
    private proxy?: ComponentBuilder;
    private readonly control = new Map<Component, ComponentBuilder>();
    private readonly pods: Subject[] = [];
    private authentication?: { healthOnly: boolean; enabled: boolean; where: string };
    private version?: number;
    /** KUBELET_EXTRA_ARGS was set: the kubeadm (and EKS AL2) systemd drop-in reads it and passes --config. */
    private dropInHint?: string;
    /** A kubelet unit or command line without --config: the kubelet runs from flags only. */
    private flagsOnlyKubelet = false;
    /** The image the node boots supplies this kubelet config file (known from another resource, e.g. an EKS node group). */
    private assumedBase?: { base: KubeletBase; where: string };
    readonly notes: InspectionNote[] = [];

    constructor(readonly platform: Subject["platform"], readonly location: string) {}

    note(where: string, reason: string): void {
        if (this.notes.length < 20) this.notes.push({ where, reason });
    }

    private kubeletBuilder(): ComponentBuilder {
        return this.kubelet ??= new ComponentBuilder(KUBELET, this.platform, this.location);
    }

    /** The kubelet runs with a distribution's config file; its secure values apply unless overridden. */
    setKubeletBase(base: KubeletBase, where: string): void {
        if (this.kubeletBase === base) return;
        const k = this.kubeletBuilder();
        this.kubeletBase = base;
        k.useConfigFile(KUBELET_BASES[base].why);
        k.applyBaseDocument(KUBELET_BASES[base].doc, `${KUBELET_BASES[base].why} (${where})`);
        for (const key of KUBELET_BASES[base].notApplicable ?? []) k.omit(key);
    }

    /**
     * The node's image is known to run the kubelet with this distribution's config file. Applied at build time
     * only when the content found a kubelet, did not name a distribution itself and did not replace the unit
     * with a flags-only command line.
     */
    assumeKubeletBase(base: KubeletBase, where: string): void {
        this.assumedBase = { base, where };
    }

    kubeletDocument(doc: unknown, label: string): void {
        const k = this.kubeletBuilder();
        if (!k.usesConfigFile) k.useConfigFile("a KubeletConfiguration is given");
        k.applyDocument(doc, label);
    }

    kubeletFlags(flags: FlagMap, label: string, source: "extra-args" | "command" | "other" = "other"): void {
        const k = this.kubeletBuilder();
        k.applyFlags(flags, label);
        if (flags.has("config") && !k.usesConfigFile) k.useConfigFile(`--config ${String(flags.get("config"))}`);
        if (source === "extra-args") this.dropInHint ??= label;
        if (source === "command" && !flags.has("config")) this.flagsOnlyKubelet = true;
    }

    kubeletValue(key: string, value: unknown, where: string, level: "flag" | "document"): void {
        this.kubeletBuilder().applyValue(key, value, where, level);
    }

    private controlBuilder(spec: ComponentSpec, kubeadm: boolean, label: string): ComponentBuilder {
        let b = this.control.get(spec.component);
        if (!b) {
            b = new ComponentBuilder(spec, this.platform, this.location);
            if (kubeadm && KUBEADM_FLAGS[spec.component]) {
                b.applyFlags(new Map(Object.entries(KUBEADM_FLAGS[spec.component]!)), `kubeadm default (${label})`);
            }
            this.control.set(spec.component, b);
        }
        return b;
    }

    /** A component started from a command line (kubelet, kube-apiserver, ... in a script or unit file). */
    command(argv: string[], spec: ComponentSpec, label: string): void {
        const flags = parseFlags(argv, spec);
        if (spec === KUBELET) return this.kubeletFlags(flags, label, "command");
        if (spec === KUBE_PROXY) {
            this.proxy ??= new ComponentBuilder(KUBE_PROXY, this.platform, this.location);
            this.proxy.applyFlags(flags, label);
            if (flags.has("config")) this.proxy.useConfigFile(`--config ${String(flags.get("config"))}`);
            return;
        }
        this.controlBuilder(spec, false, label).applyFlags(flags, label);
    }

    /** Documents found somewhere in the resource (a file, a MIME part, a ConfigMap key). */
    documents(docs: Doc[], label: string): void {
        for (const d of docs) {
            const v = obj(d.value);
            if (!v) continue;
            const at = docs.length > 1 ? `${label}, document ${d.index} (${d.kind ?? "no kind"})` : `${label}, ${d.kind ?? "document"}`;
            const api = d.apiVersion ?? "";
            switch (d.kind) {
                case "KubeletConfiguration": this.kubeletDocument(v, at); break;
                case "KubeProxyConfiguration":
                    this.proxy ??= new ComponentBuilder(KUBE_PROXY, this.platform, this.location);
                    this.proxy.useConfigFile("a KubeProxyConfiguration is given");
                    this.proxy.applyDocument(v, at);
                    break;
                case "ClusterConfiguration": if (api.startsWith("kubeadm.k8s.io/")) this.clusterConfiguration(v, at); break;
                case "InitConfiguration":
                case "JoinConfiguration":
                    if (api.startsWith("kubeadm.k8s.io/")) {
                        this.setKubeletBase("kubeadm", at);
                        const nr = obj(v.nodeRegistration);
                        if (nr?.kubeletExtraArgs !== undefined) this.kubeletFlags(extraArgs(nr.kubeletExtraArgs), `${at} nodeRegistration.kubeletExtraArgs`);
                    }
                    break;
                case "NodeConfig": if (api.startsWith("node.eks.aws/")) this.nodeConfig(v, at); break;
                case "AuthenticationConfiguration": if (api.startsWith("apiserver.config.k8s.io/")) this.authenticationConfiguration(v, at); break;
                case "Pod": this.pods.push(...subjectsFromPodSpec(v.spec, `${at}, `)); break;
                default: break;
            }
        }
    }

    private clusterConfiguration(v: Record<string, unknown>, at: string): void {
        const minor = minorFromVersion(v.kubernetesVersion);
        if (minor !== undefined) this.version = minor;
        const parts: [ComponentSpec, unknown][] = [
            [APISERVER, obj(v.apiServer)?.extraArgs],
            [CONTROLLER_MANAGER, obj(v.controllerManager)?.extraArgs],
            [SCHEDULER, obj(v.scheduler)?.extraArgs],
        ];
        const etcd = obj(v.etcd);
        // External etcd is not configured by kubeadm, so only a local etcd is judged here.
        if (!etcd?.external) parts.push([ETCD, obj(etcd?.local)?.extraArgs]);
        for (const [spec, args] of parts) {
            const b = this.controlBuilder(spec, true, at);
            const field = spec === ETCD ? "etcd.local.extraArgs" : `${spec === APISERVER ? "apiServer" : spec === SCHEDULER ? "scheduler" : "controllerManager"}.extraArgs`;
            if (args !== undefined) b.applyFlags(extraArgs(args), `${at} ${field}`);
        }
    }

    private nodeConfig(v: Record<string, unknown>, at: string): void {
        this.setKubeletBase("nodeadm", at);
        const kubelet = obj(obj(v.spec)?.kubelet);
        if (!kubelet) return;
        if (kubelet.config !== undefined) this.kubeletDocument(kubelet.config, `${at} spec.kubelet.config`);
        if (Array.isArray(kubelet.flags)) {
            const words = kubelet.flags.filter((f): f is string => typeof f === "string");
            this.kubeletFlags(parseFlags(words, KUBELET), `${at} spec.kubelet.flags`);
        }
    }

    private authenticationConfiguration(v: Record<string, unknown>, at: string): void {
        const anon = obj(v.anonymous);
        const enabled = anon?.enabled === true;
        const conditions = Array.isArray(anon?.conditions) ? anon.conditions : [];
        const paths = conditions.map((c) => obj(c)?.path).filter((p): p is string => typeof p === "string");
        const healthOnly = enabled && paths.length > 0 && paths.length === conditions.length && paths.every((p) => HEALTH_PATHS.has(p));
        this.authentication = { enabled, healthOnly, where: `${at} anonymous` };
    }

    /** Bottlerocket `[settings.kubernetes]`: secure template unless standalone-mode renders an open kubelet. */
    bottlerocket(kubernetes: Record<string, unknown> | undefined, at: string): void {
        this.setKubeletBase("bottlerocket", at);
        if (kubernetes?.["standalone-mode"] === true) {
            const where = `${at} settings.kubernetes.standalone-mode = true`;
            this.kubeletValue("kubelet.anonymousAuth", true, where, "document");
            this.kubeletValue("kubelet.webhookAuthentication", false, where, "document");
            this.kubeletValue("kubelet.authorizationMode", "AlwaysAllow", where, "document");
        }
        // Settings the template renders into the kubelet config (same template as above).
        const rendered: [string, string, "number" | "boolean"][] = [
            ["event-qps", "kubelet.eventRecordQPS", "number"], ["pod-pids-limit", "kubelet.podPidsLimit", "number"],
            ["seccomp-default", "kubelet.seccompDefault", "boolean"], ["server-tls-bootstrap", "kubelet.serverTLSBootstrap", "boolean"],
        ];
        for (const [name, key, type] of rendered) {
            const v = kubernetes?.[name];
            if (typeof v === type) this.kubeletValue(key, v, `${at} settings.kubernetes.${name}`, "document");
        }
    }

    /** Has anything been found? */
    get empty(): boolean {
        return !this.kubelet && !this.proxy && this.control.size === 0 && this.pods.length === 0;
    }

    build(): Normalized {
        const subjects: Subject[] = [];
        for (const spec of COMPONENTS) {
            const b = this.control.get(spec.component);
            if (!b) continue;
            if (spec === APISERVER && this.authentication) {
                b.applyValue("apiserver.anonymousAuth", this.authentication.enabled, this.authentication.where, "document");
                if (this.authentication.healthOnly) b.applyValue("apiserver.anonymousHealthOnly", true, `${this.authentication.where}.conditions (health endpoints only)`, "document");
            }
            b.kubernetesMinor = this.version;
            subjects.push(b.build());
        }
        if (this.kubelet) {
            if (this.assumedBase && this.kubeletBase === undefined && !this.flagsOnlyKubelet) {
                this.setKubeletBase(this.assumedBase.base, this.assumedBase.where);
            }
            if (this.dropInHint && !this.flagsOnlyKubelet && !this.kubelet.usesConfigFile) {
                this.setKubeletBase("kubeadm", `${this.dropInHint} is read by the kubeadm kubelet drop-in, which passes --config`);
            }
            subjects.push(this.kubelet.build());
        }
        if (this.proxy) subjects.push(this.proxy.build());
        subjects.push(...this.pods);
        return { subjects, notes: this.notes };
    }
}
