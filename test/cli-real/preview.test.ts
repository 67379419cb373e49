/* eslint-disable @typescript-eslint/no-require-imports */
// `pulumi preview --policy-pack` with the real CLI on the example stack: exit code, the CLI's own rendering of
// each violation, values unknown during preview, a secret input, the same findings as the protocol emulation
// (client/analyzer.ts) sends, and `pulumi preview --json` of the same stack fed to `kube-api-guard scan`.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AnalyzerClient, Diagnostic, ResourceInput, urnFor } from "../../client/analyzer";
import { PROGRAM, ROOT, Rendered, Result, SKIP, Workspace, cliBin, key, renderedViolations } from "./harness";
import { PACK_HEADER, assertMandatoryFindings } from "./expect";

const VERSION = require(path.join(ROOT, "package.json")).version as string;

interface ScanFinding {
    policy: string;
    resource: string;
    enforcementLevel: string;
    message: string;
}

function scan(file: string): { code: number; findings: ScanFinding[]; stderr: string } {
    const r = spawnSync(
        process.execPath,
        [path.join(ROOT, "bin/cli/main.js"), "scan", file, "--format", "json", "--quiet"],
        { encoding: "utf8" },
    );
    let findings: ScanFinding[] = [];
    try {
        findings = JSON.parse(r.stdout).findings;
    } catch {
        /* bad input: exit 2 and a message */
    }
    return { code: r.status ?? -1, findings, stderr: r.stderr };
}

/** The example's resources registered under pulumi.runtime.setMocks in preview mode, as `npm run example` does. */
async function emulated(): Promise<{ resources: ResourceInput[]; found: Diagnostic[] }> {
    const resources: ResourceInput[] = [];
    pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                resources.push({ type: a.type, name: a.name, urn: urnFor(a.type, a.name), props: a.inputs });
                return { id: `${a.name}-id`, state: a.inputs };
            },
            call: (a) => a.inputs,
        },
        "demo",
        "dev",
        true,
    );
    const { program } = await import("../../examples/insecure-stack");
    await Promise.all(program().map((r) => new Promise((res) => r.urn.apply(res))));
    const client = await AnalyzerClient.start(ROOT);
    try {
        await client.configure({});
        const found: Diagnostic[] = [];
        for (const r of resources) found.push(...(await client.analyze(r)));
        found.push(...(await client.analyzeStack(resources)));
        return { resources, found };
    } finally {
        await client.stop();
    }
}

describe("pulumi preview --policy-pack (real CLI)", { skip: SKIP }, () => {
    let ws: Workspace;
    let preview: Result;
    let rendered: Rendered[];
    before(() => {
        ws = new Workspace(cliBin(), PROGRAM);
        ws.initStack();
        preview = ws.pulumi(["preview", "--policy-pack", ROOT]);
        rendered = renderedViolations(preview.stdout);
    });
    after(() => ws?.dispose());

    it("fails the preview on mandatory findings and lists the pack as failed", () => {
        assert.equal(preview.code, 1, preview.stdout + preview.stderr);
        assert.match(preview.stdout, /error: preview failed/);
        assert.match(preview.stdout, /Policies:/);
        assert.match(preview.stdout, PACK_HEADER(ROOT, VERSION));
        assert.ok(rendered.length > 0, preview.stdout);
    });

    // The README pastes this run's output: its lines must appear in it, in order ("…" marks what it leaves out), and
    // the counts it states must be this run's. A change of any message pasted there fails here until it is refreshed.
    it("the README's \"What a run looks like\" is this preview's output", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## What a run looks like"));
        const block = /```text\n([\s\S]*?)```/.exec(section);
        assert.ok(block, "README has a text block under What a run looks like");
        const actual = preview.stdout.split("\n").map((l) => l.trimEnd());
        let at = 0;
        for (const line of block[1].split("\n").map((l) => l.trimEnd().replace("/path/to/kube-api-guard", ROOT))) {
            if (line.trim() === "" || line.trim() === "…") continue;
            const next = actual.indexOf(line, at);
            assert.ok(
                next >= 0,
                `README line not in this run's output (after line ${at}):\n${line}\n\n${preview.stdout}`,
            );
            at = next + 1;
        }
        const counts = /\((\d+) mandatory and (\d+) advisory findings; exit code (\d+)\)/.exec(section);
        assert.ok(counts, "README states the counts");
        const n = (level: string) => rendered.filter((d) => d.level === level).length;
        assert.deepEqual(
            [Number(counts[1]), Number(counts[2]), Number(counts[3])],
            [n("mandatory"), n("advisory"), preview.code],
        );
    });

    it("renders every mandatory finding of the example with its severity, resource and message", () => {
        assertMandatoryFindings(rendered);
    });

    it("reports the same findings on the example's resources as the protocol emulation sends", async () => {
        const { resources, found } = await emulated();
        const names = new Set(resources.map((r) => r.name));
        const byName = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
        const emu = new Set(found.map((d) => `${d.enforcementLevel} ${d.policyName} @ ${byName(d.urn)}`));
        const cli = new Set(rendered.filter((d) => names.has(d.name)).map((d) => `${d.level} ${key(d)}`));
        assert.deepEqual(
            [...cli].filter((k) => !emu.has(k)).sort(),
            [],
            "the CLI reported these, the emulation did not",
        );
        assert.deepEqual(
            [...emu].filter((k) => !cli.has(k)).sort(),
            [],
            "the emulation reported these, the CLI did not",
        );
    });

    it("user data built from a value the provider computes: one advisory during preview, no verdict", () => {
        const onNodes = rendered.filter((d) => d.name === "eks-api-nodes");
        assert.ok(onNodes.length > 0, "no diagnostic on eks-api-nodes");
        assert.ok(
            onNodes.every((d) => d.level === "advisory"),
            onNodes.map(key).join(", "),
        );
        assert.ok(
            onNodes.some((d) => d.policy === "resource-inputs-inspectable"),
            onNodes.map(key).join(", "),
        );
    });

    it("a secret input is judged and never shown", () => {
        const { SECRET_CANARY } = require(path.join(ROOT, "bin/scripts/pulumi-cli/program.js"));
        assert.ok(!preview.stdout.includes(SECRET_CANARY) && !preview.stderr.includes(SECRET_CANARY));
        const d = rendered.find((x) => x.name === "kubelet-config" && x.policy === "kubelet-anonymous-auth-disabled");
        assert.ok(
            d,
            rendered
                .filter((x) => x.name === "kubelet-config")
                .map(key)
                .join(", ") || "nothing on kubelet-config",
        );
    });

    // `pulumi preview --json` prints every secret as the plain string "[secret]" (pkg/backend/display/json.go,
    // massagePropertyValue), with no secret marker around it: scan must read that string as a value it cannot see.
    it("`pulumi preview --json` blinds the secret ConfigMap value: scan says it could not inspect it, with preview advice", () => {
        const { SECRET_CANARY } = require(path.join(ROOT, "bin/scripts/pulumi-cli/program.js"));
        const blinded = ws.pulumi(["preview", "--policy-pack", ROOT, "--json"]);
        const doc = JSON.parse(blinded.stdout);
        const step = (doc.steps ?? []).find((s: { urn: string }) => s.urn.endsWith("::kubelet-config"));
        assert.ok(step, `no kubelet-config step; diagnostics: ${JSON.stringify(doc.diagnostics)}`);
        assert.equal(step.newState.inputs.data.kubelet, "[secret]", "the CLI's own blinding");
        assert.ok(!blinded.stdout.includes(SECRET_CANARY));
        const r = scan(ws.write("preview-secret.json", blinded.stdout));
        assert.equal(r.code, 1, r.stderr);
        const onConfig = r.findings.filter((f) => f.resource.endsWith("::kubelet-config"));
        assert.deepEqual(
            onConfig.map((f) => `${f.enforcementLevel} ${f.policy}`),
            ["advisory resource-inputs-inspectable"],
        );
        const message = onConfig[0].message;
        assert.match(message, /could not inspect: a secret the preview output shows as \[secret\] \(data\.kubelet\)/);
        assert.match(message, /`pulumi preview --json` never prints secret values; run the pack in `pulumi preview/);
        assert.doesNotMatch(message, /secrets provider encrypted it|judged again when the update runs/);
    });

    it("`pulumi preview --json` fed to `kube-api-guard scan` gives the CLI's own findings", () => {
        // The same program without the secret, as a second stack: scan judges what the CLI judged, finding for finding.
        ws.initStack("plain");
        ws.ok(["config", "set", "withSecret", "false", "--stack", "plain"]);
        const text = renderedViolations(ws.pulumi(["preview", "--policy-pack", ROOT, "--stack", "plain"]).stdout);
        const json = ws.pulumi(["preview", "--policy-pack", ROOT, "--json", "--stack", "plain"]);
        const doc = JSON.parse(json.stdout);
        assert.ok(
            Array.isArray(doc.steps) && doc.steps.length > 0,
            `preview --json has no steps (exit ${json.code}): ${JSON.stringify(doc.diagnostics)}\n${json.stderr}`,
        );
        const r = scan(ws.write("preview.json", json.stdout));
        assert.equal(r.code, 1, r.stderr);
        const fromScan = new Set(
            r.findings.map(
                (f) => `${f.enforcementLevel} ${f.policy} @ ${f.resource.slice(f.resource.lastIndexOf("::") + 2)}`,
            ),
        );
        const fromCli = new Set(text.map((d) => `${d.level} ${key(d)}`));
        assert.ok(fromCli.size > 10);
        assert.deepEqual(
            [...fromCli].filter((k) => !fromScan.has(k)).sort(),
            [],
            "rendered by the CLI, not found by scan",
        );
        assert.deepEqual(
            [...fromScan].filter((k) => !fromCli.has(k)).sort(),
            [],
            "found by scan, not rendered by the CLI",
        );
    });
});
