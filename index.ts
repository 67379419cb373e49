// Entry point: the only module that talks to @pulumi/policy. It registers one CrossGuard policy per rule,
// plus the pack-wide settings carrier and the inspection-notes policy.
import { EnforcementLevel, PolicyPack, ReportViolation, Secret, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs } from "@pulumi/policy";
import { BENCHMARKS, RULES, Rule, controlTitle } from "./policies";
import { isInspected, nothingToJudge } from "./pack/cache";
import { EffectiveConfig, ResourceRef, effectiveConfig, schemaFor } from "./pack/config";
import { Finding, inspectionFindings, judgeResource, judgeStack } from "./pack/judge";
import { unwrapSecrets } from "./providers/secrets";
import type { StackResource } from "./providers/stack";

/**
 * @pulumi/policy deserializes a request's inputs afresh for every policy (about a microsecond each, times
 * ~90 policies, for every resource in the stack). The inputs of one request are one protobuf Struct, so the
 * deserialized value is shared per Struct (secrets unwrapped, their paths kept). Safe because no policy of this
 * pack mutates its inputs; remediation (which may) is not shared. If the module's shape ever changes, the engine's own behaviour is kept.
 */
function shareDeserialization(): void {
    // Deserialized with secrets kept as Secret objects, then unwrapped in place with their paths recorded, so that
    // providers can mark what a secret decided (providers/secrets.ts). Policies see the same plain values as before.
    // Secrets are counted as @pulumi/policy creates them, so inputs without any are not walked a second time.
    let created = 0;
    let counting = false;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const m = require("@pulumi/policy/policy") as { Secret: typeof Secret };
        m.Secret = class extends m.Secret { constructor(v: unknown) { super(v); created++; } } as typeof Secret;
        counting = true;
    } catch {
        // Walk every value instead.
    }
    const keepSecretPaths = (v: unknown, before: number): unknown => {
        const target = (v as { __getSpecialProxyTarget?: unknown } | undefined)?.__getSpecialProxyTarget ?? v;
        if (counting && created === before) return target;
        return unwrapSecrets(target, (x) => x instanceof Secret, (x) => (x as Secret).value);
    };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const d = require("@pulumi/policy/deserialize") as { deserializeProperties?: (s: unknown, proxySecrets: boolean) => unknown };
        const original = d.deserializeProperties;
        if (typeof original !== "function" || (original as { shared?: boolean }).shared) return;
        const memo = new WeakMap<object, unknown>();
        const shared = (struct: unknown, proxySecrets: boolean): unknown => {
            if (proxySecrets || typeof struct !== "object" || struct === null) return original(struct, proxySecrets);
            if (!memo.has(struct)) {
                const before = created;
                memo.set(struct, keepSecretPaths(original(struct, true), before));
            }
            return memo.get(struct);
        };
        (shared as { shared?: boolean }).shared = true;
        d.deserializeProperties = shared;
    } catch {
        // Keep the engine's behaviour.
    }
}
shareDeserialization();

/**
 * Most resources in a stack cannot get a diagnostic from this pack: their type is not read at all, or reading
 * them finds no component settings (a Deployment of an ordinary app, a ConfigMap of app settings, an instance
 * whose user data starts no Kubernetes component). Every policy would return nothing for them, yet
 * @pulumi/policy builds arguments for each of ~90 policies. Those Analyze calls are answered directly with the
 * same empty response; everything else takes the engine's normal path, where the normalization computed here
 * is reused. Set KUBE_API_GUARD_NO_FAST_PATH=1 to turn this off; if @grpc/grpc-js or the protocol modules ever
 * change shape, the patch is skipped and the normal path is used.
 */
function answerUninspectedTypesDirectly(): void {
    if (process.env.KUBE_API_GUARD_NO_FAST_PATH) return;
    try {
        /* eslint-disable @typescript-eslint/no-require-imports */
        const from = { paths: [require.resolve("@pulumi/policy")] };
        const grpc = require(require.resolve("@grpc/grpc-js", from)) as { Server?: { prototype: Record<string, unknown> } };
        const pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", from)) as { AnalyzeResponse: new () => unknown };
        const d = require("@pulumi/policy/deserialize") as { deserializeProperties: (s: unknown, proxySecrets: boolean) => unknown };
        /* eslint-enable @typescript-eslint/no-require-imports */
        const proto = grpc.Server?.prototype;
        const addService = proto?.addService;
        if (!proto || typeof addService !== "function" || typeof pb.AnalyzeResponse !== "function") return;
        type Request = { getType(): unknown; getUrn(): unknown; getProperties(): unknown };
        type Handler = (call: { request?: Request }, callback: (e: unknown, r?: unknown) => void) => unknown;
        proto.addService = function (this: unknown, service: unknown, impl: Record<string, unknown>) {
            const analyze = impl?.analyze as Handler | undefined;
            if (typeof analyze !== "function") return addService.call(this, service, impl);
            const fast: Handler = function (this: unknown, call, callback) {
                let quiet = false;
                try {
                    const req = call.request!;
                    const type = req.getType();
                    const urn = req.getUrn();
                    quiet = typeof type === "string" && typeof urn === "string" &&
                        nothingToJudge(urn, type, () => d.deserializeProperties(req.getProperties(), false));
                } catch {
                    quiet = false;
                }
                if (quiet) return callback(null, new pb.AnalyzeResponse());
                return analyze.call(this, call, callback);
            };
            return addService.call(this, service, { ...impl, analyze: fast });
        };
    } catch {
        // Keep the engine's behaviour.
    }
}
answerUninspectedTypesDirectly();

/** AnalyzeStack requests read once, by id, for the stack policies of the same request (see readStackOnce). */
const pendingStacks = new Map<string, StackResource[]>();
const STACK_MARKER = "kube-api-guard:internal:StackMarker";
let stackIds = 0;

/**
 * @pulumi/policy rebuilds every resource of the stack (inputs, proxies, options, dependencies) for each stack
 * policy: with ~20 stack policies that is most of an AnalyzeStack call on a large stack, and its garbage. The
 * request's resources are read here once; the engine then runs the same policies, with the same configuration,
 * levels and response, over one marker resource that names the stack read. Every stack policy judges that stack.
 * KUBE_API_GUARD_NO_FAST_PATH=1 turns this off (a test checks both paths agree); any surprise keeps the engine path.
 */
function readStackOnce(): void {
    if (process.env.KUBE_API_GUARD_NO_FAST_PATH) return;
    try {
        /* eslint-disable @typescript-eslint/no-require-imports */
        const from = { paths: [require.resolve("@pulumi/policy")] };
        const grpc = require(require.resolve("@grpc/grpc-js", from)) as { Server?: { prototype: Record<string, unknown> } };
        const pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", from)) as Record<string, new () => Record<string, (...a: unknown[]) => unknown>>;
        const structpb = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [require.resolve("@pulumi/pulumi")] })) as { Struct: new () => unknown };
        const d = require("@pulumi/policy/deserialize") as { deserializeProperties: (s: unknown, proxySecrets: boolean) => unknown };
        /* eslint-enable @typescript-eslint/no-require-imports */
        const proto = grpc.Server?.prototype;
        const addService = proto?.addService;
        if (!proto || typeof addService !== "function" || !pb.AnalyzerResource || !pb.AnalyzerResourceOptions || !structpb.Struct) return;
        type Res = { getType(): string; getName(): string; getUrn(): string; getProperties(): unknown; getDependenciesList(): string[];
            getPropertydependenciesMap(): { forEach(f: (v: { getUrnsList(): string[] }, k: string) => void): void } };
        type Req = { getResourcesList(): Res[]; setResourcesList(l: unknown[]): void };
        type Handler = (call: { request?: Req }, callback: (e: unknown, r?: unknown) => void) => unknown;
        proto.addService = function (this: unknown, service: unknown, impl: Record<string, unknown>) {
            const analyzeStack = impl?.analyzeStack as Handler | undefined;
            if (typeof analyzeStack !== "function") return addService.call(this, service, impl);
            const once: Handler = function (this: unknown, call, callback) {
                let id: string | undefined;
                try {
                    const resources = call.request!.getResourcesList().map((r): StackResource => {
                        const propertyDependencies: Record<string, string[]> = {};
                        r.getPropertydependenciesMap().forEach((v, k) => { propertyDependencies[k] = v.getUrnsList(); });
                        // Inputs are deserialized when a stack link first reads them: most types' inputs never are.
                        let props: unknown;
                        return { type: r.getType(), name: r.getName(), urn: r.getUrn(), dependencies: r.getDependenciesList(), propertyDependencies,
                            get props() { return props ??= rawProps({ props: d.deserializeProperties(r.getProperties(), false) }); } };
                    });
                    id = String(++stackIds);
                    const marker = new pb.AnalyzerResource();
                    marker.setType(STACK_MARKER);
                    marker.setName(id);
                    marker.setUrn(`urn:pulumi:${STACK_MARKER}::${id}`);
                    marker.setProperties(new structpb.Struct());
                    marker.setOptions(new pb.AnalyzerResourceOptions());
                    pendingStacks.set(id, resources);
                    call.request!.setResourcesList([marker]);
                } catch {
                    if (id !== undefined) pendingStacks.delete(id);
                    return analyzeStack.call(this, call, callback);
                }
                return analyzeStack.call(this, call, (e, r) => {
                    pendingStacks.delete(id!);
                    callback(e, r);
                });
            };
            return addService.call(this, service, { ...impl, analyzeStack: once });
        };
    } catch {
        // Keep the engine's behaviour.
    }
}
readStackOnce();

export const PACK_WIDE_POLICY = "pack-wide-settings";
export const INSPECTION_POLICY = "resource-inputs-inspectable";

/**
 * Pack-wide configuration, read by the `pack-wide-settings` policy. The engine runs policies in registration
 * order for every resource, and that policy is registered first, so every later policy sees the current value.
 */
let packWide: unknown = {};

/** The inputs without @pulumi/policy's unknown-checking proxy: providers handle unknown sentinels themselves. */
function rawProps(r: { props: unknown }): unknown {
    const props = r.props as Record<string, unknown>;
    const target = props.__getSpecialProxyTarget;
    return target !== undefined ? target : props;
}

function ref(args: ResourceValidationArgs): ResourceRef {
    return { type: args.type, name: args.name, urn: args.urn };
}

function report(findings: (Finding & { urn?: string })[], reportViolation: ReportViolation): void {
    for (const f of findings) {
        if (f.level === "advisory") {
            // The object form carries a per-diagnostic enforcement level (supported by @pulumi/policy's server).
            (reportViolation as unknown as (d: { message: string; enforcementLevel: EnforcementLevel; urn?: string }) => void)(
                { message: f.message, enforcementLevel: "advisory", urn: f.urn });
        } else {
            reportViolation(f.message, f.urn);
        }
    }
}

function stackResources(args: StackValidationArgs): StackResource[] {
    const only = args.resources.length === 1 ? args.resources[0] : undefined;
    const read = only?.type === STACK_MARKER ? pendingStacks.get(only.name) : undefined;
    if (read) return read;
    return args.resources.map((r) => ({
        type: r.type, name: r.name, urn: r.urn, props: rawProps(r),
        dependencies: (r.dependencies ?? []).map((d) => d.urn),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map((d) => d.urn)])),
    }));
}

function safely(name: string, what: string, reportViolation: ReportViolation, fn: () => (Finding & { urn?: string })[]): void {
    let findings: (Finding & { urn?: string })[];
    try {
        findings = fn();
    } catch (e) {
        const kind = e instanceof Error ? e.name : typeof e;
        findings = [{ level: "advisory", message: `${what}: ${name} could not judge this (${kind}); please report this with the resource type.` }];
    }
    report(findings, reportViolation);
}

/** This policy's configuration merged over the pack-wide one. */
function configOf(args: { getConfig<T extends object>(): T }): EffectiveConfig {
    return effectiveConfig(packWide, args.getConfig<Record<string, unknown>>());
}

function framework(rule: Rule) {
    const cis = rule.cis[0];
    if (!cis) return undefined;
    const b = BENCHMARKS[cis.benchmark];
    return { name: b.name, version: b.version, reference: cis.id, specification: controlTitle(cis) ?? "" };
}

export function policyFor(rule: Rule): ResourceValidationPolicy {
    const policy: ResourceValidationPolicy & { validateStack?: (args: StackValidationArgs, report: ReportViolation) => void } = {
        name: rule.id,
        description: rule.title,
        enforcementLevel: rule.enforcement,
        severity: rule.severity,
        remediationSteps: rule.remediation,
        url: rule.url,
        tags: [...rule.tags, ...rule.cis.map((c) => `${c.benchmark}:${c.id}`)],
        framework: framework(rule),
        configSchema: schemaFor(rule),
        validateResource: (args, reportViolation) => {
            if (!isInspected(args.type)) return;
            safely(rule.id, `${args.type} "${args.name}"`, reportViolation, () => judgeResource(rule, ref(args), rawProps(args), () => configOf(args)));
        },
    };
    if (rule.stack) {
        // Also a stack policy: subjects that join resources of the stack (@pulumi/policy runs both kinds).
        policy.validateStack = (args, reportViolation) => {
            safely(rule.id, "stack", reportViolation, () => judgeStack(rule, stackResources(args),
                () => configOf(args)));
        };
    }
    return policy;
}

const packWidePolicy: ResourceValidationPolicy = {
    name: PACK_WIDE_POLICY,
    description: "Pack-wide settings (exemptions, allowed CIDRs) applied by every kube-api-guard policy. Reports nothing itself; keep it enabled.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["configuration"],
    remediationSteps: "Nothing to fix: this policy carries configuration.",
    configSchema: schemaFor(undefined),
    validateResource: (args) => {
        try { packWide = args.getConfig<Record<string, unknown>>(); } catch { packWide = {}; }
    },
};

const inspectionPolicy: ResourceValidationPolicy = {
    name: INSPECTION_POLICY,
    description: "Every setting kube-api-guard looks for could be read (no undecodable or oversized user data, no malformed documents)",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["inspection"],
    remediationSteps: "Make the reported content readable (plain, base64, gzip, MIME or cloud-init within the documented size limits) or exempt the resource with a reason.",
    url: "https://cloudinit.readthedocs.io/en/latest/explanation/format.html",
    configSchema: schemaFor(undefined),
    validateResource: (args, reportViolation) => {
        if (!isInspected(args.type)) return;
        safely(INSPECTION_POLICY, `${args.type} "${args.name}"`, reportViolation, () => inspectionFindings(ref(args), rawProps(args), () => configOf(args)));
    },
};

export const policies: ResourceValidationPolicy[] = [packWidePolicy, ...RULES.map(policyFor), inspectionPolicy];

new PolicyPack("kube-api-guard", {
    description: "Stops insecure Kubernetes API exposure before it is deployed: managed control planes, self-managed components, RBAC and network access.",
    policies,
});
