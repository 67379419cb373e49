// Shorthand for rule records of self-managed components: most are one setting, one operator, one CIS control.
import type { Component, SettingKey } from "../providers/model";
import type { Benchmark, CheckRule, CisRef, Enforcement, Op, Rule, Severity } from "./rule";

const CIS_K8S: Benchmark = "cis-kubernetes-1.12";

export interface SettingRuleInput {
    id: string;
    title: string;
    setting: SettingKey;
    op: Op;
    value?: unknown;
    expected: string;
    severity: Severity;
    enforcement: Enforcement;
    /** CIS Kubernetes 1.12 section, when the benchmark has one. */
    cis?: string;
    /** The same control in the managed-Kubernetes benchmarks (their worker-node section). */
    managedCis?: CisRef[];
    why: string;
    remediation: string;
    url?: string;
    tags?: string[];
    versions?: Rule["versions"];
}

const DOCS: Partial<Record<Component, string>> = {
    apiserver: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
    "controller-manager": "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
    scheduler: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/",
    etcd: "https://etcd.io/docs/v3.5/op-guide/configuration/",
    kubelet: "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
    "kube-proxy": "https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/",
};

export function settingRules(component: Component, tags: string[], rows: SettingRuleInput[]): Rule[] {
    return rows.map((r) => ({
        kind: "setting",
        id: r.id,
        title: r.title,
        component,
        setting: r.setting,
        op: r.op,
        value: r.value,
        expected: r.expected,
        severity: r.severity,
        enforcement: r.enforcement,
        cis: [...(r.cis ? [{ benchmark: CIS_K8S, id: r.cis }] : []), ...(r.managedCis ?? [])],
        why: r.why,
        remediation: r.remediation,
        url: r.url ?? DOCS[component] ?? "https://kubernetes.io/docs/concepts/security/",
        tags: [...tags, ...(r.tags ?? [])],
        versions: r.versions,
    }));
}

/** A worker-node (kubelet) control, numbered alike in EKS 1.7.0, GKE 1.6.0 and AKS 1.7 (kube-bench's cfg). */
export function workerNode(id: string): CisRef[] {
    return (["cis-eks-1.7", "cis-gke-1.6", "cis-aks-1.7"] as const).map((benchmark) => ({ benchmark, id }));
}

/** Every one of a group of file settings must be set (cert and key, peer cert and key, ...). */
export function pairRule(r: {
    id: string;
    title: string;
    component: Component;
    settings: SettingKey[];
    cis?: string;
    severity: Severity;
    why: string;
    remediation: string;
    tags: string[];
    url?: string;
}): CheckRule {
    return {
        kind: "check",
        id: r.id,
        title: r.title,
        component: r.component,
        settings: r.settings,
        severity: r.severity,
        enforcement: r.severity === "high" || r.severity === "critical" ? "mandatory" : "advisory",
        cis: r.cis ? [{ benchmark: CIS_K8S, id: r.cis }] : [],
        why: r.why,
        remediation: r.remediation,
        url: r.url ?? DOCS[r.component] ?? "https://kubernetes.io/docs/concepts/security/",
        tags: r.tags,
        check: allSet(r.settings),
    };
}

/** A check that every one of these file settings is set. */
export function allSet(keys: SettingKey[]): CheckRule["check"] {
    return (subject) => {
        for (const k of keys) {
            const s = subject.settings[k];
            if (!s) return { verdict: "n/a" };
            if (s.state === "unknown") return { verdict: "unknown", setting: s, detail: "is not known yet" };
            if (typeof s.value !== "string" || s.value.trim() === "")
                return { verdict: "fail", setting: s, detail: "must be set" };
        }
        return { verdict: "pass" };
    };
}
