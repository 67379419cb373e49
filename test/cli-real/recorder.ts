/* eslint-disable @typescript-eslint/no-require-imports */
// A test-only policy pack that records every Analyze, AnalyzeStack and Remediate request it is sent, field by field
// as it arrives on the wire (properties as the raw protobuf Struct, with the engine's secret and unknown markers),
// to a JSON-lines file. Run by the real CLI beside kube-api-guard (`--policy-pack <recorder>`), it shows what the
// engine sends; started by client/analyzer.ts (through `scan`), what our client sends.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "./harness";

export type Method = "analyze" | "analyzeStack" | "remediate";

export interface RecordedProvider {
    urn: string;
    type: string;
    name: string;
    properties: Record<string, unknown>;
}

/** One resource of a request, as the pack received it. `parent`/`dependencies` exist on AnalyzeStack only. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    properties: Record<string, unknown>;
    /** AnalyzerResourceOptions.toObject(); undefined when the request had no options. */
    options?: Record<string, unknown>;
    provider?: RecordedProvider;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

export interface Recorded {
    method: Method;
    resources: RecordedResource[];
}

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function provider(r: Any): RecordedProvider | undefined {
    const p = r.getProvider?.();
    if (!p) return undefined;
    return {
        urn: p.getUrn(),
        type: p.getType(),
        name: p.getName(),
        properties: p.getProperties()?.toJavaScript() ?? {},
    };
}

function resource(r: Any, stack: boolean): RecordedResource {
    const out: RecordedResource = {
        urn: r.getUrn(),
        type: r.getType(),
        name: r.getName(),
        properties: r.getProperties()?.toJavaScript() ?? {},
        options: r.getOptions()?.toObject(),
        provider: provider(r),
    };
    if (stack) {
        out.parent = r.getParent();
        out.dependencies = r.getDependenciesList();
        const pd: Record<string, string[]> = {};
        r.getPropertydependenciesMap().forEach((v: Any, k: string) => (pd[k] = v.getUrnsList()));
        out.propertyDependencies = pd;
    }
    return out;
}

/** The pack's program: records requests to `file`, then hands them to @pulumi/policy as usual. */
export function start(file: string): void {
    const from = { paths: [require.resolve("@pulumi/policy", { paths: [ROOT] })] };
    const grpc = require(require.resolve("@grpc/grpc-js", from));
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (this: unknown, service: unknown, impl: Record<string, Any>) {
        const wrapped: Record<string, Any> = { ...impl };
        for (const method of ["analyze", "analyzeStack", "remediate"] as Method[]) {
            const handler = impl[method];
            if (typeof handler !== "function") continue;
            wrapped[method] = function (this: unknown, call: Any, callback: Any) {
                const req = call.request;
                const resources =
                    method === "analyzeStack"
                        ? req.getResourcesList().map((r: Any) => resource(r, true))
                        : [resource(req, false)];
                fs.appendFileSync(file, JSON.stringify({ method, resources } satisfies Recorded) + "\n");
                return handler.call(this, call, callback);
            };
        }
        return addService.call(this, service, wrapped);
    };
    const { PolicyPack } = require(require.resolve("@pulumi/policy", { paths: [ROOT] }));
    new PolicyPack("request-recorder", {
        policies: [
            {
                name: "record-resource",
                description: "records",
                enforcementLevel: "advisory",
                validateResource: () => {},
            },
            { name: "record-stack", description: "records", enforcementLevel: "advisory", validateStack: () => {} },
        ],
    });
}

/** A policy pack folder whose program is `start(<folder>/requests.jsonl)`. */
export function recorderPack(): { dir: string; file: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-guard-recorder-"));
    const file = path.join(dir, "requests.jsonl");
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: records Analyzer requests\n");
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "request-recorder", version: "0.0.1", main: "index.js" }),
    );
    fs.writeFileSync(
        path.join(dir, "index.js"),
        `require(${JSON.stringify(__filename)}).start(${JSON.stringify(file)});\n`,
    );
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    return { dir, file };
}

/** The requests recorded so far; `clear` empties the file for the next run. */
export function readRecorded(file: string, clear = true): Recorded[] {
    if (!fs.existsSync(file)) return [];
    const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
    if (clear) fs.rmSync(file);
    return lines.map((l) => JSON.parse(l) as Recorded);
}
