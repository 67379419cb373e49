// kube-apiserver --audit-policy-file read from the file the node writes (kubernetes.io "Auditing"; rule matching
// as k8s.io/apiserver pkg/audit/policy/checker.go; CIS Kubernetes 3.2.1 and 3.2.2).
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { normalize } from "../../providers";
import { readAuditPolicy } from "../../providers/node/resolve/audit-policy";
import { verdict } from "../helpers";

const CMD = "command:remote:Command";
const write = (path: string, body: string) => `cat <<'EOF' > ${path}\n${body}${body.endsWith("\n") ? "" : "\n"}EOF\n`;
const apiserver = (policy?: string, flag = "--audit-policy-file=/etc/kubernetes/audit.yaml") => ({
    create:
        (policy === undefined ? "" : write("/etc/kubernetes/audit.yaml", policy)) +
        `kube-apiserver --audit-log-path=/var/log/audit.log ${flag}\n`,
});
const policy = (rules: string) => `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n${rules}`;

// The example policy of the Kubernetes documentation (content/en/examples/audit/audit-policy.yaml), shortened to
// the rules that matter here: Secrets and ConfigMaps at Metadata before the Request rule for the core group.
const DOCS_EXAMPLE = policy(
    [
        "  - level: RequestResponse",
        "    resources:",
        '    - group: ""',
        '      resources: ["pods"]',
        "  - level: None",
        '    users: ["system:kube-proxy"]',
        '    verbs: ["watch"]',
        "    resources:",
        '    - group: ""',
        '      resources: ["endpoints", "services"]',
        "  - level: Metadata",
        "    resources:",
        '    - group: ""',
        '      resources: ["secrets", "configmaps"]',
        "  - level: Request",
        "    resources:",
        '    - group: ""',
        '    - group: "extensions"',
        "  - level: Metadata",
        "",
    ].join("\n"),
);

describe("kube-apiserver audit policy (kubernetes.io Auditing; CIS 3.2.1, 3.2.2)", () => {
    it("without --audit-policy-file no events are logged (CIS 3.2.1 default value), even with --audit-log-path", () => {
        assert.equal(verdict("kube-apiserver-audit-policy-file-set", CMD, apiserver(undefined, "")), "violation");
        assert.equal(verdict("kube-apiserver-audit-policy-file-set", CMD, apiserver(DOCS_EXAMPLE)), "pass");
        // The policy's own rules say nothing when there is no policy.
        assert.equal(verdict("kube-apiserver-audit-policy-logs-requests", CMD, apiserver(undefined, "")), "pass");
    });
    it("the documentation's example policy records requests and keeps Secrets at Metadata", () => {
        assert.equal(verdict("kube-apiserver-audit-policy-logs-requests", CMD, apiserver(DOCS_EXAMPLE)), "pass");
        assert.equal(
            verdict("kube-apiserver-audit-policy-secrets-metadata-only", CMD, apiserver(DOCS_EXAMPLE)),
            "pass",
        );
    });
    it("the first matching rule decides: a catch-all None first records nothing, narrowed None rules do not", () => {
        const none = policy("  - level: None\n  - level: Metadata\n");
        assert.equal(verdict("kube-apiserver-audit-policy-logs-requests", CMD, apiserver(none)), "violation");
        const allNone = policy('  - level: None\n    users: ["system:kube-proxy"]\n');
        assert.equal(verdict("kube-apiserver-audit-policy-logs-requests", CMD, apiserver(allNone)), "violation");
        const narrowed = policy('  - level: None\n    users: ["system:kube-proxy"]\n  - level: Metadata\n');
        assert.equal(verdict("kube-apiserver-audit-policy-logs-requests", CMD, apiserver(narrowed)), "pass");
    });
    it("Secrets at Request/RequestResponse level write their values into the log (CIS 3.2.2)", () => {
        const everything = policy("  - level: RequestResponse\n");
        assert.equal(
            verdict("kube-apiserver-audit-policy-secrets-metadata-only", CMD, apiserver(everything)),
            "violation",
        );
        // A Metadata rule limited by resourceNames covers only those Secrets: the others reach the Request rule.
        const named = policy(
            '  - level: Metadata\n    resources:\n    - group: ""\n      resources: ["secrets"]\n      resourceNames: ["a"]\n  - level: Request\n',
        );
        assert.equal(verdict("kube-apiserver-audit-policy-secrets-metadata-only", CMD, apiserver(named)), "violation");
        // A Request rule for another group (apps) cannot match core-group Secrets.
        const apps = policy('  - level: Request\n    resources:\n    - group: "apps"\n  - level: Metadata\n');
        assert.equal(verdict("kube-apiserver-audit-policy-secrets-metadata-only", CMD, apiserver(apps)), "pass");
        // nonResourceURLs rules never match resource requests.
        const urls = policy('  - level: RequestResponse\n    nonResourceURLs: ["/healthz*"]\n  - level: Metadata\n');
        assert.equal(verdict("kube-apiserver-audit-policy-secrets-metadata-only", CMD, apiserver(urls)), "pass");
    });
    it("a policy without rules is illegal (the API server refuses it) and records nothing", () => {
        const r = readAuditPolicy({ apiVersion: "audit.k8s.io/v1", kind: "Policy", rules: [] }, "f");
        assert.equal(r.valid, false);
        assert.equal(
            verdict(
                "kube-apiserver-audit-policy-logs-requests",
                CMD,
                apiserver(policy("  []\n").replace("rules:\n  []", "rules: []")),
            ),
            "violation",
        );
    });
    it("a policy file the program does not write: one note naming the file, no verdict on its rules", () => {
        const n = normalize(CMD, { create: "kube-apiserver --audit-policy-file=/etc/kubernetes/audit.yaml\n" });
        assert.ok(n.notes.some((x) => /audit\.yaml, which this program does not write/.test(x.reason)));
        const s = n.subjects.find((x) => x.component === "apiserver")!;
        assert.equal(s.settings["apiserver.auditPolicyLogsRequests"], undefined);
        assert.equal(s.settings["apiserver.auditPolicyFile"].state, "explicit");
    });
});
