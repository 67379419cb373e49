/* eslint-disable @typescript-eslint/no-require-imports */
// What the real CLI sends a policy pack, recorded field by field (test/cli-real/recorder.ts), against what our own
// Analyzer client (client/analyzer.ts, through `kube-api-guard scan`) sends for the same stack: `pulumi preview` and
// `pulumi preview --json`; `pulumi up`, `pulumi policy analyze` and `pulumi stack export --show-secrets`. Properties
// keep the engine's secret and unknown markers; options, provider, parent, dependencies and property dependencies are
// compared as the pack receives them.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { AnalyzerClient } from "../../client/analyzer";
import { PROGRAM, ROOT, SKIP, Workspace, cliBin } from "./harness";
import { Method, Recorded, RecordedResource, readRecorded, recorderPack } from "./recorder";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

type Scan = (o: object, progress: (l: string) => void, shared: AnalyzerClient) => Promise<unknown>;
const { scan } = require(path.join(ROOT, "bin/cli/main.js")) as { scan: Scan };

/** The resources of each Analyze call, or of the (single) AnalyzeStack call, by URN. */
function byUrn(recs: Recorded[], method: Method): Map<string, RecordedResource> {
    const calls = recs.filter((r) => r.method === method);
    if (method === "analyzeStack") assert.equal(calls.length, 1, "one AnalyzeStack call");
    const out = new Map<string, RecordedResource>();
    for (const c of calls) for (const r of c.resources) out.set(r.urn, r);
    return out;
}

const short = (urn: string) => urn.split("::").slice(2).join("::");

/** Every field of every resource the same, and the same resources. */
function sameRequests(cli: Map<string, RecordedResource>, ours: Map<string, RecordedResource>, what: string): void {
    assert.deepEqual([...ours.keys()].map(short).sort(), [...cli.keys()].map(short).sort(), `${what}: resources`);
    for (const [urn, r] of cli) assert.deepEqual(ours.get(urn), r, `${what}: ${short(urn)}`);
}

/** A secret, as preview output prints it ("[secret]", read by scan as a value it cannot see): the unknown marker. */
function blindSecrets(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(blindSecrets);
    if (typeof v !== "object" || v === null) return v;
    if (SIG_KEY in v) return UNKNOWN;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blindSecrets(x)]));
}

/** Leaves out values unknown during the preview that `ours` does not have (outputs preview output does not print). */
function withoutUnknownsMissingIn(v: unknown, ours: unknown): unknown {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
    const o = typeof ours === "object" && ours !== null ? (ours as Record<string, unknown>) : {};
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
        if (x === UNKNOWN && !(k in o)) continue;
        out[k] = withoutUnknownsMissingIn(x, o[k]);
    }
    return out;
}

describe("what the real CLI sends the pack, and what our client sends (real CLI)", { skip: SKIP }, () => {
    let ws: Workspace;
    let rec: { dir: string; file: string };
    let client: AnalyzerClient;
    const cli: Record<"preview" | "up" | "analyze" | "unchanged", Recorded[]> = {
        preview: [],
        up: [],
        analyze: [],
        unchanged: [],
    };
    const ours: Record<"preview" | "export" | "unchanged", Recorded[]> = { preview: [], export: [], unchanged: [] };

    const run = (args: string[]) => {
        const r = ws.pulumi(args);
        assert.equal(r.code, 0, `pulumi ${args.join(" ")}\n${r.stdout}\n${r.stderr}`);
        return readRecorded(rec.file);
    };
    const scanWithRecorder = async (file: string) => {
        await scan({ files: [file], format: "json", failOn: "mandatory", quiet: true }, () => {}, client);
        return readRecorded(rec.file);
    };

    before(async () => {
        ws = new Workspace(cliBin(), PROGRAM);
        ws.initStack();
        rec = recorderPack();
        client = await AnalyzerClient.start(rec.dir);
        cli.preview = run(["preview", "--policy-pack", rec.dir]);
        const preview = ws.pulumi(["preview", "--json"]);
        ours.preview = await scanWithRecorder(ws.write("preview.json", preview.stdout));
        cli.up = run(["up", "--yes", "--skip-preview", "--policy-pack", rec.dir]);
        cli.analyze = run(["policy", "analyze", "--policy-pack", rec.dir]);
        // A preview of the deployed stack: every resource unchanged, AnalyzeStack sent the outputs of the update.
        cli.unchanged = run(["preview", "--policy-pack", rec.dir]);
        const sames = ws.pulumi(["preview", "--json", "--show-sames"]);
        ours.unchanged = await scanWithRecorder(ws.write("preview-sames.json", sames.stdout));
        ours.export = await scanWithRecorder(
            ws.write("export.json", ws.ok(["stack", "export", "--show-secrets"]).stdout),
        );
    });
    after(async () => {
        await client?.stop();
        ws?.dispose();
        if (rec) fs.rmSync(rec.dir, { recursive: true, force: true });
    });

    it("the CLI sends Analyze with inputs and AnalyzeStack with outputs, each with options, provider and parent", () => {
        const analyze = byUrn(cli.up, "analyze");
        const stack = byUrn(cli.up, "analyzeStack");
        const nodes = [...analyze.values()].find((r) => r.name === "eks-api-nodes")!;
        const nodesStack = stack.get(nodes.urn)!;
        // latestVersion is an output the provider computes: AnalyzeStack has it, Analyze does not.
        assert.equal(nodesStack.properties.latestVersion, 1);
        assert.ok(!("latestVersion" in nodes.properties));
        assert.equal(nodes.provider?.type, "pulumi:providers:aws");
        assert.deepEqual(nodes.provider?.properties, {
            version: nodes.provider!.urn.split("default_")[1].replace(/_/g, "."),
        });
        assert.match(nodes.options?.parent as string, /::pulumi:pulumi:Stack::demo-dev$/);
        assert.equal(nodesStack.parent, nodes.options?.parent);
        assert.deepEqual(nodesStack.propertyDependencies, { userData: [nodesStack.dependencies![0]] });
        assert.deepEqual(nodes.options?.customtimeouts, { create: 0, update: 0, pb_delete: 0, read: 0 });
        // The Stack resource and the default providers are sent too, to Analyze and to AnalyzeStack.
        const types = [...analyze.values()].map((r) => r.type);
        assert.ok(types.includes("pulumi:pulumi:Stack") && types.includes("pulumi:providers:kubernetes"), types.join());
        assert.deepEqual([...stack.keys()].sort(), [...analyze.keys()].sort());
    });

    it("a secret input reaches the pack marked secret, and a value unknown during preview as the unknown marker", () => {
        const config = [...byUrn(cli.preview, "analyze").values()].find((r) => r.name === "kubelet-config")!;
        const kubelet = (config.properties.data as Record<string, Record<string, unknown>>).kubelet;
        assert.equal(kubelet[SIG_KEY], "1b47061264138c4ac30d75fd1eb44270");
        assert.match(String(kubelet.value), /KubeletConfiguration/);
        const nodes = [...byUrn(cli.preview, "analyze").values()].find((r) => r.name === "eks-api-nodes")!;
        assert.equal(nodes.properties.userData, UNKNOWN);
        const cluster = [...byUrn(cli.preview, "analyzeStack").values()].find((r) => r.name === "eks-api")!;
        assert.equal((cluster.properties.vpcConfig as Record<string, unknown>).clusterSecurityGroupId, UNKNOWN);
    });

    it("`pulumi up` and `scan` of the stack's export send Analyze the same resources, field for field", () => {
        sameRequests(byUrn(cli.up, "analyze"), byUrn(ours.export, "analyze"), "Analyze");
    });

    it("`pulumi up` and `scan` of the stack's export send AnalyzeStack the same resources, field for field", () => {
        sameRequests(byUrn(cli.up, "analyzeStack"), byUrn(ours.export, "analyzeStack"), "AnalyzeStack");
    });

    it("`pulumi policy analyze` and `scan` of the stack's export send the same requests", () => {
        sameRequests(byUrn(cli.analyze, "analyze"), byUrn(ours.export, "analyze"), "Analyze");
        sameRequests(byUrn(cli.analyze, "analyzeStack"), byUrn(ours.export, "analyzeStack"), "AnalyzeStack");
    });

    // Preview output prints secrets as "[secret]", no provider steps and no outputs: scan sends what it can know.
    it("`pulumi preview` and `scan` of `pulumi preview --json` send the same requests, but what preview output hides", () => {
        for (const method of ["analyze", "analyzeStack"] as const) {
            const theirs = byUrn(cli.preview, method);
            const mine = byUrn(ours.preview, method);
            const providers = [...theirs.values()].filter((r) => r.type.startsWith("pulumi:providers:"));
            assert.ok(providers.length >= 4, "the CLI sends each default provider");
            for (const p of providers) theirs.delete(p.urn);
            const adjusted = new Map<string, RecordedResource>();
            for (const [urn, r] of theirs) {
                const m = mine.get(urn);
                const properties = blindSecrets(r.properties) as Record<string, unknown>;
                const a = {
                    ...r,
                    properties: withoutUnknownsMissingIn(properties, m?.properties) as Record<string, unknown>,
                };
                // The provider's inputs are not in preview output: its URN, type and name are.
                if (r.provider) a.provider = { ...r.provider, properties: {} };
                adjusted.set(urn, a);
            }
            sameRequests(adjusted, mine, `preview ${method}`);
        }
    });

    it("a preview of the deployed stack and `scan` of its `preview --json --show-sames`: the same requests, outputs too", () => {
        const stack = byUrn(cli.unchanged, "analyzeStack");
        const nodes = [...stack.values()].find((r) => r.name === "eks-api-nodes")!;
        assert.equal(nodes.properties.latestVersion, 1, "an unchanged resource keeps its outputs");
        for (const method of ["analyze", "analyzeStack"] as const) {
            const theirs = byUrn(cli.unchanged, method);
            for (const r of [...theirs.values()]) if (r.type.startsWith("pulumi:providers:")) theirs.delete(r.urn);
            const adjusted = new Map<string, RecordedResource>();
            for (const [urn, r] of theirs) {
                const a = { ...r, properties: blindSecrets(r.properties) as Record<string, unknown> };
                if (r.provider) a.provider = { ...r.provider, properties: {} };
                adjusted.set(urn, a);
            }
            sameRequests(adjusted, byUrn(ours.unchanged, method), `unchanged ${method}`);
        }
    });

    it("the pack offers no remediation, so the Remediate calls the CLI also makes cannot change a resource", () => {
        const remediate = byUrn(cli.up, "remediate");
        assert.deepEqual([...remediate.keys()].sort(), [...byUrn(cli.up, "analyze").keys()].sort());
        // Loading the pack starts its server: read its policies in a child process that exits.
        const index = JSON.stringify(path.join(ROOT, "bin/index.js"));
        const r = spawnSync(
            process.execPath,
            [
                "-e",
                `const ps = require(${index}).policies;
                 process.stdout.write("\\n" + JSON.stringify({ n: ps.length, remediating: ps.filter((p) => "remediateResource" in p).map((p) => p.name) }) + "\\n");
                 process.exit(0);`,
            ],
            { encoding: "utf8" },
        );
        const found = JSON.parse(r.stdout.trim().split("\n").pop()!) as { n: number; remediating: string[] };
        assert.ok(found.n > 10, r.stdout + r.stderr);
        assert.deepEqual(
            found.remediating,
            [],
            "a policy with remediateResource: scan must then send Remediate as the CLI does",
        );
    });
});
