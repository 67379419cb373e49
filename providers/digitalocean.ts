// DigitalOcean Kubernetes (DOKS): the control plane's public endpoint and its firewall.
import { Normalized, Setting, defaulted, settingsOf } from "./model";
import { boolSetting, read, stringListSetting } from "./props";

export const DOKS_CLUSTER = "digitalocean:index/kubernetesCluster:KubernetesCluster";

/**
 * DOKS serves the Kubernetes API on a public endpoint; `controlPlaneFirewall` ({ enabled, allowedAddresses }) limits
 * who reaches it, and is off unless enabled (DigitalOcean docs, "How to Add a Control Plane Firewall"; the
 * provider's KubernetesClusterControlPlaneFirewall). There is no private-only endpoint to switch to.
 */
export function doksCluster(props: Record<string, unknown>): Normalized {
    const settings = settingsOf();
    settings["cluster.publicEndpoint"] = defaulted(true, "the DOKS API endpoint (always public)");
    settings["cluster.authorizedNetworks"] = firewall(props);
    return { subjects: [{ component: "cluster", platform: "doks", location: "", settings }], notes: [] };
}

function firewall(props: Record<string, unknown>): Setting {
    const fw = read(props, "controlPlaneFirewall");
    if (fw.kind === "absent")
        return defaulted(["0.0.0.0/0", "::/0"], "controlPlaneFirewall (not set: the firewall is off, any address)");
    const enabled = boolSetting(props, "controlPlaneFirewall.enabled", false);
    if (enabled.state === "unknown" || enabled.state === "invalid") return enabled;
    if (enabled.value !== true) {
        return {
            ...enabled,
            value: ["0.0.0.0/0", "::/0"],
            shown: `${String(enabled.value)} (firewall off: any address)`,
        };
    }
    return stringListSetting(
        props,
        "controlPlaneFirewall.allowedAddresses",
        [],
        "controlPlaneFirewall.allowedAddresses",
    );
}
