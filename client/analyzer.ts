// Drives a policy pack exactly as the Pulumi CLI does: `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack`
// started in the pack's folder, which prints a port and serves pulumirpc.Analyzer over gRPC.
// Used by the engine tests, the scan command and the benchmark.
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as fs from "fs";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
type Any = any; // the generated protobuf modules carry no useful types

/** The provider resource the engine sends with each resource (its URN, type, name and inputs). */
export interface ProviderInput {
    urn: string;
    type: string;
    name: string;
    props: Record<string, unknown>;
}

/** Resource options as the engine sends them (AnalyzerResourceOptions); what is left out is sent as its default. */
export interface OptionsInput {
    protect?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs?: string[];
    aliases?: string[];
    customTimeouts?: { create?: number; update?: number; delete?: number; read?: number };
}

/**
 * One resource as the engine hands it to an analyzer (pkg/resource/deploy, Pulumi v3.248.0): `Analyze` gets its
 * inputs (step_generator.go analyzeAll: `Properties: inputs`), `AnalyzeStack` its outputs (AnalyzeResources:
 * `Properties: v.Outputs`; analyze_snapshot.go does the same for `pulumi policy analyze`). Both carry the options,
 * the provider (its inputs), the parent; AnalyzeStack also the dependencies and property dependencies. Values keep
 * the engine's secret and unknown markers.
 */
export interface ResourceInput {
    type: string;
    name: string;
    urn?: string;
    /** Inputs: what Analyze is sent. */
    props: Record<string, unknown>;
    /** Outputs: what AnalyzeStack is sent. Without them the inputs are sent (a preview, before any output exists). */
    outputs?: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    provider?: ProviderInput;
    options?: OptionsInput;
}

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    message: string;
    description: string;
    enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
    urn: string;
    severity: string;
}

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: string;
    severity: string;
    tags: string[];
    remediationSteps: string;
    url: string;
    framework?: { name: string; version: string; reference: string; specification: string };
    configSchema?: { properties: Record<string, unknown>; required: string[] };
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
    initialConfig: Record<string, unknown>;
}

export type PolicyConfig = Record<string, { enforcementLevel?: string; [k: string]: unknown } | string>;

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;
const SEVERITIES = ["", "low", "medium", "high", "critical"];

export function urnFor(type: string, name: string, project = "demo", stack = "dev"): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/** Loads the protobuf/grpc modules from the pack's own @pulumi/pulumi, as the CLI's client would be compatible with them. */
function loadProto(packDir: string) {
    const req = (m: string) => require(require.resolve(m, { paths: [packDir] }));
    return {
        grpc: req("@grpc/grpc-js"),
        rpc: req("@pulumi/pulumi/proto/analyzer_grpc_pb"),
        pb: req("@pulumi/pulumi/proto/analyzer_pb"),
        structpb: req("google-protobuf/google/protobuf/struct_pb"),
        emptypb: req("google-protobuf/google/protobuf/empty_pb"),
    };
}

export interface StartOptions {
    /** Extra environment for the pack process. */
    env?: Record<string, string>;
    /** How long to wait for the port, ms. */
    timeoutMs?: number;
}

export class AnalyzerClient {
    private constructor(
        readonly packDir: string,
        private readonly child: ChildProcess,
        private readonly client: Any,
        private readonly proto: ReturnType<typeof loadProto>,
        readonly startupMs: number,
        readonly stderr: () => string,
    ) {}

    /** Starts the pack the way `pulumi preview --policy-pack <dir>` does. */
    static async start(packDir: string, opts: StartOptions = {}): Promise<AnalyzerClient> {
        const dir = path.resolve(packDir);
        const launcher = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
        if (!fs.existsSync(launcher)) throw new Error(`no run-policy-pack under ${dir}`);
        const t0 = process.hrtime.bigint();
        const child = spawn(process.execPath, [launcher, "127.0.0.1:0", "."], {
            cwd: dir,
            env: { ...process.env, ...opts.env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stderr!.setEncoding("utf8");
        child.stderr!.on("data", (d: string) => {
            err += d;
        });
        const port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(
                    new Error(
                        `policy pack in ${dir} printed no port within ${opts.timeoutMs ?? 60000} ms; stderr:\n${err}`,
                    ),
                );
            }, opts.timeoutMs ?? 60000);
            child.stdout!.setEncoding("utf8");
            child.stdout!.on("data", (d: string) => {
                out += d;
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            child.on("exit", (code) => {
                clearTimeout(timer);
                reject(
                    new Error(
                        `policy pack exited with code ${code} before printing a port; stdout:\n${out}\nstderr:\n${err}`,
                    ),
                );
            });
        });
        const startupMs = Number(process.hrtime.bigint() - t0) / 1e6;
        const proto = loadProto(dir);
        const client = new proto.rpc.AnalyzerClient(`127.0.0.1:${port}`, proto.grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        });
        return new AnalyzerClient(dir, child, client, proto, startupMs, () => err);
    }

    private call<T>(method: string, req: Any): Promise<T> {
        return new Promise((resolve, reject) => {
            this.client[method](req, (e: Error | null, resp: T) => (e ? reject(e) : resolve(resp)));
        });
    }

    async info(): Promise<AnalyzerInfo> {
        const r: Any = await this.call("getAnalyzerInfo", new this.proto.emptypb.Empty());
        const initialConfig: Record<string, unknown> = {};
        r.getInitialconfigMap().forEach((v: Any, k: string) => {
            initialConfig[k] = {
                enforcementLevel: LEVELS[v.getEnforcementlevel()],
                ...(v.getProperties()?.toJavaScript() ?? {}),
            };
        });
        return {
            name: r.getName(),
            version: r.getVersion(),
            supportsConfig: r.getSupportsconfig(),
            initialConfig,
            policies: r.getPoliciesList().map((p: Any) => {
                const fw = p.getFramework();
                const schema = p.getConfigschema();
                return {
                    name: p.getName(),
                    displayName: p.getDisplayname(),
                    description: p.getDescription(),
                    enforcementLevel: LEVELS[p.getEnforcementlevel()],
                    severity: SEVERITIES[p.getSeverity()] ?? String(p.getSeverity()),
                    tags: p.getTagsList(),
                    remediationSteps: p.getRemediationSteps(),
                    url: p.getUrl(),
                    framework: fw
                        ? {
                              name: fw.getName(),
                              version: fw.getVersion(),
                              reference: fw.getReference(),
                              specification: fw.getSpecification(),
                          }
                        : undefined,
                    configSchema: schema
                        ? {
                              properties: schema.getProperties()?.toJavaScript() ?? {},
                              required: schema.getRequiredList(),
                          }
                        : undefined,
                } as PolicyInfo;
            }),
        };
    }

    /** Same shape as `--policy-pack-config`: `{ "all": "advisory", "<policy>": { "enforcementLevel": "...", ...props } }`. */
    async configure(config: PolicyConfig): Promise<void> {
        const req = new this.proto.pb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        const info = await this.info();
        const all = typeof config.all === "string" ? config.all : undefined;
        for (const p of info.policies) {
            const c = config[p.name];
            const obj = typeof c === "string" ? { enforcementLevel: c } : { ...(c ?? {}) };
            const level = obj.enforcementLevel ?? all ?? p.enforcementLevel;
            delete obj.enforcementLevel;
            const pc = new this.proto.pb.PolicyConfig();
            pc.setEnforcementlevel(LEVELS.indexOf(level as (typeof LEVELS)[number]));
            pc.setProperties(this.proto.structpb.Struct.fromJavaScript(obj));
            map.set(p.name, pc);
        }
        await this.call("configure", req);
    }

    /**
     * The fields AnalyzeRequest and AnalyzerResource share, filled as the engine fills them (plugin/analyzer_plugin.go
     * marshalResourceOptions, marshalProvider): every option is sent, unset ones as their defaults (custom timeouts as
     * zeros); properties without internal keys (MarshalOptions.SkipInternalKeys).
     */
    private describe(msg: Any, r: ResourceInput, props: Record<string, unknown>): Any {
        const pb = this.proto.pb;
        msg.setType(r.type);
        msg.setName(r.name);
        msg.setUrn(r.urn ?? urnFor(r.type, r.name));
        msg.setProperties(this.proto.structpb.Struct.fromJavaScript(withoutInternalKeys(props) as Any));
        const given = r.options ?? {};
        const o = new pb.AnalyzerResourceOptions();
        o.setProtect(given.protect ?? false);
        o.setIgnorechangesList(given.ignoreChanges ?? []);
        o.setDeletebeforereplace(given.deleteBeforeReplace ?? false);
        o.setDeletebeforereplacedefined(given.deleteBeforeReplace !== undefined);
        o.setAdditionalsecretoutputsList(given.additionalSecretOutputs ?? []);
        o.setAliasesList(given.aliases ?? []);
        const t = new pb.AnalyzerResourceOptions.CustomTimeouts();
        t.setCreate(given.customTimeouts?.create ?? 0);
        t.setUpdate(given.customTimeouts?.update ?? 0);
        t.setDelete(given.customTimeouts?.delete ?? 0);
        t.setRead(given.customTimeouts?.read ?? 0);
        o.setCustomtimeouts(t);
        o.setParent(r.parent ?? "");
        msg.setOptions(o);
        if (r.provider) {
            const p = new pb.AnalyzerProviderResource();
            p.setUrn(r.provider.urn);
            p.setType(r.provider.type);
            p.setName(r.provider.name);
            p.setProperties(this.proto.structpb.Struct.fromJavaScript(withoutInternalKeys(r.provider.props) as Any));
            msg.setProvider(p);
        }
        return msg;
    }

    /**
     * Like the engine (step_generator.go, analyzeAll), a diagnostic of Analyze belongs to the analyzed resource,
     * whatever URN the pack put on it.
     */
    async analyze(r: ResourceInput): Promise<Diagnostic[]> {
        const msg = this.describe(new this.proto.pb.AnalyzeRequest(), r, r.props);
        const resp: Any = await this.call("analyze", msg);
        return diagnostics(resp).map((d) => ({ ...d, urn: msg.getUrn() }));
    }

    async analyzeStack(resources: ResourceInput[]): Promise<Diagnostic[]> {
        return this.send(this.stackRequest(resources));
    }

    /** Sends a request built by stackRequest (a benchmark times the pack, not the building of the request). */
    async send(req: unknown): Promise<Diagnostic[]> {
        const resp: Any = await this.call("analyzeStack", req);
        // The engine keeps a diagnostic's URN only when it names a resource of the stack; otherwise the diagnostic
        // goes to the stack itself (step_generator.go, AnalyzeResources), shown here as an empty URN.
        const known = new Set((req as Any).getResourcesList().map((r: Any) => r.getUrn()));
        return diagnostics(resp).map((d) => (known.has(d.urn) ? d : { ...d, urn: "" }));
    }

    stackRequest(resources: ResourceInput[]): unknown {
        const req = new this.proto.pb.AnalyzeStackRequest();
        req.setResourcesList(
            resources.map((r) => {
                const ar = this.describe(new this.proto.pb.AnalyzerResource(), r, r.outputs ?? r.props);
                ar.setParent(r.parent ?? "");
                ar.setDependenciesList(r.dependencies ?? []);
                const pd = ar.getPropertydependenciesMap();
                for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                    if (urns.length === 0) continue; // the engine leaves out properties without dependencies
                    const d = new this.proto.pb.AnalyzerPropertyDependencies();
                    d.setUrnsList(urns);
                    pd.set(k, d);
                }
                return ar;
            }),
        );
        return req;
    }

    /** CPU time (user + system) the pack process has used so far, in ms; undefined where /proc is not available. */
    cpuTimeMs(): number | undefined {
        try {
            const stat = fs.readFileSync(`/proc/${this.child.pid}/stat`, "utf8");
            const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
            return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
        } catch {
            return undefined;
        }
    }

    /** Peak resident memory of the pack process so far, in MB (VmHWM); undefined where /proc is not available. */
    peakMemoryMb(): number | undefined {
        try {
            const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.child.pid}/status`, "utf8"));
            return m ? Number(m[1]) / 1024 : undefined;
        } catch {
            return undefined;
        }
    }

    async stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode !== null) return;
        await new Promise<void>((resolve) => {
            this.child.once("exit", () => resolve());
            this.child.kill("SIGTERM");
        });
    }
}

/**
 * The properties without the top-level keys the engine never sends an analyzer: those starting with "__" (a
 * provider's `__internal`, a bridged provider's `__defaults`). MarshalProperties with SkipInternalKeys drops them at
 * the top level only (sdk/go/common/resource/plugin/rpc.go: "Only skip top level internal keys"; v3.248.0).
 */
export function withoutInternalKeys(props: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(props)) if (!k.startsWith("__")) out[k] = x;
    return out;
}

function diagnostics(resp: Any): Diagnostic[] {
    return resp.getDiagnosticsList().map((d: Any) => ({
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        message: d.getMessage(),
        description: d.getDescription(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()],
        urn: d.getUrn(),
        severity: SEVERITIES[d.getSeverity()] ?? String(d.getSeverity()),
    }));
}
