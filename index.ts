// Entry point: the only module that talks to @pulumi/policy. It registers one CrossGuard policy per rule,
// plus the pack-wide settings carrier and the inspection-notes policy.
import { EnforcementLevel, PolicyPack, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { BENCHMARKS, RULES, Rule, controlTitle } from "./policies";
import { isInspected } from "./pack/cache";
import { EffectiveConfig, ResourceRef, effectiveConfig, schemaFor } from "./pack/config";
import { Finding, inspectionFindings, judgeResource } from "./pack/judge";

export const PACK_WIDE_POLICY = "pack-wide-settings";
export const INSPECTION_POLICY = "resource-inputs-inspectable";

/**
 * Pack-wide configuration, read by the `pack-wide-settings` policy. The engine runs policies in registration
 * order for every resource, and that policy is registered first, so every later policy sees the current value.
 */
let packWide: unknown = {};

/** The inputs without @pulumi/policy's unknown-checking proxy: providers handle unknown sentinels themselves. */
function rawProps(args: ResourceValidationArgs): unknown {
    const props = args.props as Record<string, unknown>;
    const target = props.__getSpecialProxyTarget;
    return target !== undefined ? target : props;
}

function ref(args: ResourceValidationArgs): ResourceRef {
    return { type: args.type, name: args.name, urn: args.urn };
}

function report(findings: Finding[], reportViolation: ReportViolation): void {
    for (const f of findings) {
        if (f.level === "advisory") {
            // The object form carries a per-diagnostic enforcement level (supported by @pulumi/policy's server).
            (reportViolation as unknown as (d: { message: string; enforcementLevel: EnforcementLevel }) => void)(
                { message: f.message, enforcementLevel: "advisory" });
        } else {
            reportViolation(f.message);
        }
    }
}

function safely(name: string, args: ResourceValidationArgs, reportViolation: ReportViolation, fn: () => Finding[]): void {
    let findings: Finding[];
    try {
        findings = fn();
    } catch (e) {
        const kind = e instanceof Error ? e.name : typeof e;
        findings = [{ level: "advisory", message: `${args.type} "${args.name}": ${name} could not judge this resource (${kind}); please report this with the resource type.` }];
    }
    report(findings, reportViolation);
}

function configOf(args: ResourceValidationArgs): EffectiveConfig {
    return effectiveConfig(packWide, args.getConfig<Record<string, unknown>>());
}

function framework(rule: Rule) {
    const cis = rule.cis[0];
    if (!cis) return undefined;
    const b = BENCHMARKS[cis.benchmark];
    return { name: b.name, version: b.version, reference: cis.id, specification: controlTitle(cis) ?? "" };
}

export function policyFor(rule: Rule): ResourceValidationPolicy {
    return {
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
            safely(rule.id, args, reportViolation, () => judgeResource(rule, ref(args), rawProps(args), configOf(args)));
        },
    };
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
    url: "https://github.com/kube-api-guard/kube-api-guard#what-it-reads",
    configSchema: schemaFor(undefined),
    validateResource: (args, reportViolation) => {
        if (!isInspected(args.type)) return;
        safely(INSPECTION_POLICY, args, reportViolation, () => inspectionFindings(ref(args), rawProps(args), configOf(args)));
    },
};

export const policies: ResourceValidationPolicy[] = [packWidePolicy, ...RULES.map(policyFor), inspectionPolicy];

new PolicyPack("kube-api-guard", {
    description: "Stops insecure Kubernetes API exposure before it is deployed: managed control planes, self-managed components, RBAC and network access.",
    policies,
});
