// Linode (Akamai) LKE: the control plane's public endpoint and its access control list.
import { Normalized, Setting, defaulted, explicit, unknown, settingsOf } from "./model";
import { UNKNOWN, Maybe, boolSetting, isRecord, isUnknownValue, read } from "./props";

export const LKE_CLUSTER = "linode:index/lkeCluster:LkeCluster";

/**
 * LKE serves the Kubernetes API on a public endpoint. `controlPlane.acl` limits who reaches it: `enabled: true`
 * makes the default policy DENY and admits only `addresses[].ipv4s/ipv6s`; `enabled: false` (its default, also what
 * deleting the ACL does) admits any address (Linode API, "Update the control plane access control list" and
 * "Delete the control plane access control list"; linode_api4 LKEClusterControlPlaneACL.enabled = False).
 */
export function lkeCluster(props: Record<string, unknown>): Normalized {
    const settings = settingsOf();
    settings["cluster.publicEndpoint"] = defaulted(true, "the LKE API endpoint (always public)");
    settings["cluster.authorizedNetworks"] = acl(props);
    return { subjects: [{ component: "cluster", platform: "lke", location: "", settings }], notes: [] };
}

const ANY = ["0.0.0.0/0", "::/0"];

function acl(props: Record<string, unknown>): Setting {
    const a = read(props, "controlPlane.acl");
    if (a.kind === "unknown") return unknown("controlPlane.acl");
    if (a.kind === "absent") return defaulted(ANY, "controlPlane.acl (not set: no ACL, any address)");
    const enabled = boolSetting(props, "controlPlane.acl.enabled", false);
    if (enabled.state === "unknown" || enabled.state === "invalid") return enabled;
    if (enabled.value !== true) {
        return enabled.state === "explicit"
            ? { ...explicit(ANY, "controlPlane.acl.enabled"), shown: "false (ACL off: any address)" }
            : defaulted(ANY, "controlPlane.acl.enabled (not set: false, the ACL is off and admits any address)");
    }
    const where = "controlPlane.acl.addresses";
    const list = read(props, "controlPlane.acl.addresses");
    if (list.kind === "unknown") return unknown(where);
    if (list.kind === "absent") return explicit([], `${where} (not set: the ACL admits no address)`);
    const entries = Array.isArray(list.value) ? list.value : [list.value];
    const out: Maybe<string>[] = [];
    for (const e of entries.slice(0, 1000)) {
        if (isUnknownValue(e)) {
            out.push(UNKNOWN);
            continue;
        }
        if (!isRecord(e)) return { state: "invalid", where };
        for (const key of ["ipv4s", "ipv6s"]) {
            const v = e[key];
            if (v === undefined || v === null) continue;
            if (isUnknownValue(v)) {
                out.push(UNKNOWN);
                continue;
            }
            if (!Array.isArray(v)) return { state: "invalid", where };
            for (const x of v.slice(0, 1000)) out.push(isUnknownValue(x) ? UNKNOWN : String(x));
        }
    }
    return explicit(out, where);
}
