// Oracle Cloud (OCI) Container Engine for Kubernetes (OKE): where the Kubernetes API endpoint is reachable from.
import { Normalized, defaulted, explicit, undetermined, settingsOf } from "./model";
import { boolSetting, read } from "./props";

export const OKE_CLUSTER = "oci:ContainerEngine/cluster:Cluster";

/**
 * OKE: `endpointConfig` makes the cluster VCN-native, with its API endpoint in the given subnet; the endpoint has a
 * public IP only when `endpointConfig.isPublicIpEnabled` is true (default false). A cluster created without
 * `endpointConfig` is not VCN-native: its endpoint gets a public IP in Oracle's tenancy (OCI docs, "Kubernetes
 * Cluster Control Plane and Kubernetes API"; ClusterEndpointConfig in the Container Engine API). Who may reach a
 * public endpoint is decided by the subnet's security lists and the network security groups in
 * `endpointConfig.nsgIds`, which are other resources: that is said, not guessed.
 */
export function okeCluster(props: Record<string, unknown>): Normalized {
    const settings = settingsOf();
    const cfg = read(props, "endpointConfig");
    if (cfg.kind === "absent") {
        settings["cluster.publicEndpoint"] = defaulted(
            true,
            "endpointConfig (not set: not VCN-native, the endpoint has a public IP in Oracle's tenancy)",
        );
        settings["cluster.authorizedNetworks"] = defaulted(
            ["0.0.0.0/0"],
            "endpointConfig (not set: a non-VCN-native endpoint admits any address)",
        );
    } else {
        const pub = boolSetting(props, "endpointConfig.isPublicIpEnabled", false);
        settings["cluster.publicEndpoint"] =
            pub.state === "default"
                ? defaulted(false, "endpointConfig.isPublicIpEnabled (not set: private endpoint in the subnet)")
                : pub.state === "explicit"
                  ? explicit(pub.value, "endpointConfig.isPublicIpEnabled")
                  : pub;
        settings["cluster.authorizedNetworks"] = undetermined(
            "endpointConfig.nsgIds and the endpoint subnet's security lists",
            "decide which addresses reach the public endpoint, and are separate resources this check does not join",
        );
    }
    return { subjects: [{ component: "cluster", platform: "oke", location: "", settings }], notes: [] };
}
