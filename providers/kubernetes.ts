// Kubernetes resources: static pod manifests and workload pod templates (also the children that
// yaml.ConfigFile, ConfigGroup and Helm charts register), and the kube-system ConfigMaps kubeadm writes.
import type { Normalized } from "./model";
import { isRecord } from "./props";
import { Assembly } from "./selfmanaged/assembly";
import { KNOWN_KINDS } from "./selfmanaged/documents";
import { Inspector } from "./selfmanaged/inspect";
import { LIMITS } from "./selfmanaged/limits";
import { subjectsFromPodSpec } from "./selfmanaged/pods";

export const POD = "kubernetes:core/v1:Pod";
/** Workloads whose pod template may run control-plane components (self-hosted control planes, DaemonSet kubelets/proxies). */
export const WORKLOAD = /^kubernetes:(apps\/v1(beta1|beta2)?:(Deployment|DaemonSet|StatefulSet|ReplicaSet)|extensions\/v1beta1:(Deployment|DaemonSet|ReplicaSet)|batch\/v1:Job|core\/v1:(ReplicationController|PodTemplate))$/;
export const CRON_JOB = /^kubernetes:batch\/v1(beta1)?:CronJob$/;

export function pod(props: Record<string, unknown>): Normalized {
    return { subjects: subjectsFromPodSpec(props.spec, ""), notes: [] };
}

export function workload(props: Record<string, unknown>): Normalized {
    const spec = isRecord(props.spec) ? props.spec : undefined;
    const template = isRecord(spec?.template) ? spec.template : isRecord(props.template) ? props.template : undefined;
    return { subjects: subjectsFromPodSpec(template?.spec, "pod template, "), notes: [] };
}

export function cronJob(props: Record<string, unknown>): Normalized {
    const spec = isRecord(props.spec) ? props.spec : undefined;
    const job = isRecord(spec?.jobTemplate) ? spec.jobTemplate : undefined;
    const tmpl = isRecord(job?.spec) && isRecord((job.spec as Record<string, unknown>).template) ? (job.spec as Record<string, unknown>).template as Record<string, unknown> : undefined;
    return { subjects: subjectsFromPodSpec(tmpl?.spec, "job template, "), notes: [] };
}



// ConfigMaps that carry component configuration: kube-system/kubeadm-config (ClusterConfiguration),
// kube-system/kubelet-config (KubeletConfiguration), kube-system/kube-proxy (KubeProxyConfiguration), or any
// ConfigMap whose values are such documents.
export const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

export function configMap(props: Record<string, unknown>): Normalized {
    const asm = new Assembly("self-managed", "");
    const inspector = new Inspector(asm);
    const data = isRecord(props.data) ? props.data : {};
    for (const [key, value] of Object.entries(data).slice(0, LIMITS.maxParts)) {
        if (typeof value !== "string" || !KNOWN_KINDS.test(value)) continue;
        inspector.documents(value, `ConfigMap data["${key}"]`);
    }
    return asm.build();
}
