// Kubernetes resources: static pod manifests and workload pod templates (also the children that
// yaml.ConfigFile, ConfigGroup and Helm charts register), and the kube-system ConfigMaps kubeadm writes.
import {
    EMPTY as EMPTY_NORMALIZED,
    InspectionNote,
    Normalized,
    Setting,
    Settings,
    Subject,
    defaulted,
    explicit,
    settingsOf,
    unknown as unknownSetting,
} from "./model";
import { isRecord, isUnknownValue } from "./props";
import * as yaml from "js-yaml";
import { readConfigMapData, readPodSpec } from "./node";
import { BUILTIN_CLUSTER_ROLES, RBAC_LIMITS, awsAuthMasters, roleRefSetting, subjectsSetting } from "./rbac";

export const POD = "kubernetes:core/v1:Pod";
/** Workloads whose pod template may run control-plane components (self-hosted control planes, DaemonSet kubelets/proxies). */
export const WORKLOAD =
    /^kubernetes:(apps\/v1(beta1|beta2)?:(Deployment|DaemonSet|StatefulSet|ReplicaSet)|extensions\/v1beta1:(Deployment|DaemonSet|ReplicaSet)|batch\/v1:Job|core\/v1:(ReplicationController|PodTemplate))$/;
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
    const tmpl =
        isRecord(job?.spec) && isRecord((job.spec as Record<string, unknown>).template)
            ? ((job.spec as Record<string, unknown>).template as Record<string, unknown>)
            : undefined;
    return readPodSpec(tmpl?.spec, "job template, ");
}

// ConfigMaps that carry component configuration: kube-system/kubeadm-config (ClusterConfiguration),
// kube-system/kubelet-config (KubeletConfiguration), kube-system/kube-proxy (KubeProxyConfiguration), or any
// ConfigMap whose values are such documents.
export const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

export function configMap(props: Record<string, unknown>): Normalized {
    return readConfigMapData(props.data);
}

// RBAC: bindings become subjects with their subjects and role reference; roles are read at stack level
// (providers/rbac-stack.ts). `*List` kinds hold the same objects under `items`.
export const BINDING =
    /^kubernetes:rbac\.authorization\.k8s\.io\/v1(?:beta1|alpha1)?:(ClusterRoleBinding|RoleBinding)(Patch)?$/;
export const ROLE = /^kubernetes:rbac\.authorization\.k8s\.io\/v1(?:beta1|alpha1)?:(ClusterRole|Role)(Patch)?$/;
export const BINDING_LIST =
    /^kubernetes:rbac\.authorization\.k8s\.io\/v1(?:beta1|alpha1)?:(ClusterRoleBinding|RoleBinding)List$/;
export const ROLE_LIST = /^kubernetes:rbac\.authorization\.k8s\.io\/v1(?:beta1|alpha1)?:(ClusterRole|Role)List$/;

export type { RbacSubject } from "./rbac";
export { subjectsSetting };

function str(v: unknown): string | undefined {
    return typeof v === "string" && !isUnknownValue(v) ? v : undefined;
}

/** What a binding to a built-in ClusterRole grants (cluster-admin, admin, edit, view, ...): known without the stack. */
function builtinGrants(ref: Setting, location: string): Partial<Settings> {
    const r = ref.value as { kind: string; name: string } | undefined;
    const builtin = ref.state === "explicit" && r?.kind === "ClusterRole" ? BUILTIN_CLUSTER_ROLES[r.name] : undefined;
    if (!builtin) return {};
    const label = `ClusterRole "${r!.name}" (built-in, Kubernetes RBAC bootstrap policy)`;
    return { "rbac.grants": explicit(builtin.rules(label), `${location}roleRef: ${label}`) };
}

export function binding(
    props: Record<string, unknown>,
    kind: "ClusterRoleBinding" | "RoleBinding",
    location = "",
): Subject {
    const meta = isRecord(props.metadata) ? props.metadata : {};
    const at = location ? `${location}.` : "";
    const ref = roleRefSetting(props, `${at}roleRef`);
    const settings = settingsOf({
        "rbac.bindingKind": explicit(kind, "kind"),
        "rbac.bindingName": explicit(str(meta.name) ?? "", `${at}metadata.name`),
        "rbac.namespace": isUnknownValue(meta.namespace)
            ? unknownSetting(`${at}metadata.namespace`)
            : explicit(str(meta.namespace) ?? (kind === "RoleBinding" ? "default" : ""), `${at}metadata.namespace`),
        "rbac.roleRef": ref,
        "rbac.subjects": subjectsSetting(props, `${at}subjects`),
        ...builtinGrants(ref, at),
    });
    return { component: "rbac", platform: "kubernetes", location, settings };
}

export function bindingKindOf(type: string): "ClusterRoleBinding" | "RoleBinding" {
    return /:ClusterRoleBinding(Patch|List)?$/.test(type) ? "ClusterRoleBinding" : "RoleBinding";
}

export function rbacBinding(props: Record<string, unknown>, type: string): Normalized {
    return { subjects: [binding(props, bindingKindOf(type))], notes: [] };
}

/** The objects of a `*List` kind, at most RBAC_LIMITS.listItems; unknown items become a note. */
export function listItems(props: Record<string, unknown>): {
    items: { props: Record<string, unknown>; location: string }[];
    notes: InspectionNote[];
} {
    const raw = props.items;
    if (isUnknownValue(raw))
        return {
            items: [],
            notes: [
                {
                    where: "items",
                    reason: "the list's items are not known until the update runs, so they are judged then",
                },
            ],
        };
    const list = Array.isArray(raw) ? raw : [];
    const notes: InspectionNote[] = [];
    if (list.length > RBAC_LIMITS.listItems)
        notes.push({
            where: "items",
            reason: `only the first ${RBAC_LIMITS.listItems} of ${list.length} items are judged`,
        });
    const items: { props: Record<string, unknown>; location: string }[] = [];
    list.slice(0, RBAC_LIMITS.listItems).forEach((x, i) => {
        if (isUnknownValue(x))
            notes.push({
                where: `items[${i}]`,
                reason: "the item is not known until the update runs, so it is judged then",
            });
        else if (isRecord(x)) items.push({ props: x, location: `items[${i}]` });
    });
    return { items, notes };
}

/** EKS aws-auth: IAM roles and users mapped into system:masters (a subject of its own, beside any kubelet settings). */
export function awsAuth(props: Record<string, unknown>): Normalized {
    const masters = awsAuthMasters(props, (text) => yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA, json: true }));
    if (!masters) return EMPTY_NORMALIZED;
    return {
        subjects: [
            {
                component: "rbac",
                platform: "eks",
                location: "",
                settings: settingsOf({ "rbac.mastersMembers": masters }),
            },
        ],
        notes: [],
    };
}

export function rbacBindingList(props: Record<string, unknown>, type: string): Normalized {
    const kind = bindingKindOf(type);
    const { items, notes } = listItems(props);
    return { subjects: items.map((x) => binding(x.props, kind, x.location)), notes };
}

// Services: the default/kubernetes Service, or any Service that selects API server pods.
export const SERVICE = /^kubernetes:core\/v1:Service(Patch)?$/;
const APISERVER_SELECTORS: [string, string][] = [
    ["component", "kube-apiserver"],
    ["k8s-app", "kube-apiserver"],
    ["app", "kube-apiserver"],
    ["app.kubernetes.io/name", "kube-apiserver"],
    ["app.kubernetes.io/component", "kube-apiserver"],
];

export const SERVICE_LIST = /^kubernetes:core\/v1:ServiceList$/;

export function serviceList(props: Record<string, unknown>): Normalized {
    const { items, notes } = listItems(props);
    return { subjects: items.flatMap((x) => service(x.props, x.location).subjects), notes };
}

export function service(props: Record<string, unknown>, location = ""): Normalized {
    const meta = isRecord(props.metadata) ? props.metadata : {};
    const spec = isRecord(props.spec) ? props.spec : {};
    const name = str(meta.name);
    const namespace = str(meta.namespace) ?? "default";
    const selector = isRecord(spec.selector) ? spec.selector : {};
    const targetsApiServer =
        name === "kubernetes" && namespace === "default"
            ? "the default/kubernetes Service (the API server itself)"
            : APISERVER_SELECTORS.some(([k, v]) => selector[k] === v)
              ? `a selector for API server pods (${APISERVER_SELECTORS.filter(([k, v]) => selector[k] === v)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(", ")})`
              : undefined;
    if (!targetsApiServer) return EMPTY_NORMALIZED;
    const type = str(spec.type) ?? "ClusterIP";
    const externalIPs = Array.isArray(spec.externalIPs)
        ? spec.externalIPs.filter((x) => typeof x === "string" && !isUnknownValue(x))
        : [];
    const ipsUnknown =
        isUnknownValue(spec.externalIPs) || (Array.isArray(spec.externalIPs) && spec.externalIPs.some(isUnknownValue));
    const settings = settingsOf({
        "service.targetsApiServer": explicit(targetsApiServer, name === "kubernetes" ? "metadata" : "spec.selector"),
        "service.type": isUnknownValue(spec.type)
            ? unknownSetting("spec.type")
            : spec.type === undefined
              ? defaulted("ClusterIP", "spec.type")
              : explicit(type, "spec.type"),
        "service.externalIPs":
            ipsUnknown && externalIPs.length === 0
                ? unknownSetting("spec.externalIPs")
                : explicit(externalIPs, "spec.externalIPs"),
    });
    return { subjects: [{ component: "service", platform: "kubernetes", location, settings }], notes: [] };
}
