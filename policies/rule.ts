// What a rule is. Rules are data: one record per setting, judged by one evaluator (policies/evaluator.ts).
// Code appears only where data cannot express the logic (CIDR exposure, ...), as a small predicate
// with the same metadata record.
import type { Component, Setting, SettingKey, Subject } from "../providers/model";

export type Severity = "low" | "medium" | "high" | "critical";
export type Enforcement = "advisory" | "mandatory";
export type Platform = Subject["platform"];

/** CIS benchmarks the pack maps to; ids are section numbers such as "4.2.4". */
export type Benchmark =
    | "cis-kubernetes-2.0"
    | "cis-kubernetes-2.1"
    | "cis-eks-2.0"
    | "cis-kubernetes-1.12"
    | "cis-eks-1.7"
    | "cis-gke-1.6"
    | "cis-gke-1.9"
    | "cis-aks-1.7"
    | "cis-aks-1.8";
export interface CisRef {
    benchmark: Benchmark;
    id: string;
}

/** Operators of the evaluator. */
export type Op =
    | "eq"
    | "noteq" // value equals / differs from `value`
    | "gte"
    | "lte" // numeric comparison with `value`
    | "has"
    | "nothave" // list (or comma-separated string) contains / lacks `value`
    | "hasAll" // list contains every item of `value`
    | "set"
    | "unset" // a non-empty value is present / absent
    | "matches"; // string matches the regular expression `value`

interface RuleMeta {
    /** CrossGuard policy name: component + setting + expectation, kebab-case. */
    id: string;
    /** One line, shown as the policy description. */
    title: string;
    component: Component;
    /** Only these platforms (default: every platform that yields the setting). */
    platforms?: Platform[];
    severity: Severity;
    /** Default enforcement: mandatory for direct exposure, advisory for defence in depth. */
    enforcement: Enforcement;
    cis: CisRef[];
    /** Why the setting matters, one sentence for violation messages. */
    why: string;
    /** The fix, a sentence (CrossGuard's remediationSteps, naming every platform). */
    remediation: string;
    /**
     * The fix in the terms of one provider, keyed by the type token's package (`aws`, `aws-native`, `gcp`,
     * `azure-native`, `azure`, `digitalocean`, `linode`, `oci`) or by a component's type token (`eks:index:Cluster`)
     * for resources that component creates. Messages use it instead of `remediation` where it has the key.
     */
    fix?: Record<string, string>;
    url: string;
    tags: string[];
    /**
     * Kubernetes minor versions in which the setting exists (inclusive). With `whenUnknown: "skip"` the rule is
     * judged only when the program states a version (for requirements that only make sense on old versions).
     */
    versions?: { since?: number; until?: number; whenUnknown?: "judge" | "skip" };
    /** Extra configuration this rule accepts beyond exemptions: CIDR limits, or ports and CIDR limits. */
    knobs?: "cidrs" | "ports";
    /** Also judged in AnalyzeStack, over subjects that join resources of the stack (providers/stack.ts). */
    stack?: boolean;
}

export interface SettingRule extends RuleMeta {
    kind: "setting";
    setting: SettingKey;
    op: Op;
    value?: unknown;
    /** The expected state in words, for messages: "false", "0", "LIMITED". */
    expected: string;
}

/** The outcome of judging one subject. */
export type Outcome =
    | { verdict: "pass" }
    | { verdict: "fail"; setting: Setting; detail: string }
    | { verdict: "unknown"; setting: Setting; detail: string }
    | { verdict: "n/a" };

export interface RuleContext {
    /** CIDRs the user always accepts (config `allowedCidrs`). */
    allowedCidrs: string[];
    /** Prefixes broader than these are too broad for a public endpoint. */
    minimumPrefixLength: { ipv4: number; ipv6: number };
    /** Control-plane ports watched in network rules (config `ports`). */
    ports: [number, number][];
}

export interface CheckRule extends RuleMeta {
    kind: "check";
    /** Settings the predicate reads; a subject without any of them is not applicable. */
    settings: SettingKey[];
    check(subject: Subject, ctx: RuleContext): Outcome;
}

export type Rule = SettingRule | CheckRule;
