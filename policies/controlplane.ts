// kube-controller-manager (CIS 1.3) and kube-scheduler (CIS 1.4).
import type { SettingKey, Subject } from "../providers/model";
import { settingRules } from "./define";
import type { CheckRule, Outcome, Rule } from "./rule";

const CM = "in the kube-controller-manager manifest (static pod command/args or kubeadm controllerManager.extraArgs)";
const SCHED = "in the kube-scheduler manifest (static pod command/args or kubeadm scheduler.extraArgs)";
const HEALTH_PATHS = new Set(["/healthz", "/readyz", "/livez"]);

/** --authorization-always-allow-paths may list only health endpoints (seed 000). */
function judgeAlwaysAllowPaths(subject: Subject, key: SettingKey): Outcome {
    const s = subject.settings[key];
    if (!s) return { verdict: "n/a" };
    if (s.state === "unknown" || s.state === "invalid")
        return { verdict: "unknown", setting: s, detail: "cannot be read" };
    const extra = (Array.isArray(s.value) ? (s.value as string[]) : []).filter((p) => !HEALTH_PATHS.has(p));
    return extra.length === 0
        ? { verdict: "pass" }
        : { verdict: "fail", setting: s, detail: `lets unauthenticated callers reach ${extra.join(", ")}` };
}

function alwaysAllowPaths(component: "controller-manager" | "scheduler", binary: string): CheckRule {
    return {
        kind: "check",
        id: `${binary}-authorization-always-allow-paths-health-only`,
        title: `${binary} skips authorization only for health endpoints`,
        component,
        settings: [`${component}.authorizationAlwaysAllowPaths`],
        severity: "medium",
        enforcement: "advisory",
        cis: [],
        why: "paths listed there are served to anyone without authentication, so metrics or debug endpoints would leak",
        remediation: `Limit --authorization-always-allow-paths to /healthz,/readyz,/livez (the default) ${component === "scheduler" ? SCHED : CM}.`,
        url: `https://kubernetes.io/docs/reference/command-line-tools-reference/${binary}/`,
        tags: [component, "authorization", "anonymous"],
        check: (subject) => judgeAlwaysAllowPaths(subject, `${component}.authorizationAlwaysAllowPaths`),
    };
}

const cm = settingRules(
    "controller-manager",
    ["controller-manager"],
    [
        {
            id: "kube-controller-manager-terminated-pod-gc-threshold-set",
            title: "kube-controller-manager garbage-collects terminated pods at a set threshold",
            setting: "controller-manager.terminatedPodGcThreshold",
            op: "gte",
            value: 1,
            expected: "a positive threshold (default 12500)",
            severity: "low",
            enforcement: "advisory",
            cis: "1.3.1",
            why: "with no threshold terminated pods accumulate until etcd and the API server degrade",
            remediation: `Set --terminated-pod-gc-threshold to a positive value such as 10000 ${CM}.`,
        },
        {
            id: "kube-controller-manager-profiling-disabled",
            title: "kube-controller-manager does not expose profiling data",
            setting: "controller-manager.profiling",
            op: "eq",
            value: false,
            expected: "false",
            severity: "low",
            enforcement: "advisory",
            cis: "1.3.2",
            why: "/debug/pprof reveals internals and can be used to degrade the controller manager",
            remediation: `Set --profiling=false ${CM}.`,
            tags: ["profiling"],
        },
        {
            id: "kube-controller-manager-use-service-account-credentials-enabled",
            title: "kube-controller-manager runs each controller with its own service account",
            setting: "controller-manager.useServiceAccountCredentials",
            op: "eq",
            value: true,
            expected: "true",
            severity: "medium",
            enforcement: "advisory",
            cis: "1.3.3",
            why: "otherwise every controller shares the controller manager's broad credentials",
            remediation: `Set --use-service-account-credentials=true ${CM}.`,
            tags: ["authorization"],
        },
        {
            id: "kube-controller-manager-service-account-private-key-file-set",
            title: "kube-controller-manager signs service-account tokens with a dedicated key",
            setting: "controller-manager.serviceAccountPrivateKeyFile",
            op: "set",
            expected: "a key file",
            severity: "medium",
            enforcement: "advisory",
            cis: "1.3.4",
            why: "a dedicated key allows service-account signing keys to be rotated",
            remediation: `Set --service-account-private-key-file ${CM}.`,
            tags: ["authentication"],
        },
        {
            id: "kube-controller-manager-root-ca-file-set",
            title: "kube-controller-manager distributes the cluster CA to service accounts",
            setting: "controller-manager.rootCaFile",
            op: "set",
            expected: "a CA file",
            severity: "medium",
            enforcement: "advisory",
            cis: "1.3.5",
            why: "pods need the root CA to verify the API server and avoid machine-in-the-middle attacks",
            remediation: `Set --root-ca-file ${CM}.`,
            tags: ["tls"],
        },
        {
            id: "kube-controller-manager-rotate-kubelet-server-certificate-enabled",
            title: "kube-controller-manager keeps kubelet serving-certificate rotation",
            setting: "controller-manager.featureGates",
            op: "nothave",
            value: "RotateKubeletServerCertificate=false",
            expected: "no RotateKubeletServerCertificate=false",
            severity: "low",
            enforcement: "advisory",
            cis: "1.3.6",
            why: "without rotation kubelet serving certificates expire or are kept far too long",
            remediation: `Remove RotateKubeletServerCertificate=false from --feature-gates ${CM}.`,
            tags: ["tls"],
        },
        {
            id: "kube-controller-manager-bind-address-localhost",
            title: "kube-controller-manager serves only on localhost",
            setting: "controller-manager.bindAddress",
            op: "eq",
            value: "127.0.0.1",
            expected: "127.0.0.1 (the default is 0.0.0.0)",
            severity: "medium",
            enforcement: "advisory",
            cis: "1.3.7",
            why: "its HTTPS port 10257 is then reachable from the network, exposing metrics and any always-allowed paths",
            remediation: `Set --bind-address=127.0.0.1 ${CM}.`,
            tags: ["exposure"],
        },
    ],
);

const scheduler = settingRules(
    "scheduler",
    ["scheduler"],
    [
        {
            id: "kube-scheduler-profiling-disabled",
            title: "kube-scheduler does not expose profiling data",
            setting: "scheduler.profiling",
            op: "eq",
            value: false,
            expected: "false",
            severity: "low",
            enforcement: "advisory",
            cis: "1.4.1",
            why: "/debug/pprof reveals internals and can be used to degrade the scheduler",
            remediation: `Set --profiling=false (or enableProfiling: false in the KubeSchedulerConfiguration) ${SCHED}.`,
            tags: ["profiling"],
        },
        {
            id: "kube-scheduler-bind-address-localhost",
            title: "kube-scheduler serves only on localhost",
            setting: "scheduler.bindAddress",
            op: "eq",
            value: "127.0.0.1",
            expected: "127.0.0.1 (the default is 0.0.0.0)",
            severity: "medium",
            enforcement: "advisory",
            cis: "1.4.2",
            why: "its HTTPS port 10259 is then reachable from the network, exposing metrics and any always-allowed paths",
            remediation: `Set --bind-address=127.0.0.1 ${SCHED}.`,
            tags: ["exposure"],
        },
    ],
);

export const CONTROL_PLANE_RULES: Rule[] = [
    ...cm,
    alwaysAllowPaths("controller-manager", "kube-controller-manager"),
    ...scheduler,
    alwaysAllowPaths("scheduler", "kube-scheduler"),
];
