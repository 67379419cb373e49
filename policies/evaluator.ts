// The one evaluator: operators for data rules, version scoping, and the unknown/invalid states.
import type { Subject } from "../providers/model";
import { UNKNOWN } from "../providers/props";
import type { Op, Outcome, Rule, RuleContext } from "./rule";

function asList(v: unknown): unknown[] | undefined {
    if (Array.isArray(v)) return v;
    if (typeof v === "string")
        return v
            .split(",")
            .map((s) => s.trim())
            .filter((s) => s !== "");
    return undefined;
}

function asNumber(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
    return undefined;
}

function present(v: unknown): boolean {
    if (v === undefined || v === null || v === false) return false;
    if (typeof v === "string") return v.trim() !== "";
    if (Array.isArray(v)) return v.length > 0;
    return true;
}

function same(a: unknown, b: unknown): boolean {
    if (typeof b === "number") return asNumber(a) === b;
    if (typeof b === "boolean") return a === b;
    return a === b;
}

/**
 * Applies an operator. Returns true when the actual value meets the expectation, false when it does not,
 * and undefined when the value contains an unknown element that decides the outcome.
 */
export function applyOp(op: Op, actual: unknown, expected: unknown): boolean | undefined {
    switch (op) {
        case "eq":
            return same(actual, expected);
        case "noteq":
            return !same(actual, expected);
        case "gte": {
            const n = asNumber(actual);
            return n !== undefined && n >= (expected as number);
        }
        case "lte": {
            const n = asNumber(actual);
            return n !== undefined && n <= (expected as number);
        }
        case "set":
            return present(actual);
        case "unset":
            return !present(actual);
        case "matches":
            return typeof actual === "string" && new RegExp(expected as string).test(actual);
        case "has":
        case "nothave":
        case "hasAll": {
            const list = asList(actual) ?? [];
            const wanted = op === "hasAll" ? (expected as unknown[]) : [expected];
            const missing = wanted.filter((w) => !list.includes(w));
            const hasUnknown = list.includes(UNKNOWN);
            if (op === "nothave") {
                if (missing.length === 0) return false;
                return hasUnknown ? undefined : true;
            }
            if (missing.length === 0) return true;
            return hasUnknown ? undefined : false;
        }
    }
}

export function inVersionRange(rule: Rule, subject: Subject): boolean {
    const v = subject.kubernetesMinor;
    if (!rule.versions) return true;
    if (v === undefined) return rule.versions.whenUnknown !== "skip";
    if (rule.versions.since !== undefined && v < rule.versions.since) return false;
    if (rule.versions.until !== undefined && v > rule.versions.until) return false;
    return true;
}

/** Judges one subject with one rule. */
export function judge(rule: Rule, subject: Subject, ctx: RuleContext): Outcome {
    if (subject.component !== rule.component) return { verdict: "n/a" };
    if (rule.platforms && !rule.platforms.includes(subject.platform)) return { verdict: "n/a" };
    if (!inVersionRange(rule, subject)) return { verdict: "n/a" };
    if (rule.kind === "check") {
        if (!rule.settings.some((k) => k in subject.settings)) return { verdict: "n/a" };
        return rule.check(subject, ctx);
    }
    const setting = subject.settings[rule.setting];
    if (!setting) return { verdict: "n/a" };
    if (setting.state === "unknown") {
        return {
            verdict: "unknown",
            setting,
            detail: setting.reason ?? "is not known until the resources it depends on exist",
        };
    }
    if (setting.state === "invalid") {
        return {
            verdict: "unknown",
            setting,
            detail: "has a value of a type or form this carrier does not accept, so it cannot be judged",
        };
    }
    const ok = applyOp(rule.op, setting.value, rule.value);
    if (ok === true) return { verdict: "pass" };
    if (ok === undefined)
        return {
            verdict: "unknown",
            setting,
            detail: "contains values not known until the resources they depend on exist",
        };
    return { verdict: "fail", setting, detail: `expected ${rule.expected}` };
}
