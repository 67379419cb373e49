// Node-stage entry points for carriers that hold a distribution's own configuration rather than a node's boot
// data: a Talos machine configuration with its patches, a Rancher cluster's RKE2/k3s config. Each becomes a node
// model (a settings record, config files) that the resolver's distribution modules read like any other node.
import type { Normalized } from "../model";
import { UNKNOWN, isUnknownValue } from "../props";
import { parseDocuments } from "./decode/documents";
import { LIMITS } from "./limits";
import { NodeModel, UNKNOWN_MARK } from "./model";
import { resolveNode } from "./resolve";
import { deepMerge, jsonPatch } from "./resolve/distros";
import type { Distro } from "./resolve/distros/k3s-config";
import { configPath } from "./resolve/distros/k3s-config";

const NOT_KNOWN = "is not known until the resources it depends on exist; it is inspected when the update runs";

function obj(v: unknown): Record<string, unknown> | undefined {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The v1alpha1 document of a Talos configuration stream (other documents have a `kind`). */
function v1alpha1(text: string, where: string, model: NodeModel): Record<string, unknown> | undefined {
    const parsed = parseDocuments(text);
    if (parsed.error) model.note(where, `${parsed.error}; not inspected`);
    for (const d of parsed.docs) {
        const o = obj(d.value);
        if (o && (o.version === "v1alpha1" || (o.kind === undefined && (o.machine || o.cluster)))) return o;
    }
    return undefined;
}

/**
 * @pulumiverse/talos ConfigurationApply: `machineConfigurationInput` (the machine configuration YAML, usually the
 * output of talos.machine.getConfiguration) with `configPatches` applied in order: strategic merge patches (YAML
 * or JSON documents) and RFC 6902 JSON patches (a list of operations), as Talos's configpatcher loads them.
 * An input that is a preview output leaves only what the patches set known; an unknown patch, everything before it.
 */
export function readTalosConfiguration(input: unknown, patches: unknown): Normalized {
    const model = new NodeModel();
    const at = "machine configuration (machineConfigurationInput with configPatches)";
    let config: Record<string, unknown> = {};
    let unknownBase: string | undefined;
    if (typeof input === "string" && !isUnknownValue(input)) {
        const doc = v1alpha1(input, "machineConfigurationInput", model);
        if (doc) config = doc;
        else unknownBase = "machineConfigurationInput (no v1alpha1 machine configuration in it)";
    } else {
        unknownBase = "machineConfigurationInput";
        model.note("machineConfigurationInput", NOT_KNOWN);
    }
    const list = isUnknownValue(patches) ? undefined : Array.isArray(patches) ? patches : [];
    if (list === undefined) {
        model.note("configPatches", NOT_KNOWN);
        config = {};
        unknownBase = "configPatches";
    }
    (list ?? []).slice(0, LIMITS.maxParts).forEach((p, i) => {
        const where = `configPatches[${i}]`;
        if (typeof p !== "string" || isUnknownValue(p)) {
            model.note(where, NOT_KNOWN);
            config = {};
            unknownBase = where;
            return;
        }
        const parsed = parseDocuments(p);
        if (parsed.error) model.note(where, `${parsed.error}; not inspected`);
        for (const d of parsed.docs) {
            if (Array.isArray(d.value)) config = jsonPatch(config, d.value);
            else if (obj(d.value) && (obj(d.value)!.kind === undefined || obj(d.value)!.version === "v1alpha1"))
                config = deepMerge(config, obj(d.value)!);
        }
    });
    model.settings.push({ kind: "talos", settings: config, at, unknownBase });
    return resolveNode(model);
}

/** Rancher's distribution from a kubernetesVersion (`v1.30.4+rke2r1`, `v1.30.4+k3s1`). */
export function distroOf(version: unknown): Distro | undefined {
    if (typeof version !== "string" || version.length > 64) return undefined;
    if (version.includes("+rke2")) return "rke2";
    if (version.includes("+k3s")) return "k3s";
    return undefined;
}

export interface RancherConfig {
    /** The YAML text, or UNKNOWN when it is a preview output. */
    text: unknown;
    where: string;
}

/**
 * A Rancher-provisioned RKE2 or k3s node: `rkeConfig.machineGlobalConfig` as its config.yaml and the
 * machineSelectorConfigs that apply to it as drop-ins in order, started as a server (the control plane the
 * cluster has; its kubelet settings are every node's).
 */
export function readRancherNode(
    distro: Distro,
    version: string | undefined,
    global: RancherConfig | undefined,
    selectors: RancherConfig[],
    at: string,
): Normalized {
    const model = new NodeModel();
    const write = (path: string, c: RancherConfig) => {
        if (c.text === UNKNOWN) model.write(path, UNKNOWN_MARK, `${c.where} (not known until the update runs)`);
        else if (typeof c.text === "string") model.write(path, c.text, c.where);
        else if (c.text !== undefined && c.text !== null) model.note(c.where, "is not a string; not inspected");
    };
    if (global) write(configPath(distro), global);
    selectors.forEach((c, i) => write(`${configPath(distro)}.d/${String(i + 10).padStart(3, "0")}-selector.yaml`, c));
    const env = new Map<string, string>();
    if (version) env.set(distro === "k3s" ? "INSTALL_K3S_VERSION" : "INSTALL_RKE2_VERSION", version);
    model.tools.push({ tool: distro, argv: [{ text: distro }, { text: "server" }], env, at, seq: model.next() });
    return resolveNode(model);
}
