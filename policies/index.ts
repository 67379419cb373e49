// Every rule of the pack, in the order they are registered.
import { CLUSTER_RULES } from "./cluster";
import { KUBELET_RULES } from "./kubelet";
import type { Rule } from "./rule";

export const RULES: readonly Rule[] = [...CLUSTER_RULES, ...KUBELET_RULES];

export { judge } from "./evaluator";
export type { Rule, RuleContext, Outcome, Severity, Enforcement, CisRef } from "./rule";
export { BENCHMARKS, controlTitle } from "./cis";
