// Analyze without the engine's per-policy machinery. @pulumi/policy's Analyze handler (server.makeAnalyzeRpcFun)
// rebuilds, for each of the pack's ~90 policies, the resource's options, an unknown-checking proxy, an arguments
// object with four closures and a promise it awaits: on a resource the pack judges, that costs more than judging it.
// `runPoliciesDirectly` does what that handler does, in the same order and with the same enforcement levels and
// diagnostics, for the policies it can run the same way (synchronous, one validateResource function, no type filter),
// and gives up (undefined: the engine's handler answers) on anything else: a policy it cannot run so, a validation
// that throws or returns a promise, a request without options. test/engine/analyzer.test.ts checks that both paths
// answer the same.
import type { ResourceValidationPolicy } from "@pulumi/policy";

/** A diagnostic as @pulumi/policy's makeReportViolationFun pushes it (the input of protoutil.makeAnalyzeResponse). */
export interface EngineDiagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    message: string;
    urn?: string;
    description: string;
    enforcementLevel: string;
    severity?: string;
}

/** What PolicyPack handed @pulumi/policy's server.serve. */
export interface ServedPack {
    name: string;
    version: string;
    enforcementLevel: string;
    policies: readonly ResourceValidationPolicy[];
}

/** One Analyze request, read the way the engine's handler reads it. */
export interface DirectRequest {
    type: string;
    name: string;
    urn: string;
    /** The deserialized inputs (the engine's shared deserialization, before its proxy). */
    props: unknown;
}

/** The policy configuration the engine holds (server.policyPackConfig): properties plus enforcementLevel. */
export type EngineConfig = Record<string, Record<string, unknown> & { enforcementLevel?: string }>;

type Validate = (args: unknown, report: (message: unknown, urn?: string) => void) => unknown;

/** True when the engine would call this policy's validateResource exactly as the direct path does. */
function directlyRunnable(p: ResourceValidationPolicy): boolean {
    const v = p.validateResource as unknown;
    if (typeof v !== "function") return false;
    const pulumiType = (v as { __pulumiType?: unknown }).__pulumiType;
    return !(typeof pulumiType === "string" && pulumiType.length > 0);
}

/** makeReportViolationFun of @pulumi/policy/server.js, field for field. */
function reporter(
    p: ResourceValidationPolicy,
    pack: ServedPack,
    level: string,
    ds: EngineDiagnostic[],
): (message: unknown, urn?: string) => void {
    const description = p.description;
    return (message, urn) => {
        if (typeof message === "object" && message !== null) {
            const info = message as Partial<EngineDiagnostic> & { name?: string };
            ds.push({
                policyName: info.name || p.name,
                policyPackName: pack.name,
                policyPackVersion: pack.version,
                message: (info.message || info.description || description) as string,
                urn: info.urn,
                description: (info.description || description) as string,
                enforcementLevel: (info.enforcementLevel || level) as string,
                severity: (info.severity || p.severity) as string | undefined,
            });
        } else {
            let text = description;
            if (message) text += `\n${message as string}`;
            ds.push({
                policyName: p.name,
                policyPackName: pack.name,
                policyPackVersion: pack.version,
                message: text,
                urn,
                description,
                enforcementLevel: level,
                severity: p.severity,
            });
        }
    };
}

/**
 * The diagnostics the engine's Analyze handler would produce for this request, or undefined when it cannot be done
 * here the same way (the engine's handler must answer).
 */
export function runPoliciesDirectly(
    pack: ServedPack,
    config: EngineConfig,
    req: DirectRequest,
): EngineDiagnostic[] | undefined {
    const ds: EngineDiagnostic[] = [];
    for (const p of pack.policies) {
        let level = config[p.name]?.enforcementLevel || p.enforcementLevel || pack.enforcementLevel;
        // isResourcePolicy: a policy without validateResource is a stack policy, which Analyze skips.
        const v = p.validateResource as unknown;
        if (level === "disabled" || (typeof v !== "function" && !Array.isArray(v))) continue;
        if (!directlyRunnable(p)) return undefined;
        if (level === "remediate") level = "mandatory";
        const name = p.name;
        const args = {
            type: req.type,
            props: req.props,
            urn: req.urn,
            name: req.name,
            getConfig: () => {
                const c = config[name];
                if (!c) return {};
                const { enforcementLevel: _, ...properties } = c;
                return properties;
            },
        };
        let result: unknown;
        try {
            result = (v as Validate)(args, reporter(p, pack, level, ds));
        } catch {
            return undefined;
        }
        const then = (result as { then?: unknown } | null | undefined)?.then;
        if (typeof then === "function") {
            then.call(result, undefined, () => undefined); // the engine's handler runs it again and reports it
            return undefined;
        }
    }
    return ds;
}

type ConfigMap = { forEach(f: (v: unknown, k: string) => void): void };

/**
 * The engine's policyPackConfig after a successful Configure request, built as server.configure builds it: each
 * policy's properties with `enforcementLevel` set from the request (convertEnforcementLevel of @pulumi/policy).
 */
export function engineConfigOf(request: unknown, convertLevel: (n: number) => string): EngineConfig {
    const out: EngineConfig = {};
    (request as { getPolicyconfigMap(): ConfigMap }).getPolicyconfigMap().forEach((v, k) => {
        const c = v as { getEnforcementlevel(): number; getProperties(): { toJavaScript(): Record<string, unknown> } };
        const props = c.getProperties().toJavaScript();
        props.enforcementLevel = convertLevel(c.getEnforcementlevel());
        out[k] = props;
    });
    return out;
}
