// @pulumi/rancher2 ClusterV2: an RKE2 or k3s cluster Rancher provisions. rkeConfig.machineGlobalConfig (a YAML
// string of RKE2/k3s config keys) is every node's config.yaml; machineSelectorConfigs[].config apply to the
// machines their machineLabelSelector matches (all machines without one), over it, in order. kubernetesVersion
// says which distribution (v1.30.4+rke2r1, v1.30.4+k3s1).
import type { Normalized } from "./model";
import { pastDeadline } from "./budget";
import { LIMITS } from "./node/limits";
import { UNKNOWN, isUnknownValue, read } from "./props";
import { distroOf, readRancherNode, type RancherConfig } from "./node/distributions";

export const RANCHER_CLUSTER_V2 = "rancher2:index/clusterV2:ClusterV2";

const MAX_SELECTOR_VIEWS = 8;

function merge(all: Normalized[]): Normalized {
    const seen = new Set<string>();
    const subjects = all
        .flatMap((n) => n.subjects)
        .filter((s) => {
            const key = JSON.stringify(s);
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
        });
    const notes = all
        .flatMap((n) => n.notes)
        .filter((x, i, a) => a.findIndex((y) => y.where === x.where && y.reason === x.reason) === i);
    return { subjects, notes };
}

export function rancherClusterV2(props: Record<string, unknown>): Normalized {
    const rke = read(props, "rkeConfig");
    if (rke.kind !== "value") return { subjects: [], notes: [] };
    const v = read(props, "kubernetesVersion");
    const version = v.kind === "value" && typeof v.value === "string" ? v.value : undefined;
    let distro = distroOf(version);
    const notes: Normalized["notes"] = [];
    if (!distro) {
        // Both distributions read the same config keys; k3s adds fewer defaults of its own (no implied secrets
        // encryption), so it is the one that never credits a setting the cluster may lack.
        notes.push({
            where: "kubernetesVersion",
            reason: `${v.kind === "unknown" ? "is not known until the update runs" : "does not say rke2 or k3s"}; the RKE2/k3s configuration is judged with k3s's defaults`,
        });
        distro = "k3s";
    }
    const global = read(props, "rkeConfig.machineGlobalConfig");
    const at = `rkeConfig (Rancher-provisioned ${distro === "rke2" ? "RKE2" : "k3s"}${version ? ` ${version}` : ""})`;
    const g: RancherConfig | undefined =
        global.kind === "absent"
            ? undefined
            : { text: global.kind === "value" ? global.value : UNKNOWN, where: "rkeConfig.machineGlobalConfig" };
    const sel = read(props, "rkeConfig.machineSelectorConfigs");
    const all: RancherConfig[] = [];
    const labelled: RancherConfig[] = [];
    if (sel.kind === "unknown") all.push({ text: UNKNOWN, where: "rkeConfig.machineSelectorConfigs" });
    else if (sel.kind === "value" && Array.isArray(sel.value)) {
        sel.value.slice(0, 64).forEach((x, i) => {
            const o = typeof x === "object" && x !== null ? (x as Record<string, unknown>) : {};
            if (o.config === undefined || o.config === null) return;
            const c = {
                text: isUnknownValue(o.config) ? UNKNOWN : o.config,
                where: `rkeConfig.machineSelectorConfigs[${i}].config`,
            };
            const selector = o.machineLabelSelector;
            const hasSelector =
                typeof selector === "object" &&
                selector !== null &&
                Object.values(selector).some((y) =>
                    Array.isArray(y)
                        ? y.length > 0
                        : y !== undefined &&
                          y !== null &&
                          !(typeof y === "object" && Object.keys(y as object).length === 0),
                );
            (hasSelector ? labelled : all).push(c);
        });
    }
    const views = [readRancherNode(distro, version, g, all, at)];
    // Each selector is a node view that reads machineGlobalConfig again: a bounded number of them, and no more
    // than about two limits' worth of YAML in all.
    const size = typeof g?.text === "string" ? g.text.length : 0;
    const max = Math.min(MAX_SELECTOR_VIEWS, Math.floor((2 * LIMITS.maxTextBytes) / Math.max(size, 1)));
    if (labelled.length > max)
        notes.push({
            where: "rkeConfig.machineSelectorConfigs",
            reason: `more than ${max} configs with a machineLabelSelector (with this machineGlobalConfig); the rest were not inspected`,
        });
    for (const l of labelled.slice(0, max)) {
        if (pastDeadline()) break;
        views.push(
            readRancherNode(
                distro,
                version,
                g,
                [...all, l],
                `${at}, machines matching ${l.where.replace(".config", ".machineLabelSelector")}`,
            ),
        );
    }
    const n = merge(views);
    return { subjects: n.subjects, notes: [...notes, ...n.notes] };
}
