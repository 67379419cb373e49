// Findings CI can track across runs: a fingerprint per finding (SARIF partialFingerprints, JSON `fingerprint`), and
// a baseline file that lists the findings already known, so that `--baseline FILE` reports only new ones.
//
// A fingerprint depends only on what the finding is: the policy, the resource URN and the finding itself (the
// setting, where it was found and its value: the message up to "Why it matters"), never on the input file, the
// order of resources, the run or the advice text, so it stays the same from run to run and across pack versions
// that only reword the advice.
import { createHash } from "crypto";
import * as fs from "fs";
import { InputError } from "./inputs";

export const FINGERPRINT_KEY = "kubeApiGuardFinding/v1";
const BASELINE_VERSION = 1;

export interface Fingerprinted {
    policy: string;
    resource: string;
    message: string;
}

/** The part of a message that identifies the finding. */
function findingText(message: string): string {
    const last = message.split("\n").pop() ?? message;
    const why = last.indexOf(". Why it matters: ");
    return (why >= 0 ? last.slice(0, why) : last).replace(/\s+/g, " ").trim();
}

export function fingerprint(f: Fingerprinted): string {
    return createHash("sha256")
        .update(`${f.policy}\n${f.resource}\n${findingText(f.message)}`)
        .digest("hex")
        .slice(0, 32);
}

export interface BaselineEntry {
    fingerprint: string;
    policy: string;
    resource: string;
}

export interface Baseline {
    version: number;
    tool: string;
    findings: BaselineEntry[];
}

export function readBaseline(file: string): Set<string> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(
            `--baseline ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"}); ` +
                "create it with --write-baseline",
        );
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch {
        throw new InputError(`--baseline ${file}: is not JSON; create it with --write-baseline`);
    }
    const b = doc as Partial<Baseline>;
    if (typeof doc !== "object" || doc === null || b.tool !== "kube-api-guard" || !Array.isArray(b.findings)) {
        throw new InputError(`--baseline ${file}: is not a kube-api-guard baseline (written by --write-baseline)`);
    }
    if (b.version !== BASELINE_VERSION) {
        throw new InputError(
            `--baseline ${file}: baseline version ${String(b.version)} is not supported (expected ${BASELINE_VERSION})`,
        );
    }
    return new Set(
        b.findings
            .map((f) => (f as Partial<BaselineEntry>)?.fingerprint)
            .filter((x): x is string => typeof x === "string"),
    );
}

export function baselineText(findings: BaselineEntry[]): string {
    const sorted = [...findings].sort(
        (a, b) =>
            a.resource.localeCompare(b.resource) ||
            a.policy.localeCompare(b.policy) ||
            a.fingerprint.localeCompare(b.fingerprint),
    );
    const unique = sorted.filter((f, i) => i === 0 || f.fingerprint !== sorted[i - 1].fingerprint);
    const b: Baseline = { version: BASELINE_VERSION, tool: "kube-api-guard", findings: unique };
    return JSON.stringify(b, null, 2) + "\n";
}
