// etcd (CIS Kubernetes 2): certificates and client authentication for clients and peers.
import { pairRule, settingRules } from "./define";
import type { CheckRule, Rule } from "./rule";

const ETCD = "in the etcd manifest (static pod command/args or kubeadm etcd.local.extraArgs)";

const httpListener: CheckRule = {
    kind: "check",
    id: "etcd-listen-client-urls-https-only",
    title: "etcd accepts client connections over TLS only",
    component: "etcd",
    settings: ["etcd.listenClientUrls"],
    severity: "high",
    enforcement: "mandatory",
    cis: [],
    why: "an http:// client URL serves the whole key space, every Secret included, without encryption or client certificates",
    remediation: `Use only https:// URLs in --listen-client-urls ${ETCD}.`,
    url: "https://etcd.io/docs/v3.5/op-guide/security/",
    tags: ["etcd", "tls", "exposure"],
    check: (subject) => {
        const s = subject.settings["etcd.listenClientUrls"];
        if (!s) return { verdict: "n/a" };
        if (s.state === "unknown" || s.state === "invalid")
            return { verdict: "unknown", setting: s, detail: "cannot be read" };
        const plain = (Array.isArray(s.value) ? (s.value as string[]) : []).filter((u) =>
            u.trim().toLowerCase().startsWith("http://"),
        );
        return plain.length === 0
            ? { verdict: "pass" }
            : { verdict: "fail", setting: s, detail: `serves plain HTTP on ${plain.length} URL(s)` };
    },
};

export const ETCD_RULES: Rule[] = [
    pairRule({
        id: "etcd-cert-file-and-key-file-set",
        title: "etcd serves clients with a TLS certificate",
        component: "etcd",
        settings: ["etcd.certFile", "etcd.keyFile"],
        cis: "2.1",
        severity: "high",
        why: "without TLS, Secrets travel in clear text between the API server and etcd",
        remediation: `Set --cert-file and --key-file ${ETCD}.`,
        tags: ["etcd", "tls"],
    }),
    ...settingRules(
        "etcd",
        ["etcd"],
        [
            {
                id: "etcd-client-cert-auth-enabled",
                title: "etcd requires client certificates",
                setting: "etcd.clientCertAuth",
                op: "eq",
                value: true,
                expected: "true (etcd's default is false)",
                severity: "critical",
                enforcement: "mandatory",
                cis: "2.2",
                why: "without client certificate authentication anyone who reaches port 2379 can read and write every Secret",
                remediation: `Set --client-cert-auth=true and --trusted-ca-file ${ETCD}.`,
                tags: ["authentication"],
            },
            {
                id: "etcd-auto-tls-disabled",
                title: "etcd does not use self-signed auto TLS for clients",
                setting: "etcd.autoTls",
                op: "eq",
                value: false,
                expected: "false",
                severity: "high",
                enforcement: "mandatory",
                cis: "2.3",
                why: "auto TLS certificates are self-signed and cannot be verified, so clients cannot detect an impostor",
                remediation: `Remove --auto-tls=true ${ETCD} and configure real certificates.`,
                tags: ["tls"],
            },
            {
                id: "etcd-peer-client-cert-auth-enabled",
                title: "etcd requires client certificates from peers",
                setting: "etcd.peerClientCertAuth",
                op: "eq",
                value: true,
                expected: "true (etcd's default is false)",
                severity: "high",
                enforcement: "mandatory",
                cis: "2.5",
                why: "without it any host that reaches port 2380 can join or impersonate a member and replicate all data",
                remediation: `Set --peer-client-cert-auth=true and --peer-trusted-ca-file ${ETCD}.`,
                tags: ["authentication"],
            },
            {
                id: "etcd-peer-auto-tls-disabled",
                title: "etcd does not use self-signed auto TLS for peers",
                setting: "etcd.peerAutoTls",
                op: "eq",
                value: false,
                expected: "false",
                severity: "high",
                enforcement: "mandatory",
                cis: "2.6",
                why: "self-signed peer certificates cannot be verified, so a rogue member is indistinguishable from a real one",
                remediation: `Remove --peer-auto-tls=true ${ETCD} and configure real peer certificates.`,
                tags: ["tls"],
            },
        ],
    ),
    pairRule({
        id: "etcd-peer-cert-file-and-key-file-set",
        title: "etcd encrypts peer traffic with a TLS certificate",
        component: "etcd",
        settings: ["etcd.peerCertFile", "etcd.peerKeyFile"],
        cis: "2.4",
        severity: "high",
        why: "replication traffic carries every Secret; without TLS it travels in clear text",
        remediation: `Set --peer-cert-file and --peer-key-file ${ETCD}.`,
        tags: ["etcd", "tls"],
    }),
    httpListener,
];
