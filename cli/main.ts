#!/usr/bin/env node
// `kube-api-guard scan FILE...`: the pack's policies on exported stacks and preview output, through the same
// Analyzer path the Pulumi CLI uses (the pack launched as the CLI launches it, Analyze per resource, AnalyzeStack
// once). Exit codes: 0 clean, 1 a mandatory finding (or any finding with --fail-on advisory), 2 bad input.
import * as fs from "fs";
import * as path from "path";
import { AnalyzerClient, Diagnostic, PolicyConfig, ResourceInput } from "../client/analyzer";
import { InputError, LoadedInput, loadInput } from "./inputs";
import { ScanResult, counts, json, junit, sarif, table } from "./report";

const PACK_DIR = path.resolve(__dirname, "../..");

const USAGE = `Usage: kube-api-guard scan FILE... [options]

Judges \`pulumi stack export\` documents and \`pulumi preview --json\` output with the kube-api-guard policies.

Options:
  --format table|json|sarif|junit   report format (default: table)
  --output FILE                     write the report to FILE instead of standard output
  --config FILE                     policy configuration, same format as \`pulumi preview --policy-pack-config\`
  --fail-on mandatory|advisory      exit 1 on mandatory findings only (default) or on any finding
  --quiet                           no progress on standard error
Exit codes: 0 no failing finding, 1 failing findings, 2 bad input or usage.
`;

interface Options {
    files: string[];
    format: "table" | "json" | "sarif" | "junit";
    output?: string;
    config?: string;
    failOn: "mandatory" | "advisory";
    quiet: boolean;
}

class UsageError extends Error {}

export function parseArgs(argv: string[]): Options {
    const [command, ...rest] = argv;
    if (command !== "scan") throw new UsageError(command === undefined || command === "--help" || command === "-h" ? "" : `unknown command "${command}"`);
    const o: Options = { files: [], format: "table", failOn: "mandatory", quiet: false };
    for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        const value = () => {
            const v = rest[++i];
            if (v === undefined) throw new UsageError(`${a} needs a value`);
            return v;
        };
        if (a === "--format") {
            const f = value();
            if (!["table", "json", "sarif", "junit"].includes(f)) throw new UsageError(`unknown format "${f}"`);
            o.format = f as Options["format"];
        } else if (a === "--output" || a === "-o") o.output = value();
        else if (a === "--config") o.config = value();
        else if (a === "--fail-on") {
            const f = value();
            if (f !== "mandatory" && f !== "advisory") throw new UsageError(`--fail-on takes mandatory or advisory, not "${f}"`);
            o.failOn = f;
        } else if (a === "--quiet" || a === "-q") o.quiet = true;
        else if (a === "--help" || a === "-h") throw new UsageError("");
        else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
        else o.files.push(a);
    }
    if (o.files.length === 0) throw new UsageError("no input files");
    return o;
}

function loadConfig(file: string): PolicyConfig {
    let text: string;
    try { text = fs.readFileSync(file, "utf8"); } catch { throw new InputError(`${file}: cannot be read`); }
    try {
        const c = JSON.parse(text);
        if (typeof c !== "object" || c === null || Array.isArray(c)) throw new Error();
        return c as PolicyConfig;
    } catch {
        throw new InputError(`${file}: is not a JSON object like the one \`--policy-pack-config\` takes`);
    }
}

export async function scan(o: Options, progress: (line: string) => void): Promise<ScanResult> {
    const inputs: LoadedInput[] = o.files.map(loadInput);
    const config = o.config ? loadConfig(o.config) : {};
    const resources: ResourceInput[] = inputs.flatMap((i) => i.resources);
    const client = await AnalyzerClient.start(PACK_DIR);
    const diagnostics: Diagnostic[] = [];
    try {
        await client.configure(config);
        const t0 = Date.now();
        for (let i = 0; i < resources.length; i++) {
            const r = resources[i];
            for (const d of await client.analyze(r)) diagnostics.push({ ...d, urn: d.urn || r.urn! });
            if ((i + 1) % 1000 === 0) progress(`  analyzed ${i + 1}/${resources.length} resources (${Math.round((Date.now() - t0) / 1000)} s)`);
        }
        diagnostics.push(...await client.analyzeStack(resources));
    } finally {
        await client.stop();
    }
    const version = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).version as string;
    return { packVersion: version, inputs: inputs.map((i) => ({ file: i.file, kind: i.kind, resources: i.resources.length })), resources, diagnostics };
}

export async function main(argv: string[]): Promise<number> {
    let o: Options;
    try {
        o = parseArgs(argv);
    } catch (e) {
        const msg = (e as Error).message;
        process.stderr.write(msg ? `kube-api-guard: ${msg}\n\n${USAGE}` : USAGE);
        return msg ? 2 : 0;
    }
    const progress = (line: string) => { if (!o.quiet) process.stderr.write(line + "\n"); };
    let result: ScanResult;
    try {
        result = await scan(o, progress);
    } catch (e) {
        if (e instanceof InputError) {
            process.stderr.write(`kube-api-guard: ${e.message}\n`);
            return 2;
        }
        throw e;
    }
    const colour = !o.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
    const text = o.format === "json" ? json(result) : o.format === "sarif" ? sarif(result) : o.format === "junit" ? junit(result) : table(result, colour);
    if (o.output) fs.writeFileSync(o.output, text);
    else process.stdout.write(text);
    const n = counts(result);
    return n.mandatory > 0 || (o.failOn === "advisory" && n.advisory > 0) ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
        process.stderr.write(`kube-api-guard: internal error: ${(e as Error).stack ?? e}\n`);
        process.exitCode = 2;
    });
}
