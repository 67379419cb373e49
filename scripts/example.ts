// `npm run example`: runs examples/insecure-stack.ts under pulumi.runtime.setMocks, sends every registered
// resource to the pack through the Analyzer protocol (as `pulumi preview --policy-pack .` does), and prints
// the diagnostics the way the CLI lists them.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AnalyzerClient, Diagnostic, ResourceInput, urnFor } from "../test/harness/analyzer";

async function registeredInputs(): Promise<ResourceInput[]> {
    const out: ResourceInput[] = [];
    pulumi.runtime.setMocks({
        newResource: (a) => {
            out.push({ type: a.type, name: a.name, urn: urnFor(a.type, a.name), props: a.inputs });
            return { id: `${a.name}-id`, state: a.inputs };
        },
        call: (a) => a.inputs,
    }, "demo", "dev", true);
    const { program } = await import("../examples/insecure-stack");
    const resources = program();
    await Promise.all(resources.map((r) => new Promise((res) => r.urn.apply(res))));
    return out;
}

async function main() {
    const resources = await registeredInputs();
    const client = await AnalyzerClient.start(path.resolve(__dirname, "../.."));
    const found: Diagnostic[] = [];
    try {
        for (const r of resources) found.push(...await client.analyze(r));
        found.push(...await client.analyzeStack(resources));
    } finally {
        await client.stop();
    }
    const mandatory = found.filter((d) => d.enforcementLevel === "mandatory").length;
    const lines = [`Policies:`, `    ${mandatory ? "❌" : "✅"} kube-api-guard@v${require("../../package.json").version} (local: .)`];
    for (const d of found) {
        const r = resources.find((x) => x.urn === d.urn) ?? resources.find((x) => d.message.includes(`"${x.name}"`));
        lines.push(`        - [${d.enforcementLevel}] [severity: ${d.severity}]  ${d.policyName}  (${r ? `${r.type}: ${r.name}` : "stack"})`);
        lines.push(`          ${d.message.replace(/\n/g, "\n          ")}`);
    }
    lines.push("", `${found.length} findings, ${mandatory} mandatory, across ${resources.length} resources`);
    process.stdout.write(lines.join("\n") + "\n");
    process.exitCode = mandatory ? 1 : 0;
}

main().catch((e) => { console.error(e); process.exit(2); });
