// `kube-api-guard scan` end to end: the real command on the bundled example, on preview output, and on
// malformed input; SARIF validated against the official 2.1.0 schema; JUnit; exit codes.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv from "ajv-draft-04";

const ROOT = path.resolve(__dirname, "../../..");
const CLI = path.join(ROOT, "bin", "cli", "main.js");
const EXAMPLE = path.join(ROOT, "examples", "stack-export.json");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "kag-scan-"));

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "" } });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, content: string): string {
    const f = path.join(TMP, name);
    fs.writeFileSync(f, content);
    return f;
}

/** The example's program resources (the stack resource itself is not judged). */
const EXAMPLE_RESOURCES = (JSON.parse(fs.readFileSync(EXAMPLE, "utf8")) as { deployment: { resources: { type: string }[] } })
    .deployment.resources.filter((r) => !r.type.startsWith("pulumi:")).length;

interface JsonReport { summary: { resources: number; mandatory: number; advisory: number }; findings: { policy: string; resource: string; enforcementLevel: string }[] }

describe("scan the bundled example", () => {
    const json = run("scan", EXAMPLE, "--format", "json", "--quiet");
    const report = JSON.parse(json.stdout) as JsonReport;
    const on = (name: string) => report.findings.filter((f) => f.resource.endsWith(`::${name}`)).map((f) => f.policy);
    it("exits 1 because mandatory policies are violated", () => assert.equal(json.code, 1, json.stderr));
    it("reports the insecure resources with the expected policies", () => {
        assert.ok(on("eks-defaults").includes("cluster-public-endpoint-authorized-networks-only"));
        assert.ok(on("al2023-nodes").includes("kubelet-read-only-port-disabled"));
        assert.ok(on("etcd").includes("etcd-client-cert-auth-enabled"));
        assert.ok(on("aks-no-rbac").includes("aks-rbac-enabled"));
        assert.ok(on("everyone-can-view").includes("rbac-binding-system-authenticated-restricted"));
        assert.ok(on("kubeadm-nodes").includes("control-plane-ports-not-open-to-internet"));
        assert.ok(on("aks-no-rbac").includes("cluster-audit-logging-enabled"), "stack-level finding from AnalyzeStack");
        // The node group and its launch template share one finding, on the template whose user data sets it.
        assert.ok(on("mng-workers").includes("kubelet-anonymous-auth-disabled"), "the launch template of the EKS node group");
        assert.ok(!on("workers").includes("kubelet-anonymous-auth-disabled"), "not repeated on the node group");
    });
    it("the hardened EKS cluster has no finding", () => assert.deepEqual(on("eks-private"), []));
    it("counts resources and findings", () => {
        assert.equal(report.summary.resources, EXAMPLE_RESOURCES);
        assert.equal(report.summary.mandatory, report.findings.filter((f) => f.enforcementLevel === "mandatory").length);
    });
    it("the table groups by resource and has no colour when not on a terminal", () => {
        const t = run("scan", EXAMPLE, "--quiet");
        assert.equal(t.code, 1);
        assert.match(t.stdout, /^aws:eks\/cluster:Cluster {2}eks-defaults$/m);
        assert.match(t.stdout, /MANDATORY {2}critical {2}cluster-public-endpoint-authorized-networks-only/);
        assert.match(t.stdout, /fix: Set vpcConfig\.endpointPublicAccess to false/);
        assert.doesNotMatch(t.stdout, /\u001b\[/);
    });
});

describe("SARIF and JUnit", () => {
    it("SARIF is valid against the official SARIF 2.1.0 schema and carries rules with help and CIS references", () => {
        const out = path.join(TMP, "scan.sarif");
        const r = run("scan", EXAMPLE, "--format", "sarif", "--output", out, "--quiet");
        assert.equal(r.code, 1);
        const log = JSON.parse(fs.readFileSync(out, "utf8")) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
        const schema = JSON.parse(fs.readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
        // The schema's regular expressions are not valid in unicode mode (it predates it).
        const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false });
        const validate = ajv.compile(schema) as ((d: unknown) => boolean) & { errors?: unknown[] | null };
        assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5)));
        const rules = log.runs[0].tool.driver.rules as { id: string; help: { text: string }; properties: { cis: unknown[] } }[];
        const ro = rules.find((x) => x.id === "kubelet-read-only-port-disabled")!;
        assert.match(ro.help.text, /readOnlyPort: 0/);
        assert.ok(ro.properties.cis.length > 0);
        const result = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === "kubelet-read-only-port-disabled");
        assert.equal(result.level, "error");
        assert.match(result.locations[0].logicalLocations[0].fullyQualifiedName, /^urn:pulumi:dev::demo::aws:ec2\/launchTemplate:LaunchTemplate::al2023-nodes$/);
    });
    it("JUnit has one suite per resource and a failure per mandatory finding", () => {
        const r = run("scan", EXAMPLE, "--format", "junit", "--quiet");
        assert.equal(r.code, 1);
        assert.match(r.stdout, new RegExp(`^<\\?xml version="1.0" encoding="UTF-8"\\?>\n<testsuites name="kube-api-guard" tests="${EXAMPLE_RESOURCES}" failures="\\d+">`));
        const failures = (r.stdout.match(/<failure /g) ?? []).length;
        assert.equal(String(failures), /failures="(\d+)"/.exec(r.stdout)![1]);
        assert.equal((r.stdout.match(/<testsuite /g) ?? []).length, (r.stdout.match(/<\/testsuite>/g) ?? []).length);
    });
});

describe("inputs and exit codes", () => {
    const example = JSON.parse(fs.readFileSync(EXAMPLE, "utf8"));
    it("preview --json output is judged like the export", () => {
        const steps = example.deployment.resources.map((r: Record<string, unknown>) => ({ op: "create", urn: r.urn, newState: { ...r } }));
        const f = write("preview.json", JSON.stringify({ steps, changeSummary: { create: steps.length } }));
        const r = run("scan", f, "--format", "json", "--quiet");
        assert.equal(r.code, 1);
        const report = JSON.parse(r.stdout) as JsonReport;
        assert.equal(report.summary.resources, EXAMPLE_RESOURCES);
        assert.ok(report.findings.some((x) => x.policy === "etcd-client-cert-auth-enabled"));
    });
    it("a clean stack exits 0; --fail-on advisory makes advisory findings fail", () => {
        const only = { version: 3, deployment: { resources: example.deployment.resources.filter((r: { urn: string }) => /eks-private$/.test(r.urn) || /kubeadm-config$/.test(r.urn)) } };
        const f = write("clean.json", JSON.stringify(only));
        assert.equal(run("scan", f, "--quiet").code, 0);
        assert.equal(run("scan", f, "--quiet", "--fail-on", "advisory").code, 1);
    });
    it("--config uses the --policy-pack-config format", () => {
        const cfg = write("config.json", JSON.stringify({ all: "advisory" }));
        assert.equal(run("scan", EXAMPLE, "--quiet", "--config", cfg).code, 0);
        const off = write("off.json", JSON.stringify({ "etcd-client-cert-auth-enabled": "disabled" }));
        const report = JSON.parse(run("scan", EXAMPLE, "--quiet", "--format", "json", "--config", off).stdout) as JsonReport;
        assert.ok(!report.findings.some((x) => x.policy === "etcd-client-cert-auth-enabled"));
    });
    const bad: [string, string, RegExp][] = [
        ["not JSON", "this is not json", /not-json\.json: is not JSON/],
        ["truncated", JSON.stringify(example).slice(0, 500), /truncated\.json: is truncated/],
        ["empty", "", /empty\.json: is empty/],
        ["wrong document kind", JSON.stringify({ name: "x", resources: [] }), /wrong-document-kind\.json: is neither a `pulumi stack export` document nor `pulumi preview --json` output/],
        ["old export version", JSON.stringify({ version: 1, deployment: { resources: [] } }), /version 1 is not supported/],
        ["encrypted secret", JSON.stringify({ version: 3, deployment: { resources: [{ urn: "urn:pulumi:dev::demo::aws:ec2/instance:Instance::vm", type: "aws:ec2/instance:Instance", inputs: { userData: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" } } }] } }), /resource vm \(aws:ec2\/instance:Instance\) holds a secret encrypted by the stack's secrets provider/],
    ];
    for (const [name, content, message] of bad) {
        it(`${name}: exit 2 with a message naming the file, and no report`, () => {
            const f = write(`${name.toLowerCase().replace(/ /g, "-")}.json`, content);
            const r = run("scan", f, "--format", "json");
            assert.equal(r.code, 2, r.stderr);
            assert.match(r.stderr, message);
            assert.equal(r.stdout, "");
        });
    }
    it("plaintext secrets (--show-secrets) are read", () => {
        const vm = { urn: "urn:pulumi:dev::demo::aws:ec2/instance:Instance::vm", type: "aws:ec2/instance:Instance",
            inputs: { userData: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify("#!/bin/bash\nkubelet --read-only-port=10255\n") } } };
        const r = run("scan", write("plain.json", JSON.stringify({ version: 3, deployment: { resources: [vm] } })), "--format", "json", "--quiet");
        assert.ok((JSON.parse(r.stdout) as JsonReport).findings.some((x) => x.policy === "kubelet-read-only-port-disabled"));
    });
    it("runs as `npx kube-api-guard scan` (the package's bin)", () => {
        const r = spawnSync("npx", ["--no-install", "kube-api-guard", "scan", EXAMPLE, "--format", "json", "--quiet"], { cwd: ROOT, encoding: "utf8" });
        assert.equal(r.status, 1, r.stderr);
        assert.equal((JSON.parse(r.stdout) as JsonReport).summary.resources, EXAMPLE_RESOURCES);
    });
    it("a missing file, an unknown option and a missing command exit 2", () => {
        assert.match(run("scan", path.join(TMP, "nope.json")).stderr, /nope\.json: cannot be read/);
        assert.equal(run("scan", EXAMPLE, "--colour").code, 2);
        assert.equal(run("frobnicate").code, 2);
        assert.equal(run("--help").code, 0);
    });
});

describe("the bundled example", () => {
    it("is what examples/insecure-stack.ts registers (regenerate with `npm run example -- --export examples/stack-export.json`)", () => {
        const out = path.join(TMP, "regenerated.json");
        const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "scripts", "example.js"), "--export", out], { cwd: ROOT, encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(JSON.parse(fs.readFileSync(out, "utf8")), JSON.parse(fs.readFileSync(EXAMPLE, "utf8")));
    });
});
