// Scan reports: a table grouped by resource (colour only on a terminal), JSON, SARIF 2.1.0 and JUnit XML.
// Rule metadata comes from the rule records, the same single source as the policies.
import type { Diagnostic, ResourceInput } from "../client/analyzer";
import { BENCHMARKS, RULES, controlTitle } from "../policies";
import { FINGERPRINT_KEY } from "./baseline";

export interface ScanResult {
    packVersion: string;
    inputs: { file: string; kind: string; resources: number }[];
    resources: ResourceInput[];
    diagnostics: Diagnostic[];
    /** One per diagnostic, same order (cli/baseline.ts). */
    fingerprints?: string[];
    /** With --baseline: the file and how many findings it already listed (not reported). */
    baseline?: { file: string; known: number };
    /** Lines about the whole scan (values it could not read). */
    notes?: string[];
}

export function resourceOf(r: ScanResult, d: Diagnostic): string {
    return d.urn || r.resources.find((x) => d.message.startsWith(`${x.type} "${x.name}"`))?.urn || "(stack)";
}

export function counts(r: ScanResult): { mandatory: number; advisory: number } {
    return {
        mandatory: r.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length,
        advisory: r.diagnostics.filter((d) => d.enforcementLevel !== "mandatory").length,
    };
}

export function table(r: ScanResult, colour: boolean): string {
    const c = (code: string, s: string) => (colour ? `\u001b[${code}m${s}\u001b[0m` : s);
    const byResource = new Map<string, Diagnostic[]>();
    for (const d of r.diagnostics) {
        const key = resourceOf(r, d);
        const list = byResource.get(key);
        if (list) list.push(d);
        else byResource.set(key, [d]);
    }
    const lines: string[] = [];
    const mandatory = (ds: Diagnostic[]) => ds.filter((d) => d.enforcementLevel === "mandatory").length;
    const byUrn = new Map(r.resources.map((x) => [x.urn, x]));
    const ordered = [...byResource].sort((a, b) => mandatory(b[1]) - mandatory(a[1]));
    for (const [urn, ds] of ordered) {
        const res = byUrn.get(urn);
        lines.push(c("1", res ? `${res.type}  ${res.name}` : urn));
        for (const d of ds.sort(
            (a, b) => (a.enforcementLevel === "mandatory" ? 0 : 1) - (b.enforcementLevel === "mandatory" ? 0 : 1),
        )) {
            const level = d.enforcementLevel === "mandatory" ? c("31", "MANDATORY") : c("33", "advisory ");
            lines.push(`  ${level}  ${d.severity.padEnd(8)}  ${d.policyName}`);
            let text = d.message.split("\n").pop() ?? d.message;
            if (res && text.startsWith(`${res.type} "${res.name}": `))
                text = text.slice(`${res.type} "${res.name}": `.length);
            const [finding, rest] = text.split(". Why it matters: ");
            const fix = rest?.split(". Fix: ")[1];
            lines.push(`             ${finding}${rest === undefined ? "" : "."}`);
            if (fix) lines.push(c("2", `             fix: ${fix}`));
        }
        lines.push("");
    }
    const n = counts(r);
    const known = r.baseline
        ? ` not in the baseline (${r.baseline.known} known findings in ${r.baseline.file} not shown)`
        : "";
    const count = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
    lines.push(
        `${count(r.resources.length, "resource")} from ${r.inputs.map((i) => `${i.file} (${i.kind})`).join(", ")}: ` +
            `${n.mandatory} mandatory and ${count(n.advisory, "advisory finding")}${known} on ${count(byResource.size, "resource")}.`,
    );
    lines.push(...(r.notes ?? []));
    return lines.join("\n") + "\n";
}

export function json(r: ScanResult): string {
    return (
        JSON.stringify(
            {
                tool: { name: "kube-api-guard", version: r.packVersion },
                inputs: r.inputs,
                summary: {
                    resources: r.resources.length,
                    ...counts(r),
                    ...(r.baseline ? { knownInBaseline: r.baseline.known } : {}),
                },
                ...(r.baseline ? { baseline: r.baseline.file } : {}),
                ...(r.notes?.length ? { notes: r.notes } : {}),
                findings: r.diagnostics.map((d, i) => ({
                    policy: d.policyName,
                    enforcementLevel: d.enforcementLevel,
                    severity: d.severity,
                    resource: resourceOf(r, d),
                    message: d.message.split("\n").pop(),
                    ...(r.fingerprints ? { fingerprint: r.fingerprints[i] } : {}),
                })),
            },
            null,
            2,
        ) + "\n"
    );
}

const SARIF_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

export function sarif(r: ScanResult): string {
    const rules = RULES.map((rule) => ({
        id: rule.id,
        name: rule.id.replace(/(^|-)([a-z0-9])/g, (_m, _d, ch: string) => ch.toUpperCase()),
        shortDescription: { text: rule.title },
        fullDescription: { text: `${rule.title}: ${rule.why}.` },
        help: { text: rule.remediation, markdown: `${rule.remediation}\n\n[Reference](${rule.url})` },
        helpUri: rule.url,
        defaultConfiguration: { level: rule.enforcement === "mandatory" ? "error" : "warning" },
        properties: {
            tags: [...rule.tags, "security"],
            "security-severity": SARIF_SEVERITY[rule.severity],
            cis: rule.cis.map((c) => ({
                benchmark: `${BENCHMARKS[c.benchmark].name} ${BENCHMARKS[c.benchmark].version}`,
                id: c.id,
                title: controlTitle(c),
            })),
        },
    }));
    const index = new Map(rules.map((x, i) => [x.id, i]));
    const results = r.diagnostics.map((d, i) => ({
        ruleId: d.policyName,
        ...(index.has(d.policyName) ? { ruleIndex: index.get(d.policyName) } : {}),
        level: d.enforcementLevel === "mandatory" ? "error" : "warning",
        message: { text: d.message.split("\n").pop() ?? d.message },
        locations: [{ logicalLocations: [{ fullyQualifiedName: resourceOf(r, d), kind: "resource" }] }],
        ...(r.fingerprints ? { partialFingerprints: { [FINGERPRINT_KEY]: r.fingerprints[i] } } : {}),
        properties: { enforcementLevel: d.enforcementLevel, severity: d.severity },
    }));
    return (
        JSON.stringify(
            {
                $schema: "https://json.schemastore.org/sarif-2.1.0.json",
                version: "2.1.0",
                runs: [
                    {
                        tool: { driver: { name: "kube-api-guard", version: r.packVersion, rules } },
                        artifacts: r.inputs.map((i) => ({ location: { uri: i.file } })),
                        results,
                    },
                ],
            },
            null,
            2,
        ) + "\n"
    );
}

function xml(s: string): string {
    return (
        s
            .replace(
                /[<>&'"]/g,
                (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[ch]!,
            )
            // Characters XML 1.0 does not allow.
            .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "")
    );
}

/** One test suite per resource, one test case per policy that reported; mandatory findings are failures. */
export function junit(r: ScanResult): string {
    const byResource = new Map<string, Diagnostic[]>();
    for (const d of r.diagnostics) {
        const key = resourceOf(r, d);
        const list = byResource.get(key);
        if (list) list.push(d);
        else byResource.set(key, [d]);
    }
    const suites: string[] = [];
    for (const res of r.resources) {
        const urn = res.urn ?? res.name;
        const ds = byResource.get(urn) ?? [];
        const cases = ds.map((d) => {
            const body =
                d.enforcementLevel === "mandatory"
                    ? `<failure type="${xml(d.severity)}" message="${xml(d.policyName)}">${xml(d.message)}</failure>`
                    : `<system-out>${xml(`[advisory] ${d.message}`)}</system-out>`;
            return `    <testcase classname="${xml(res.type)}" name="${xml(d.policyName)}">${body}</testcase>`;
        });
        if (cases.length === 0) cases.push(`    <testcase classname="${xml(res.type)}" name="kube-api-guard"/>`);
        const failures = ds.filter((d) => d.enforcementLevel === "mandatory").length;
        suites.push(
            `  <testsuite name="${xml(urn)}" tests="${cases.length}" failures="${failures}" errors="0">\n${cases.join("\n")}\n  </testsuite>`,
        );
    }
    const n = counts(r);
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kube-api-guard" tests="${suites.length}" failures="${n.mandatory}">\n${suites.join("\n")}\n</testsuites>\n`;
}
