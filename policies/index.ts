// Every rule of the pack, in the order they are registered.
import { ACCESS_RULES } from "./access";
import { APISERVER_RULES } from "./apiserver";
import { CLUSTER_RULES } from "./cluster";
import { CONTROL_PLANE_RULES } from "./controlplane";
import { EKS_ACCESS_RULES } from "./eks-access";
import { ETCD_RULES } from "./etcd";
import { KUBELET_RULES } from "./kubelet";
import { withCurrentCis } from "./cis";
import type { Rule } from "./rule";

/** Every rule, its CIS references moved to the current benchmarks (policies/cis.ts: older ids become alias tags). */
export const RULES: readonly Rule[] = [
    ...CLUSTER_RULES,
    ...APISERVER_RULES,
    ...CONTROL_PLANE_RULES,
    ...ETCD_RULES,
    ...KUBELET_RULES,
    ...ACCESS_RULES,
    ...EKS_ACCESS_RULES,
].map(withCurrentCis);

export { judge } from "./evaluator";
export type { Rule, RuleContext, Outcome, Severity, Enforcement, CisRef } from "./rule";
export { BENCHMARKS, controlTitle } from "./cis";
