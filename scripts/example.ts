// `npm run example`: runs examples/insecure-stack.ts under pulumi.runtime.setMocks, sends every registered
// resource to the pack through the Analyzer protocol (as `pulumi preview --policy-pack .` does), and prints
// the diagnostics the way the CLI lists them.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AnalyzerClient, Diagnostic, ResourceInput, urnFor } from "../client/analyzer";

async function registeredInputs(): Promise<ResourceInput[]> {
    const out: ResourceInput[] = [];
    pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                out.push({ type: a.type, name: a.name, urn: urnFor(a.type, a.name), props: a.inputs });
                return { id: `${a.name}-id`, state: a.inputs };
            },
            call: (a) => a.inputs,
        },
        "demo",
        "dev",
        true,
    );
    const { program } = await import("../examples/insecure-stack");
    const resources = program();
    await Promise.all(resources.map((r) => new Promise((res) => r.urn.apply(res))));
    return out;
}

/** Writes the registered resources as a `pulumi stack export` (deployment version 3) document. */
function writeExport(file: string, resources: ResourceInput[]): void {
    const stackUrn = "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev";
    const deployment = {
        manifest: { time: "2026-11-22T12:00:00Z", magic: "", version: "v3.248.0" },
        resources: [
            { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
            ...resources.map((r) => ({
                urn: r.urn,
                custom: true,
                id: `${r.name}-id`,
                type: r.type,
                inputs: r.props,
                outputs: r.props,
                parent: stackUrn,
                dependencies: [],
                propertyDependencies: {},
            })),
        ],
    };
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment }, null, 2) + "\n");
    process.stdout.write(`wrote ${resources.length} resources to ${file}\n`);
}

async function main() {
    const resources = await registeredInputs();
    const i = process.argv.indexOf("--export");
    if (i >= 0) return writeExport(process.argv[i + 1] ?? "examples/stack-export.json", resources);
    const client = await AnalyzerClient.start(path.resolve(__dirname, "../.."));
    const found: Diagnostic[] = [];
    try {
        for (const r of resources) found.push(...(await client.analyze(r)));
        found.push(...(await client.analyzeStack(resources)));
    } finally {
        await client.stop();
    }
    const mandatory = found.filter((d) => d.enforcementLevel === "mandatory").length;
    const lines = [
        `Policies:`,
        `    ${mandatory ? "❌" : "✅"} kube-api-guard@v${(JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as { version: string }).version} (local: .)`,
    ];
    for (const d of found) {
        const r = resources.find((x) => x.urn === d.urn) ?? resources.find((x) => d.message.includes(`"${x.name}"`));
        lines.push(
            `        - [${d.enforcementLevel}] [severity: ${d.severity}]  ${d.policyName}  (${r ? `${r.type}: ${r.name}` : "stack"})`,
        );
        lines.push(`          ${d.message.replace(/\n/g, "\n          ")}`);
    }
    lines.push("", `${found.length} findings, ${mandatory} mandatory, across ${resources.length} resources`);
    process.stdout.write(lines.join("\n") + "\n");
    process.exitCode = mandatory ? 1 : 0;
}

main().catch((e) => {
    console.error(e);
    process.exit(2);
});
