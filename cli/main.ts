#!/usr/bin/env node
// `kube-api-guard scan FILE...`: the pack's policies on exported stacks and preview output, through the same
// Analyzer path the Pulumi CLI uses (the pack launched as the CLI launches it, Analyze per resource, AnalyzeStack
// once). Exit codes: 0 clean, 1 a mandatory finding (or any finding with --fail-on advisory), 2 bad input.
import * as fs from "fs";
import * as path from "path";
import { AnalyzerClient, Diagnostic, PolicyConfig, ResourceInput } from "../client/analyzer";
import { settingsByPolicy } from "../pack/config";
import { RULES } from "../policies";
import { baselineText, fingerprint, readBaseline } from "./baseline";
import { InputError, LoadedInput, distinctFiles, loadInput, mergeResources } from "./inputs";
import { ScanResult, counts, json, junit, resourceOf, sarif, table } from "./report";
import { explainUnreadable, unreadableSummary } from "./unreadable";

const PACK_DIR = path.resolve(__dirname, "../..");

const USAGE = `Usage: kube-api-guard scan FILE... [options]

Judges \`pulumi stack export\` documents and \`pulumi preview --json\` output with the kube-api-guard policies.
FILE may be - for standard input.

Options:
  --format table|json|sarif|junit   report format (default: table)
  --output FILE                     write the report to FILE instead of standard output
  --config FILE                     policy configuration, same format as \`pulumi preview --policy-pack-config\`
  --fail-on mandatory|advisory      exit 1 on mandatory findings only (default) or on any finding
  --baseline FILE                   report (and fail on) only findings not listed in FILE
  --write-baseline FILE             write every current finding to FILE, for a later --baseline
  --quiet                           no progress on standard error
Exit codes: 0 no failing finding, 1 failing findings, 2 bad input or usage.
`;

export interface Options {
    files: string[];
    format: "table" | "json" | "sarif" | "junit";
    output?: string;
    config?: string;
    failOn: "mandatory" | "advisory";
    quiet: boolean;
    baseline?: string;
    writeBaseline?: string;
}

class UsageError extends Error {}

export function parseArgs(argv: string[]): Options {
    const [command, ...rest] = argv;
    if (command !== "scan")
        throw new UsageError(
            command === undefined || command === "--help" || command === "-h" ? "" : `unknown command "${command}"`,
        );
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
            if (f !== "mandatory" && f !== "advisory")
                throw new UsageError(`--fail-on takes mandatory or advisory, not "${f}"`);
            o.failOn = f;
        } else if (a === "--baseline") o.baseline = value();
        else if (a === "--write-baseline") o.writeBaseline = value();
        else if (a === "--quiet" || a === "-q") o.quiet = true;
        else if (a === "--help" || a === "-h") throw new UsageError("");
        else if (a.startsWith("-") && a !== "-") throw new UsageError(`unknown option ${a}`);
        else o.files.push(a);
    }
    if (o.files.length === 0) throw new UsageError("no input files");
    return o;
}

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

/** Reads --config the way the Pulumi CLI reads --policy-pack-config (pkg/resource/analyzer/config.go). */
export function loadConfig(file: string): PolicyConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
    } catch (e) {
        throw new InputError(`--config ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (text.trim() === "") return {};
    let c: unknown;
    try {
        c = JSON.parse(text);
    } catch {
        throw new InputError(`--config ${file}: is not JSON`);
    }
    if (typeof c !== "object" || c === null || Array.isArray(c)) {
        throw new InputError(`--config ${file}: is not a JSON object like the one \`--policy-pack-config\` takes`);
    }
    const out: PolicyConfig = {};
    for (const [k, v] of Object.entries(c as Record<string, unknown>)) {
        if (k === "__proto__") continue;
        const level =
            typeof v === "string"
                ? v
                : typeof v === "object" && v !== null && !Array.isArray(v)
                  ? (v as Record<string, unknown>).enforcementLevel
                  : null;
        if (level === null) {
            throw new InputError(
                `--config ${file}: "${k}": ${JSON.stringify(v)} is not valid; give an enforcement level or an object`,
            );
        }
        if (level !== undefined && (typeof level !== "string" || !LEVELS.includes(level))) {
            throw new InputError(
                `--config ${file}: "${k}": enforcement level ${JSON.stringify(level)} ` +
                    `is not one of ${LEVELS.join(", ")}`,
            );
        }
        if (k === "all" && typeof v !== "string") out.all = level as string;
        else out[k] = v as PolicyConfig[string];
    }
    return out;
}

/** Policy names and settings the pack declares: a misspelt one is an error, not a setting silently ignored. */
function checkConfig(file: string, config: PolicyConfig): void {
    const settings = settingsByPolicy(RULES);
    for (const [k, v] of Object.entries(config)) {
        if (k === "all") continue;
        const known = settings.get(k);
        if (!known) throw new InputError(`--config ${file}: "${k}" is not a policy of kube-api-guard`);
        if (typeof v !== "object") continue;
        for (const setting of Object.keys(v)) {
            if (setting !== "enforcementLevel" && !known.includes(setting)) {
                throw new InputError(
                    `--config ${file}: "${k}" has no setting "${setting}" ` +
                        `(it takes ${[...known].sort().join(", ") || "none"})`,
                );
            }
        }
    }
}

/** Fails before the scan when the report or baseline could not be written. */
function checkWritable(option: string, file: string | undefined): void {
    if (!file) return;
    const dir = path.dirname(path.resolve(file));
    try {
        fs.accessSync(dir, fs.constants.W_OK);
        if (fs.existsSync(file)) {
            if (fs.statSync(file).isDirectory()) throw Object.assign(new Error(), { code: "EISDIR" });
            fs.accessSync(file, fs.constants.W_OK);
        }
    } catch (e) {
        throw new InputError(`${option} ${file}: cannot be written (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
}

function write(option: string, file: string, text: string): void {
    try {
        fs.writeFileSync(file, text);
    } catch (e) {
        throw new InputError(`${option} ${file}: cannot be written (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
}

/** Runs a scan. `shared`: a pack already started (tests); it is configured afresh and left running. */
export async function scan(o: Options, progress: (line: string) => void, shared?: AnalyzerClient): Promise<ScanResult> {
    const inputs: LoadedInput[] = distinctFiles(o.files).map(loadInput);
    const config = o.config ? loadConfig(o.config) : {};
    if (o.config) checkConfig(o.config, config);
    const known = o.baseline ? readBaseline(o.baseline) : undefined;
    const resources: ResourceInput[] = mergeResources(inputs);
    let client: AnalyzerClient;
    try {
        client = shared ?? (await AnalyzerClient.start(PACK_DIR));
    } catch (e) {
        throw new InputError(`the policy pack did not start: ${(e as Error).message.split("\n")[0]}`);
    }
    let diagnostics: Diagnostic[] = [];
    try {
        await client.configure(config);
        const t0 = Date.now();
        // The Stack resource and the providers go to the pack as the engine sends them, though they are not counted.
        const context = mergeResources(inputs, "context");
        for (const r of context)
            for (const d of await client.analyze(r)) diagnostics.push({ ...d, urn: d.urn || r.urn! });
        for (let i = 0; i < resources.length; i++) {
            const r = resources[i];
            for (const d of await client.analyze(r)) diagnostics.push({ ...d, urn: d.urn || r.urn! });
            if ((i + 1) % 1000 === 0)
                progress(
                    `  analyzed ${i + 1}/${resources.length} resources (${Math.round((Date.now() - t0) / 1000)} s)`,
                );
        }
        diagnostics.push(...(await client.analyzeStack([...context, ...resources])));
    } finally {
        if (!shared) await client.stop();
    }
    diagnostics = explainUnreadable(diagnostics, inputs);
    const version = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).version as string;
    const result: ScanResult = {
        packVersion: version,
        inputs: inputs.map((i) => ({ file: i.file, kind: i.kind, resources: i.resources.length })),
        resources,
        diagnostics,
        notes: [unreadableSummary(inputs)].filter((x): x is string => x !== undefined),
    };
    const fingerprints = diagnostics.map((d) =>
        fingerprint({ policy: d.policyName, resource: resourceOf(result, d), message: d.message }),
    );
    result.fingerprints = fingerprints;
    if (o.writeBaseline) {
        write(
            "--write-baseline",
            o.writeBaseline,
            baselineText(
                diagnostics.map((d, i) => ({
                    fingerprint: fingerprints[i],
                    policy: d.policyName,
                    resource: resourceOf(result, d),
                })),
            ),
        );
    }
    if (known) {
        const keep = diagnostics.map((_d, i) => !known.has(fingerprints[i]));
        result.baseline = { file: o.baseline!, known: keep.filter((k) => !k).length };
        result.diagnostics = diagnostics.filter((_d, i) => keep[i]);
        result.fingerprints = fingerprints.filter((_f, i) => keep[i]);
    }
    return result;
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
    const progress = (line: string) => {
        if (!o.quiet) process.stderr.write(line + "\n");
    };
    try {
        checkWritable("--output", o.output);
        checkWritable("--write-baseline", o.writeBaseline);
        const result = await scan(o, progress);
        const colour = !o.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
        const text =
            o.format === "json"
                ? json(result)
                : o.format === "sarif"
                  ? sarif(result)
                  : o.format === "junit"
                    ? junit(result)
                    : table(result, colour);
        if (o.output) write("--output", o.output, text);
        else process.stdout.write(text);
        const n = counts(result);
        return n.mandatory > 0 || (o.failOn === "advisory" && n.advisory > 0) ? 1 : 0;
    } catch (e) {
        process.stderr.write(`kube-api-guard: ${errorText(e)}\n`);
        return 2;
    }
}

/** A message for the user: never a stack trace (KUBE_API_GUARD_DEBUG=1 adds it, for bug reports). */
export function errorText(e: unknown): string {
    if (e instanceof InputError) return e.message;
    const message = e instanceof Error ? e.message.split("\n")[0] : String(e);
    const debug = process.env.KUBE_API_GUARD_DEBUG && e instanceof Error ? `\n${e.stack}` : "";
    return `internal error: ${message} (please report it; KUBE_API_GUARD_DEBUG=1 shows details)${debug}`;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (e) => {
            process.stderr.write(`kube-api-guard: ${errorText(e)}\n`);
            process.exitCode = 2;
        },
    );
}
