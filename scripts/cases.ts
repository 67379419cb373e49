// Runs reference case files (kept outside this repository) against the pack through the engine protocol:
//   node bin/scripts/cases.js [DIR ...]      (default: ../shared/cases)
// Each case: every resource sent to Analyze, all of them once to AnalyzeStack with their captured dependencies
// (`dependsOn`/`propertyDependsOn`, as the engine sends them); an expectation's `policy`
// regex is matched against the names of policies that reported. Scores `ours` over `verdict`; skips `contested`.
import * as fs from "fs";
import * as path from "path";
import { AnalyzerClient, Diagnostic, urnFor } from "../client/analyzer";

interface Expect {
    policy: string;
    verdict: "violation" | "pass";
    ours?: "violation" | "pass";
    contested?: boolean;
}
interface CaseResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
    parent?: string;
    /** Captured RegisterResource dependencies, as `type::name`. */
    dependsOn?: string[];
    propertyDependsOn?: Record<string, string[]>;
}
interface Case {
    id: string;
    resources: CaseResource[];
    expect: Expect[];
}

/** A captured `type::name` reference as the URN the engine would send (a type token never contains "::"). */
function urnOf(ref: string): string {
    const i = ref.indexOf("::");
    return i < 0 ? ref : urnFor(ref.slice(0, i), ref.slice(i + 2));
}

/** The resource as the engine sends it: URN, parent, dependencies and property dependencies resolved to URNs. */
function engineResource(r: CaseResource) {
    const deps = Array.isArray(r.dependsOn) ? r.dependsOn.map(urnOf) : [];
    const propertyDependencies: Record<string, string[]> = {};
    for (const [k, refs] of Object.entries(r.propertyDependsOn ?? {})) {
        if (Array.isArray(refs)) propertyDependencies[k] = refs.map(urnOf);
    }
    return {
        type: r.type,
        name: r.name,
        props: r.props,
        urn: urnFor(r.type, r.name),
        parent: typeof r.parent === "string" ? (r.parent.startsWith("urn:") ? r.parent : urnOf(r.parent)) : undefined,
        dependencies: deps,
        propertyDependencies,
    };
}

function files(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? files(p) : e.name.endsWith(".json") ? [p] : [];
    });
}

async function main() {
    const dirs = process.argv.slice(2);
    const roots = dirs.length ? dirs : [path.resolve(__dirname, "../../../shared/cases")];
    const packDir = path.resolve(__dirname, "../..");
    const client = await AnalyzerClient.start(packDir);
    let pass = 0,
        fail = 0,
        skipped = 0;
    const failures: string[] = [];
    try {
        for (const f of roots.flatMap(files)) {
            const c = JSON.parse(fs.readFileSync(f, "utf8")) as Case;
            if (!Array.isArray(c.resources) || !Array.isArray(c.expect)) continue;
            const diags: Diagnostic[] = [];
            const resources = c.resources.map(engineResource);
            for (const r of resources) diags.push(...(await client.analyze(r)));
            diags.push(...(await client.analyzeStack(resources)));
            const fired = [...new Set(diags.map((d) => d.policyName))];
            for (const e of c.expect) {
                if (e.contested) {
                    skipped++;
                    continue;
                }
                const want = e.ours ?? e.verdict;
                const re = new RegExp(e.policy, "i");
                const got = fired.some((n) => re.test(n)) ? "violation" : "pass";
                if (got === want) pass++;
                else {
                    fail++;
                    failures.push(
                        `${c.id}: /${e.policy}/ expected ${want}, got ${got} (fired: ${fired.join(", ") || "none"})`,
                    );
                }
            }
        }
    } finally {
        await client.stop();
    }
    for (const l of failures) console.log("FAIL " + l);
    console.log(`cases: ${pass} passed, ${fail} failed, ${skipped} contested (not scored)`);
}

main().catch((e) => {
    console.error(e);
    process.exit(2);
});
