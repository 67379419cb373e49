// Every private internal of @pulumi/policy and @grpc/grpc-js this pack relies on, in one module. Each patch checks
// the shape it needs before it applies and records whether it did (`patchStatus()`); test/engine/internals.test.ts
// fails loudly when one no longer applies after a dependency upgrade. A patch that does not apply leaves the
// engine's own behaviour in place. Versions checked: @pulumi/policy 1.21.0, @grpc/grpc-js 1.14.x.
//
// 1. deserialize   @pulumi/policy/deserialize.deserializeProperties: shared per request (it runs once per policy
//                  otherwise) and tolerant: inputs it rejects (an empty StringAsset, an asset with only a hash as in
//                  exports, an unknown signature) no longer fail the request; the rest of the resource is judged.
// 2. addService    @grpc/grpc-js Server.prototype.addService, to wrap three Analyzer methods:
//                  - Configure: the pack-wide settings are taken from the Configure request itself;
//                  - Analyze: resources with nothing to judge are answered directly (needs analyzer_pb);
//                  - Analyze/AnalyzeStack request decoding: Struct nesting beyond MAX_DEPTH is cut (engine/wire.ts),
//                    before decoding (google-protobuf's decoder is slow and overflows on deep nesting).
//                  - AnalyzeStack: the request's resources are read once for every stack policy (see 6.).
//                  - AnalyzeStack request decoding: resources read from the wire bytes, inputs converted only when a
//                    stack link reads them (engine/stack-wire.ts); the engine decodes the rest of the request.
// 3. analyzer_pb   @pulumi/pulumi/proto/analyzer_pb.AnalyzeResponse, the empty answer of the fast path;
//                  AnalyzerResource, AnalyzerResourceOptions (and google-protobuf's Struct) for the stack marker.
// 4. proxy target  @pulumi/policy's unknown-checking proxy exposes its target as `__getSpecialProxyTarget`.
// 5. report object reportViolation accepts `{ message, enforcementLevel, urn }` (a per-diagnostic level).
// 6. secrets       @pulumi/policy/policy.Secret: inputs are deserialized with secrets kept, then unwrapped with their
//                  paths recorded (providers/secrets.ts), so that nothing a secret decided is printed. Secret objects
//                  are counted as they are created, so inputs without one are not walked again.
// 7. served pack   @pulumi/policy/server.serve: the pack's name, version, level and policies, for the direct Analyze
//                  path (engine/direct.ts): the pack's own policies run without the engine's per-policy machinery.
// 8. response      @pulumi/policy/protoutil.makeAnalyzeResponse: responses written directly as wire bytes
//                  (engine/response-wire.ts) in an AnalyzeResponse subclass grpc serializes as those bytes.
import type { EnforcementLevel, ReportViolation } from "@pulumi/policy";
import {
    ANALYZE_REQUEST,
    ANALYZE_STACK_REQUEST,
    CutAt,
    MAX_DEPTH,
    TRUNCATED_VALUE,
    boundNesting,
    nestedDeeperThan,
} from "./wire";
import { Conversion, WireResource, readAnalyzeRequest, readStackRequest, structToJavaScript } from "./stack-wire";
import { unwrapSecrets, unwrapWireSecrets } from "../providers/secrets";
import { EngineConfig, EngineDiagnostic, ServedPack, engineConfigOf, runPoliciesDirectly } from "./direct";
import { ResponseDiagnostic, encodeAnalyzeResponse } from "./response-wire";
import type { StackResource } from "../providers/stack";

/* eslint-disable @typescript-eslint/no-require-imports */

export interface PolicyConfigEntry {
    enforcementLevel: string;
    properties: Record<string, unknown>;
}

/** The policy configuration of one Configure request, by policy name (as the engine sends it, "all" included). */
export type ConfigureRequest = Record<string, PolicyConfigEntry>;

export interface Hooks {
    /** True when no policy can report anything for this resource (the Analyze fast path answers it directly). */
    nothingToJudge(urn: string, type: string, props: () => unknown): boolean;
    /** Called with every Configure request before the engine's own handler runs; problems returned reject it. */
    onConfigure(config: ConfigureRequest): readonly string[] | unknown;
    /**
     * The pack's policies are synchronous and read only `type`, `props` (through rawInputs), `urn`, `name` and
     * `getConfig()` of their arguments: Analyze may run them without the engine's per-policy machinery
     * (engine/direct.ts). KUBE_API_GUARD_NO_FAST_PATH=1 turns this off.
     */
    directAnalyze?: boolean;
}

export type PatchName =
    | "deserialize"
    | "addService"
    | "configure"
    | "analyze-fast-path"
    | "request-nesting"
    | "proxy-target"
    | "report-object"
    | "secrets"
    | "analyze-stack-once"
    | "analyze-direct"
    | "response-encoding";

export interface PatchStatus {
    patch: PatchName;
    applied: boolean;
    detail: string;
}

const status = new Map<PatchName, PatchStatus>();

function record(patch: PatchName, applied: boolean, detail: string): void {
    status.set(patch, { patch, applied, detail });
}

export function patchStatus(): PatchStatus[] {
    return [...status.values()];
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

// ---------------------------------------------------------------------------------------------------------------
// 4. proxy target

const PROXY_TARGET = "__getSpecialProxyTarget";

/** The inputs without @pulumi/policy's unknown-checking proxy: providers handle unknown sentinels themselves. */
export function rawInputs(props: unknown): unknown {
    if (typeof props !== "object" || props === null) return props;
    const target = (props as Record<string, unknown>)[PROXY_TARGET];
    return target !== undefined ? target : props;
}

// ---------------------------------------------------------------------------------------------------------------
// 5. report object

/** Reports one diagnostic at advisory level whatever the policy's level (exemptions, unknowns, notes). */
export function reportAdvisory(reportViolation: ReportViolation, message: string, urn?: string): void {
    const report = reportViolation as unknown as (d: {
        message: string;
        enforcementLevel: EnforcementLevel;
        urn?: string;
    }) => void;
    report({ message, enforcementLevel: "advisory", urn });
}

// ---------------------------------------------------------------------------------------------------------------
// 1. deserialize

/** Inputs in which a value was replaced by TRUNCATED_VALUE (too deeply nested to read). */
const truncatedInputs = new WeakSet<object>();
/** Structs of requests whose nesting was cut while decoding. */
const truncatedStructs = new WeakSet<object>();

/** True when some value of these inputs was nested too deeply and was not read. */
export function inputsTruncated(props: unknown): boolean {
    return typeof props === "object" && props !== null && truncatedInputs.has(props);
}

type PbValue = {
    getKindCase(): number;
    getNumberValue(): number;
    getStringValue(): string;
    getBoolValue(): boolean;
    getStructValue(): PbStruct | undefined;
    getListValue(): { getValuesList(): PbValue[] } | undefined;
};
type PbStruct = { getFieldsMap(): { forEach(f: (v: PbValue, k: string) => void): void } };

function define(o: Record<string, unknown>, k: string, v: unknown): void {
    // An own property even for "__proto__": never promoted to the prototype.
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/**
 * What @pulumi/policy's deserializer produces, for inputs it rejects: plain JSON values, secrets unwrapped,
 * assets and archives kept as their serialized objects, values nested deeper than MAX_DEPTH replaced by
 * TRUNCATED_VALUE. Recursion is bounded by MAX_DEPTH.
 */
function tolerantStruct(s: PbStruct, depth: number, cut: { cut: boolean }): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    s.getFieldsMap().forEach((v, k) => define(out, k, tolerantValue(v, depth + 1, cut)));
    // Secrets stay in their wire form here; unwrapWireSecrets unwraps them and records their paths.
    return out;
}

function tolerantValue(v: PbValue, depth: number, cut: { cut: boolean }): unknown {
    if (depth > MAX_DEPTH) {
        cut.cut = true;
        return TRUNCATED_VALUE;
    }
    switch (v.getKindCase()) {
        case 2:
            return v.getNumberValue();
        case 3:
            return v.getStringValue();
        case 4:
            return v.getBoolValue();
        case 5: {
            const s = v.getStructValue();
            return s ? tolerantStruct(s, depth, cut) : {};
        }
        case 6:
            return (v.getListValue()?.getValuesList() ?? []).map((x) => tolerantValue(x, depth + 1, cut));
        default:
            return null; // NULL_VALUE, or no kind set
    }
}

type Deserialize = (struct: unknown, proxySecrets: boolean) => unknown;

/**
 * A resource's inputs still in their wire bytes (engine/stack-wire.ts), standing in for the google.protobuf.Struct
 * that @pulumi/policy's deserializer converts: it calls only `toJavaScript()`. What it gives is what the Struct would
 * give for the same bytes; like a Struct cut for depth, it is recorded in truncatedStructs when a value was cut.
 */
class LazyStruct {
    constructor(private readonly bytes: Buffer) {}

    toJavaScript(): Record<string, unknown> {
        const c: Conversion = { truncated: false, noKind: false };
        const out = structToJavaScript(this.bytes, false, c);
        if (c.truncated) truncatedStructs.add(this);
        if (c.noKind) throw new Error("Unexpected struct type"); // what google-protobuf throws for a Value with no kind
        return out;
    }

    /** What tolerantStruct gives for the Struct of these bytes: own keys, a Value with no kind as null. */
    tolerant(cut: { cut: boolean }): Record<string, unknown> {
        const c: Conversion = { truncated: false, noKind: false };
        const out = structToJavaScript(this.bytes, true, c);
        if (c.truncated) cut.cut = true;
        return out;
    }
}

function patchDeserialize(): void {
    let d: { deserializeProperties?: Deserialize & { kubeApiGuard?: boolean } };
    try {
        d = require("@pulumi/policy/deserialize");
    } catch (e) {
        return record("deserialize", false, `@pulumi/policy/deserialize not found (${(e as Error).message})`);
    }
    const original = d.deserializeProperties;
    if (typeof original !== "function") {
        return record("deserialize", false, "@pulumi/policy/deserialize has no deserializeProperties function");
    }
    if (original.kubeApiGuard) return record("deserialize", true, "already applied");
    const memo = new WeakMap<object, unknown>();
    const secrets = countSecrets();
    const safe = (struct: unknown, proxySecrets: boolean): unknown => {
        let value: unknown;
        try {
            // Policies get plain values; secrets are kept while deserializing so their paths can be recorded.
            value = proxySecrets ? original(struct, true) : secrets.unwrap(() => original(struct, true));
        } catch (e) {
            const lazy = struct instanceof LazyStruct ? struct : undefined;
            const getFields = (struct as Partial<PbStruct> | null)?.getFieldsMap;
            if (typeof getFields !== "function" && !lazy) throw e;
            const cut = { cut: false };
            value = unwrapWireSecrets(lazy ? lazy.tolerant(cut) : tolerantStruct(struct as PbStruct, 0, cut));
            if (cut.cut) truncatedInputs.add(value as object);
        }
        if (typeof struct === "object" && struct !== null && truncatedStructs.has(struct)) {
            truncatedInputs.add(value as object);
        }
        return value;
    };
    const shared: Deserialize & { kubeApiGuard?: boolean } = (struct, proxySecrets) => {
        // Remediation (proxySecrets) may mutate what it gets, so it is never shared.
        if (proxySecrets || typeof struct !== "object" || struct === null) return safe(struct, proxySecrets);
        if (!memo.has(struct)) memo.set(struct, safe(struct, proxySecrets));
        return memo.get(struct);
    };
    shared.kubeApiGuard = true;
    d.deserializeProperties = shared;
    record("deserialize", true, "deserializeProperties shared per request and tolerant of rejected inputs");
}

// ---------------------------------------------------------------------------------------------------------------
// 8. response encoding

type MakeResponse = (ds: ResponseDiagnostic[], notApplicable: unknown[] | undefined) => unknown;

/**
 * protoutil.makeAnalyzeResponse (called by the engine's Analyze and AnalyzeStack handlers) returns a response whose
 * bytes are written directly (engine/response-wire.ts) instead of one google-protobuf message per diagnostic. It is an
 * AnalyzeResponse, as grpc's serializer checks; reading it as a message (tests do) builds the engine's own one.
 */
function patchResponse(): void {
    let protoutil: { makeAnalyzeResponse?: MakeResponse & { kubeApiGuard?: boolean } };
    let Base: (new () => { serializeBinary(): Uint8Array; setDiagnosticsList(l: unknown[]): void }) | undefined;
    try {
        protoutil = require("@pulumi/policy/protoutil");
        const from = { paths: [require.resolve("@pulumi/policy")] };
        Base = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", from)).AnalyzeResponse;
    } catch (e) {
        return record("response-encoding", false, `engine modules not found (${(e as Error).message})`);
    }
    const original = protoutil.makeAnalyzeResponse;
    if (typeof original !== "function" || typeof Base !== "function") {
        return record("response-encoding", false, "protoutil.makeAnalyzeResponse or AnalyzeResponse not found");
    }
    if (original.kubeApiGuard) return record("response-encoding", true, "already applied");
    const Built = Base;
    class Encoded extends Built {
        private built = false;
        constructor(
            private readonly bytes: Buffer,
            private readonly ds: ResponseDiagnostic[],
        ) {
            super();
        }
        private build(): void {
            if (this.built) return;
            this.built = true;
            const r = original!(this.ds, undefined) as { getDiagnosticsList(): unknown[] };
            this.setDiagnosticsList(r.getDiagnosticsList());
        }
        getDiagnosticsList(): unknown[] {
            this.build();
            return (Built.prototype as unknown as { getDiagnosticsList(): unknown[] }).getDiagnosticsList.call(this);
        }
        toObject(includeInstance?: boolean): unknown {
            this.build();
            return (Built.prototype as unknown as { toObject(i?: boolean): unknown }).toObject.call(
                this,
                includeInstance,
            );
        }
        serializeBinary(): Uint8Array {
            return this.built ? super.serializeBinary() : this.bytes;
        }
    }
    const patched: MakeResponse & { kubeApiGuard?: boolean } = (ds, notApplicable) => {
        if (notApplicable?.length || !Array.isArray(ds)) return original(ds, notApplicable);
        let bytes: Buffer | undefined;
        try {
            bytes = encodeAnalyzeResponse(ds);
        } catch {
            bytes = undefined;
        }
        return bytes ? new Encoded(bytes, ds) : original(ds, notApplicable);
    };
    patched.kubeApiGuard = true;
    protoutil.makeAnalyzeResponse = patched;
    record("response-encoding", true, "Analyze responses are written directly as wire bytes");
}

// ---------------------------------------------------------------------------------------------------------------
// 7. served pack

/** What PolicyPack handed @pulumi/policy's server.serve (name, version, level, policies), for the direct path. */
let served: ServedPack | undefined;

function patchServe(): void {
    let server: { serve?: ((...a: unknown[]) => unknown) & { kubeApiGuard?: boolean } };
    try {
        server = require("@pulumi/policy/server");
    } catch (e) {
        return record("analyze-direct", false, `@pulumi/policy/server not found (${(e as Error).message})`);
    }
    const original = server.serve;
    if (typeof original !== "function") return record("analyze-direct", false, "server.serve is not a function");
    if (original.kubeApiGuard) return;
    const patched = function (this: unknown, ...a: unknown[]) {
        const [name, version, enforcementLevel, args] = a as [unknown, unknown, unknown, { policies?: unknown }];
        if (
            typeof name === "string" &&
            typeof version === "string" &&
            typeof enforcementLevel === "string" &&
            Array.isArray(args?.policies)
        ) {
            served = { name, version, enforcementLevel, policies: args.policies };
        }
        return original.apply(this, a);
    } as typeof original;
    patched.kubeApiGuard = true;
    server.serve = patched;
}

// ---------------------------------------------------------------------------------------------------------------
// 6. secrets

/** Runs a deserialization with secrets kept and returns its plain value, secrets unwrapped and their paths recorded. */
function countSecrets(): { unwrap(run: () => unknown): unknown } {
    let created = 0;
    let Secret: (new (v: unknown) => { value: unknown }) | undefined;
    try {
        const m = require("@pulumi/policy/policy") as { Secret?: new (v: unknown) => { value: unknown } };
        const Base = m.Secret;
        if (typeof Base !== "function") throw new Error("no Secret class");
        m.Secret = class extends Base {
            constructor(v: unknown) {
                super(v);
                created++;
            }
        };
        Secret = Base;
        record("secrets", true, "Secret objects counted as @pulumi/policy creates them; their paths recorded");
    } catch (e) {
        record(
            "secrets",
            false,
            `@pulumi/policy/policy.Secret not patchable (${(e as Error).message}); every input is walked`,
        );
    }
    const isSecret = (x: unknown) =>
        Secret ? x instanceof Secret : typeof x === "object" && x !== null && x.constructor?.name === "Secret";
    return {
        unwrap(run) {
            const before = created;
            const target = rawInputs(run());
            if (Secret && created === before) return target;
            return unwrapSecrets(target, isSecret, (x) => (x as { value: unknown }).value);
        },
    };
}

// ---------------------------------------------------------------------------------------------------------------
// 2. and 3. addService, analyzer_pb

type Handler = (this: unknown, call: { request?: unknown }, callback: (e: unknown, r?: unknown) => void) => unknown;
interface MethodDefinition {
    requestDeserialize?: (bytes: Buffer) => unknown;
    [k: string]: unknown;
}

function readConfigure(request: unknown): ConfigureRequest {
    const out: ConfigureRequest = {};
    const map = (
        request as { getPolicyconfigMap(): { forEach(f: (v: unknown, k: string) => void): void } }
    ).getPolicyconfigMap();
    map.forEach((v, k) => {
        const c = v as { getEnforcementlevel(): number; getProperties(): { toJavaScript(): unknown } | undefined };
        const props = c.getProperties()?.toJavaScript();
        define(out as Record<string, unknown>, k, {
            enforcementLevel: LEVELS[c.getEnforcementlevel()] ?? "advisory",
            properties: typeof props === "object" && props !== null ? props : {},
        });
    });
    return out;
}

function boundedDeserializer(
    def: MethodDefinition,
    schema: typeof ANALYZE_REQUEST,
    mark: (req: unknown, cut: CutAt[]) => void,
): MethodDefinition {
    const original = def.requestDeserialize;
    if (typeof original !== "function") return def;
    return {
        ...def,
        requestDeserialize: (bytes: Buffer) => {
            try {
                if (nestedDeeperThan(bytes, schema)) {
                    const bounded = boundNesting(bytes, schema);
                    const req = original(bounded.bytes);
                    mark(req, bounded.cut);
                    return req;
                }
                return original(bytes);
            } catch (e) {
                let bounded: ReturnType<typeof boundNesting>;
                try {
                    bounded = boundNesting(bytes, schema);
                } catch {
                    throw e;
                }
                if (bounded.cut.length === 0) throw e;
                const req = original(bounded.bytes);
                mark(req, bounded.cut);
                return req;
            }
        },
    };
}

function markAnalyze(req: unknown, cut: CutAt[]): void {
    const props = (req as { getProperties?(): unknown }).getProperties?.();
    if (cut.some((c) => c.field === 2) && typeof props === "object" && props) truncatedStructs.add(props);
}

function markAnalyzeStack(req: unknown, cut: CutAt[]): void {
    const list = (req as { getResourcesList?(): { getProperties(): unknown }[] }).getResourcesList?.() ?? [];
    for (const c of cut) {
        const props = c.field === 1 ? list[c.ordinal]?.getProperties() : undefined;
        if (typeof props === "object" && props) truncatedStructs.add(props);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// AnalyzeStack read once

const STACK_MARKER = "kube-api-guard:internal:StackMarker";
/** AnalyzeStack requests whose resources were read from the wire bytes (engine/stack-wire.ts), and those bytes. */
const wireStacks = new WeakMap<object, { resources: WireResource[]; bytes: Buffer }>();

/**
 * AnalyzeStack requests read lazily: each resource's type, name, URN and dependencies at once, its inputs kept as
 * bytes until a stack link reads them (readStackOnce). The request the engine gets holds every other field, decoded
 * by its own decoder. Bytes this reader cannot read go to `fallback`, the engine's decoder with its nesting bound.
 */
function lazyStackDeserializer(def: MethodDefinition, fallback: MethodDefinition): MethodDefinition {
    const original = def.requestDeserialize;
    const bounded = fallback.requestDeserialize;
    if (typeof original !== "function" || typeof bounded !== "function") return fallback;
    return {
        ...fallback,
        requestDeserialize: (bytes: Buffer) => {
            let read: ReturnType<typeof readStackRequest>;
            try {
                read = readStackRequest(bytes);
            } catch {
                return bounded(bytes);
            }
            const req = original(read.rest);
            if (typeof req === "object" && req !== null) wireStacks.set(req, { resources: read.resources, bytes });
            return req;
        },
    };
}
/**
 * Analyze requests read lazily: the engine's decoder reads every field but the inputs, which stay bytes until a
 * policy reads them (a resource of a type the pack does not read never has them converted; google-protobuf's decoder
 * builds a message per Value). The request's `getProperties()` gives a LazyStruct of those bytes, which the engine's
 * deserializer converts as it converts a Struct (it calls only `toJavaScript()`).
 */
function lazyAnalyzeDeserializer(fallback: MethodDefinition): MethodDefinition {
    const bounded = fallback.requestDeserialize;
    if (typeof bounded !== "function") return fallback;
    return {
        ...fallback,
        requestDeserialize: (bytes: Buffer) => {
            let read: ReturnType<typeof readAnalyzeRequest>;
            try {
                read = readAnalyzeRequest(bytes);
            } catch {
                return bounded(bytes);
            }
            if (!read.properties) return bounded(bytes);
            const req = bounded(read.rest);
            if (typeof req !== "object" || req === null) return bounded(bytes);
            const props = new LazyStruct(read.properties);
            Object.defineProperty(req, "getProperties", { value: () => props, configurable: true, writable: true });
            return req;
        },
    };
}

/** Stacks read from AnalyzeStack requests, by the id their marker resource carries, while the request runs. */
const pendingStacks = new Map<string, StackResource[]>();
let stackIds = 0;

/** The stack read once for this AnalyzeStack request, when the engine hands a policy the marker resource. */
export function stackReadOnce(resources: readonly { type: string; name: string }[]): StackResource[] | undefined {
    const only = resources.length === 1 ? resources[0] : undefined;
    return only?.type === STACK_MARKER ? pendingStacks.get(only.name) : undefined;
}

type StackRes = {
    getType(): string;
    getName(): string;
    getUrn(): string;
    getProperties(): unknown;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(f: (v: { getUrnsList(): string[] }, k: string) => void): void };
};
type Pb = Record<string, (new () => Record<string, (...a: unknown[]) => unknown>) | undefined>;

/**
 * @pulumi/policy rebuilds every resource of the stack (inputs, proxies, options, dependencies) for each stack policy:
 * with ~20 stack policies that is most of an AnalyzeStack call on a large stack, and most of its garbage. The
 * request's resources are read here once (inputs deserialized when a link first reads them); the engine then runs
 * the same policies, with the same configuration, levels and response, over one marker resource naming that read.
 * KUBE_API_GUARD_NO_FAST_PATH=1 turns this off (test/engine/stack.test.ts checks both paths agree).
 */
function readStackOnce(
    analyzeStack: Handler,
    pb: Pb,
    deserialize: { deserializeProperties: Deserialize },
    redecode: (bytes: Buffer) => unknown,
): Handler | undefined {
    let Struct: (new () => unknown) | undefined;
    try {
        Struct = (
            require(
                require.resolve("google-protobuf/google/protobuf/struct_pb", {
                    paths: [require.resolve("@pulumi/pulumi")],
                }),
            ) as { Struct?: new () => unknown }
        ).Struct;
    } catch {
        Struct = undefined;
    }
    const Resource = pb.AnalyzerResource;
    const Options = pb.AnalyzerResourceOptions;
    if (!Struct || !Resource || !Options) {
        record("analyze-stack-once", false, "AnalyzerResource, AnalyzerResourceOptions or Struct not found");
        return undefined;
    }
    record("analyze-stack-once", true, "AnalyzeStack reads the stack once for every stack policy");
    return function (this: unknown, call, callback) {
        let id: string | undefined;
        try {
            const req = call.request as { getResourcesList(): StackRes[]; setResourcesList(l: unknown[]): void };
            const wire = wireStacks.get(req);
            const resources = wire
                ? wire.resources.map((r): StackResource => {
                      let props: unknown;
                      return {
                          type: r.type,
                          name: r.name,
                          urn: r.urn,
                          dependencies: r.dependencies,
                          propertyDependencies: r.propertyDependencies,
                          get props() {
                              const struct = new LazyStruct(r.properties);
                              return (props ??= rawInputs(deserialize.deserializeProperties(struct, false)));
                          },
                      };
                  })
                : req.getResourcesList().map((r): StackResource => {
                      const propertyDependencies: Record<string, string[]> = {};
                      r.getPropertydependenciesMap().forEach((v, k) =>
                          define(propertyDependencies, k, v.getUrnsList()),
                      );
                      let props: unknown;
                      return {
                          type: r.getType(),
                          name: r.getName(),
                          urn: r.getUrn(),
                          dependencies: r.getDependenciesList(),
                          propertyDependencies,
                          get props() {
                              return (props ??= rawInputs(deserialize.deserializeProperties(r.getProperties(), false)));
                          },
                      };
                  });
            id = String(++stackIds);
            const marker = new Resource();
            marker.setType(STACK_MARKER);
            marker.setName(id);
            marker.setUrn(`urn:pulumi:${STACK_MARKER}::${id}`);
            marker.setProperties(new Struct!());
            marker.setOptions(new Options());
            pendingStacks.set(id, resources);
            req.setResourcesList([marker]);
        } catch {
            if (id !== undefined) pendingStacks.delete(id);
            const wire = wireStacks.get(call.request as object);
            // The request was read lazily: the engine's own path needs it decoded the usual way.
            if (wire) call.request = redecode(wire.bytes);
            return analyzeStack.call(this, call, callback);
        }
        return analyzeStack.call(this, call, (e, r) => {
            pendingStacks.delete(id!);
            callback(e, r);
        });
    } as Handler;
}

/** @pulumi/policy's own response builder and level conversion, for the direct path (engine/direct.ts). */
function directProtoutil():
    | {
          makeAnalyzeResponse(ds: EngineDiagnostic[], notApplicable: undefined): unknown;
          convertEnforcementLevel(n: number): string;
      }
    | undefined {
    try {
        const p = require("@pulumi/policy/protoutil") as Record<string, unknown>;
        if (typeof p.makeAnalyzeResponse !== "function" || typeof p.convertEnforcementLevel !== "function") {
            record(
                "analyze-direct",
                false,
                "@pulumi/policy/protoutil lacks makeAnalyzeResponse or convertEnforcementLevel",
            );
            return undefined;
        }
        if (!served) {
            record("analyze-direct", false, "server.serve was not seen (the pack was served before the patch)");
        } else
            record(
                "analyze-direct",
                true,
                "Analyze runs the pack's policies without the engine's per-policy machinery",
            );
        return p as never;
    } catch (e) {
        record("analyze-direct", false, `@pulumi/policy/protoutil not found (${(e as Error).message})`);
        return undefined;
    }
}

function patchAddService(hooks: Hooks): void {
    let grpc: { Server?: { prototype: Record<string, unknown> } };
    let pb: { AnalyzeResponse?: new () => unknown } & Pb;
    let deserialize: { deserializeProperties: Deserialize };
    try {
        const from = { paths: [require.resolve("@pulumi/policy")] };
        grpc = require(require.resolve("@grpc/grpc-js", from));
        pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", from));
        deserialize = require("@pulumi/policy/deserialize");
    } catch (e) {
        return record("addService", false, `engine modules not found (${(e as Error).message})`);
    }
    const proto = grpc.Server?.prototype;
    const addService = proto?.addService as ((service: unknown, impl: unknown) => unknown) & { kubeApiGuard?: boolean };
    if (!proto || typeof addService !== "function") {
        return record("addService", false, "@grpc/grpc-js Server.prototype.addService is not a function");
    }
    if (addService.kubeApiGuard) return record("addService", true, "already applied");
    const Response = pb.AnalyzeResponse;
    record("addService", true, "Server.prototype.addService wrapped");
    const patched = function (this: unknown, service: unknown, impl: Record<string, unknown>) {
        const svc = service as Record<string, MethodDefinition> | undefined;
        const isAnalyzer = typeof impl?.analyze === "function" && typeof impl?.configure === "function" && svc?.analyze;
        if (!isAnalyzer) return addService.call(this, service, impl);
        const wrapped: Record<string, unknown> = { ...impl };

        const direct = hooks.directAnalyze ? directProtoutil() : undefined;
        /** The engine's policyPackConfig as its Configure handler last set it (it starts empty). */
        let engineConfig: EngineConfig | undefined = {};
        const analyzeDirectly = (request: unknown, config: EngineConfig): unknown => {
            try {
                const req = request as {
                    getType(): string;
                    getName(): string;
                    getUrn(): string;
                    getProperties(): unknown;
                    getOptions(): unknown;
                    getProvider(): { getProperties(): unknown } | undefined;
                };
                // The engine's handler fails a request without options; a provider's inputs it cannot read fail it too.
                if (!req.getOptions()) return undefined;
                const provider = req.getProvider();
                if (provider) deserialize.deserializeProperties(provider.getProperties(), false);
                const ds = runPoliciesDirectly(served!, config, {
                    type: req.getType(),
                    name: req.getName(),
                    urn: req.getUrn(),
                    props: deserialize.deserializeProperties(req.getProperties(), false),
                });
                return ds && direct!.makeAnalyzeResponse(ds, undefined);
            } catch {
                return undefined;
            }
        };

        const configure = impl.configure as Handler;
        wrapped.configure = function (this: unknown, call, callback) {
            let config: ConfigureRequest;
            try {
                config = readConfigure(call.request);
            } catch {
                config = {};
            }
            const problems = hooks.onConfigure(config);
            if (Array.isArray(problems) && problems.length > 0) {
                // INVALID_ARGUMENT: the CLI stops with "configuring policy pack ...: <details>" before the program runs.
                return callback({ code: 3, details: `invalid policy configuration: ${problems.join("; ")}` });
            }
            return configure.call(this, call, (e, r) => {
                // The engine's policyPackConfig changes only when its handler succeeds: so does the direct path's copy.
                if (!e && direct) {
                    try {
                        engineConfig = engineConfigOf(call.request, direct.convertEnforcementLevel);
                    } catch {
                        engineConfig = undefined;
                    }
                }
                callback(e, r);
            });
        } as Handler;
        record("configure", true, "Configure requests are read before the engine's handler");

        if (typeof Response === "function") {
            const analyze = impl.analyze as Handler;
            wrapped.analyze = function (this: unknown, call, callback) {
                let quiet: boolean;
                try {
                    const req = call.request as { getType(): unknown; getUrn(): unknown; getProperties(): unknown };
                    const type = req.getType();
                    const urn = req.getUrn();
                    quiet =
                        typeof type === "string" &&
                        typeof urn === "string" &&
                        hooks.nothingToJudge(urn, type, () =>
                            deserialize.deserializeProperties(req.getProperties(), false),
                        );
                } catch {
                    quiet = false;
                }
                if (quiet) return callback(null, new Response());
                const answer =
                    direct && engineConfig && served ? analyzeDirectly(call.request, engineConfig) : undefined;
                if (answer) return callback(null, answer);
                return analyze.call(this, call, callback);
            } as Handler;
            record("analyze-fast-path", true, "Analyze answers resources with nothing to judge directly");
        } else {
            record("analyze-fast-path", false, "@pulumi/pulumi/proto/analyzer_pb has no AnalyzeResponse");
        }

        const bounded: Record<string, MethodDefinition> = { ...svc };
        let nesting = typeof svc.analyze.requestDeserialize === "function";
        bounded.analyze = boundedDeserializer(svc.analyze, ANALYZE_REQUEST, markAnalyze);
        if (svc.analyzeStack) {
            nesting = nesting && typeof svc.analyzeStack.requestDeserialize === "function";
            bounded.analyzeStack = boundedDeserializer(svc.analyzeStack, ANALYZE_STACK_REQUEST, markAnalyzeStack);
        } else nesting = false;

        if (typeof impl.analyzeStack === "function" && !process.env.KUBE_API_GUARD_NO_FAST_PATH && svc.analyzeStack) {
            const fallback = bounded.analyzeStack;
            const redecode = (bytes: Buffer) => fallback.requestDeserialize!(bytes);
            const once = readStackOnce(impl.analyzeStack as Handler, pb, deserialize, redecode);
            if (once) {
                wrapped.analyzeStack = once;
                bounded.analyzeStack = lazyStackDeserializer(svc.analyzeStack, fallback);
            }
        }
        if (!process.env.KUBE_API_GUARD_NO_FAST_PATH) bounded.analyze = lazyAnalyzeDeserializer(bounded.analyze);
        record(
            "request-nesting",
            nesting,
            nesting ? "Analyze/AnalyzeStack requests nested too deeply are cut" : "no requestDeserialize to wrap",
        );
        return addService.call(this, bounded, wrapped);
    } as typeof addService;
    patched.kubeApiGuard = true;
    proto.addService = patched;
}

// ---------------------------------------------------------------------------------------------------------------

function checkProxyTarget(): void {
    try {
        const p = require("@pulumi/policy/proxy") as {
            getSpecialProxyTarget?: unknown;
            unknownCheckingProxy?: (o: unknown) => unknown;
        };
        const probe = { a: 1 };
        const ok =
            p.getSpecialProxyTarget === PROXY_TARGET &&
            typeof p.unknownCheckingProxy === "function" &&
            rawInputs(p.unknownCheckingProxy(probe)) === probe;
        record("proxy-target", ok, ok ? "proxy target readable" : "the proxy's target is no longer exposed");
    } catch (e) {
        record("proxy-target", false, `@pulumi/policy/proxy not found (${(e as Error).message})`);
    }
}

function checkReportObject(): void {
    // makeReportViolationFun is not exported: its source is the only thing to check at start-up. The engine test
    // (test/engine/internals.test.ts) checks the behaviour through the server's Analyze handler.
    try {
        const server = require("@pulumi/policy/server") as Record<string, unknown>;
        const src = Object.values(server)
            .filter((f) => typeof f === "function")
            .map((f) => String(f))
            .join("\n");
        const ok = typeof server.makeAnalyzeRpcFun === "function" && /makeReportViolationFun/.test(src);
        record("report-object", ok, ok ? "reportViolation object form present" : "makeReportViolationFun not found");
    } catch (e) {
        record("report-object", false, `@pulumi/policy/server not found (${(e as Error).message})`);
    }
}

let installed = false;

/** Applies every patch once per process; returns what applied. */
export function installEnginePatches(hooks: Hooks): PatchStatus[] {
    if (installed) return patchStatus();
    installed = true;
    patchDeserialize();
    patchServe();
    // KUBE_API_GUARD_NO_FAST_PATH=1 is the engine's own path, its own response encoding included (the tests compare).
    if (!process.env.KUBE_API_GUARD_NO_FAST_PATH) patchResponse();
    if (process.env.KUBE_API_GUARD_NO_FAST_PATH) {
        // Keep configuration capture and nesting bounds; only the direct answer is turned off.
        patchAddService({ ...hooks, nothingToJudge: () => false, directAnalyze: false });
    } else patchAddService(hooks);
    checkProxyTarget();
    checkReportObject();
    return patchStatus();
}
