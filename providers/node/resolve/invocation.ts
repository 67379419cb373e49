// An invocation: one component as the node starts it (binary, argv, environment), plus what a distribution
// says about it (the config file its image ships, documents it renders). The resolver's distribution modules
// and the systemd/shell/container readers produce these; resolve/components.ts turns each into settings.
import type { SettingKey, Subject } from "../../model";
import type { ComponentSpec } from "../catalogue";
import type { Arg } from "../model";
import type { UndeterminedFlag } from "./kubeadm-args";

export interface EnvValue {
    value: string;
    from: string;
}

export interface Invocation {
    spec: ComponentSpec;
    /** Arguments after the binary (and the hyperkube subcommand). */
    args: Arg[];
    env: Map<string, EnvValue>;
    /** The environment may hold variables the pack cannot see (envFrom, valueFrom, an unknown env file). */
    envUnknown?: boolean;
    /** Where it is started, for messages: "user data, line 4", "…(kubelet.service drop-in 20-x.conf), ExecStart (line 3)". */
    at: string;
    /** What provenance starts with, when not `at` (flags gathered from several files carry their own origin). */
    label?: string;
    /** The subject's location (a container), empty for the resource itself. */
    location?: string;
    minor?: number;
    /** What a distribution's config file holds before the user's settings (EKS AMI, nodeadm, Bottlerocket, kubeadm). */
    base?: { doc: Record<string, unknown>; why: string; notApplicable?: SettingKey[] };
    /** Config documents the distribution passes to the component, in order (nodeadm spec.kubelet.config). */
    docs?: { doc: unknown; at: string }[];
    /** Settings a distribution sets directly (Bottlerocket settings.kubernetes.*). */
    values?: { key: SettingKey; value: unknown; where: string }[];
    /** Why the component runs with a config file even without --config. */
    configWhy?: string;
    /** Flags whose value the program does not decide (kubeadm's ordering of repeated extraArgs). */
    undetermined?: UndeterminedFlag[];
    /** Settings that do not apply to the component as the distribution runs it (the rules that judge them say nothing). */
    omit?: SettingKey[];
    /**
     * The configuration this invocation was merged from is only partly known (a Talos machine configuration that
     * is a preview output, with patches the program states): settings other than `known` are judged at update.
     */
    unknownBase?: { where: string; known: SettingKey[] };
}

export function envOf(map: Map<string, string>, from: string): Map<string, EnvValue> {
    const out = new Map<string, EnvValue>();
    for (const [k, v] of map) out.set(k, { value: v, from: `$${k} ${from}` });
    return out;
}

export type Platform = Subject["platform"];
