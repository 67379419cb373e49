// Kubernetes resources: static pod manifests and workload pod templates (also the children that
// yaml.ConfigFile, ConfigGroup and Helm charts register), and the kube-system ConfigMaps kubeadm writes.
import { EMPTY as EMPTY_NORMALIZED, Normalized, Subject, defaulted, explicit, unknown as unknownSetting } from "./model";
import { isRecord, isUnknownValue } from "./props";
import { readConfigMapData, readPodSpec } from "./node";

export const POD = "kubernetes:core/v1:Pod";
/** Workloads whose pod template may run control-plane components (self-hosted control planes, DaemonSet kubelets/proxies). */
export const WORKLOAD = /^kubernetes:(apps\/v1(beta1|beta2)?:(Deployment|DaemonSet|StatefulSet|ReplicaSet)|extensions\/v1beta1:(Deployment|DaemonSet|ReplicaSet)|batch\/v1:Job|core\/v1:(ReplicationController|PodTemplate))$/;
export const CRON_JOB = /^kubernetes:batch\/v1(beta1)?:CronJob$/;

export function pod(props: Record<string, unknown>): Normalized {
    return readPodSpec(props.spec, "");
}

export function workload(props: Record<string, unknown>): Normalized {
    const spec = isRecord(props.spec) ? props.spec : undefined;
    const template = isRecord(spec?.template) ? spec.template : isRecord(props.template) ? props.template : undefined;
    return readPodSpec(template?.spec, "pod template, ");
}

export function cronJob(props: Record<string, unknown>): Normalized {
    const spec = isRecord(props.spec) ? props.spec : undefined;
    const job = isRecord(spec?.jobTemplate) ? spec.jobTemplate : undefined;
    const tmpl = isRecord(job?.spec) && isRecord((job.spec as Record<string, unknown>).template) ? (job.spec as Record<string, unknown>).template as Record<string, unknown> : undefined;
    return readPodSpec(tmpl?.spec, "job template, ");
}



// ConfigMaps that carry component configuration: kube-system/kubeadm-config (ClusterConfiguration),
// kube-system/kubelet-config (KubeletConfiguration), kube-system/kube-proxy (KubeProxyConfiguration), or any
// ConfigMap whose values are such documents.
export const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

export function configMap(props: Record<string, unknown>): Normalized {
    return readConfigMapData(props.data);
}

// RBAC: bindings become subjects with their subjects and role reference; roles are read at stack level.
export const BINDING = /^kubernetes:rbac\.authorization\.k8s\.io\/v1(?:beta1|alpha1)?:(ClusterRoleBinding|RoleBinding)(Patch)?$/;
export const ROLE = /^kubernetes:rbac\.authorization\.k8s\.io\/v1(?:beta1|alpha1)?:(ClusterRole|Role)(Patch)?$/;

export interface RbacSubject { kind: string; name: string; namespace?: string }

function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

export function bindingSubjects(props: Record<string, unknown>): RbacSubject[] {
    const list = Array.isArray(props.subjects) ? props.subjects : [];
    return list.filter(isRecord).map((s) => ({ kind: str(s.kind) ?? "", name: str(s.name) ?? "", namespace: str(s.namespace) }));
}

/** Binding subjects, shown by kind and name (identities, not secrets). */
export function subjectsSetting(props: Record<string, unknown>) {
    const list = bindingSubjects(props);
    return { ...explicit(list, "subjects"), shown: `[${list.map((x) => `${x.kind} ${x.name}`.slice(0, 120)).join(", ")}]` };
}

export function binding(props: Record<string, unknown>, kind: "ClusterRoleBinding" | "RoleBinding"): Normalized {
    const meta = isRecord(props.metadata) ? props.metadata : {};
    const roleRef = isRecord(props.roleRef) ? props.roleRef : {};
    const settings: Subject["settings"] = {
        "rbac.bindingKind": explicit(kind, "kind"),
        "rbac.bindingName": explicit(str(meta.name) ?? "", "metadata.name"),
        "rbac.namespace": explicit(str(meta.namespace) ?? (kind === "RoleBinding" ? "default" : ""), "metadata.namespace"),
        "rbac.roleRef": explicit({ kind: str(roleRef.kind) ?? "", name: str(roleRef.name) ?? "" }, "roleRef"),
        "rbac.subjects": subjectsSetting(props),
    };
    return { subjects: [{ component: "rbac", platform: "kubernetes", location: "", settings }], notes: [] };
}

export function rbacBinding(props: Record<string, unknown>, type: string): Normalized {
    return binding(props, /:ClusterRoleBinding(Patch)?$/.test(type) ? "ClusterRoleBinding" : "RoleBinding");
}

// Services: the default/kubernetes Service, or any Service that selects API server pods.
export const SERVICE = /^kubernetes:core\/v1:Service(Patch)?$/;
const APISERVER_SELECTORS: [string, string][] = [
    ["component", "kube-apiserver"], ["k8s-app", "kube-apiserver"], ["app", "kube-apiserver"],
    ["app.kubernetes.io/name", "kube-apiserver"], ["app.kubernetes.io/component", "kube-apiserver"],
];

export function service(props: Record<string, unknown>): Normalized {
    const meta = isRecord(props.metadata) ? props.metadata : {};
    const spec = isRecord(props.spec) ? props.spec : {};
    const name = str(meta.name);
    const namespace = str(meta.namespace) ?? "default";
    const selector = isRecord(spec.selector) ? spec.selector : {};
    const targetsApiServer = (name === "kubernetes" && namespace === "default")
        ? "the default/kubernetes Service (the API server itself)"
        : APISERVER_SELECTORS.some(([k, v]) => selector[k] === v) ? `a selector for API server pods (${APISERVER_SELECTORS.filter(([k, v]) => selector[k] === v).map(([k, v]) => `${k}=${v}`).join(", ")})` : undefined;
    if (!targetsApiServer) return EMPTY_NORMALIZED;
    const type = str(spec.type) ?? "ClusterIP";
    const externalIPs = Array.isArray(spec.externalIPs) ? spec.externalIPs.filter((x) => typeof x === "string") : [];
    const settings: Subject["settings"] = {
        "service.targetsApiServer": explicit(targetsApiServer, name === "kubernetes" ? "metadata" : "spec.selector"),
        "service.type": isUnknownValue(spec.type) ? unknownSetting("spec.type") : spec.type === undefined ? defaulted("ClusterIP", "spec.type") : explicit(type, "spec.type"),
        "service.externalIPs": explicit(externalIPs, "spec.externalIPs"),
    };
    return { subjects: [{ component: "service", platform: "kubernetes", location: "", settings }], notes: [] };
}
