// GCP: GKE clusters and node pools. (Compute Engine user data and startup scripts: see providers/nodes.)
import { Normalized, Setting, Subject, defaulted, explicit, invalid, unknown } from "./model";
import { RuleInput, portRanges, ruleSubject, sourceList } from "./network";
import { UNKNOWN, boolSetting, isRecord, isUnknownValue, read, stringListSetting, stringSetting } from "./props";
import { readCarrier } from "./node";

export const GKE_CLUSTER = "gcp:container/cluster:Cluster";
export const GKE_NODE_POOL = "gcp:container/nodePool:NodePool";

const ANY_ADDRESS = ["0.0.0.0/0", "::/0"];

export function gkeCluster(props: Record<string, unknown>): Normalized {
    const autopilot = boolSetting(props, "enableAutopilot", false);
    const isAutopilot = autopilot.value === true;
    const cluster: Subject["settings"] = {};

    cluster["cluster.publicEndpoint"] = gkePublicEndpoint(props);
    const man = read(props, "masterAuthorizedNetworksConfig");
    if (man.kind === "unknown") {
        cluster["cluster.authorizedNetworks"] = unknown("masterAuthorizedNetworksConfig");
    } else if (man.kind === "absent") {
        cluster["cluster.authorizedNetworks"] = defaulted(ANY_ADDRESS, "masterAuthorizedNetworksConfig (not set: any address)");
    } else {
        cluster["cluster.authorizedNetworks"] = stringListSetting(
            props, "masterAuthorizedNetworksConfig.cidrBlocks", [], "masterAuthorizedNetworksConfig.cidrBlocks", "cidrBlock");
        cluster["cluster.cloudPublicRangesAllowed"] = boolSetting(props, "masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled", false);
    }

    cluster["cluster.clientCertificate"] = boolSetting(props, "masterAuth.clientCertificateConfig.issueClientCertificate", false);
    // anonymousAuthenticationConfig.mode: ENABLED unless set to LIMITED (health endpoints only).
    cluster["cluster.anonymousAuthentication"] = stringSetting(props, "anonymousAuthenticationConfig.mode", "ENABLED");
    // Without rbacBindingConfig GKE accepts bindings to system:unauthenticated / system:authenticated.
    cluster["cluster.insecureBindingUnauthenticated"] = boolSetting(props, "rbacBindingConfig.enableInsecureBindingSystemUnauthenticated", true);
    cluster["cluster.insecureBindingAuthenticated"] = boolSetting(props, "rbacBindingConfig.enableInsecureBindingSystemAuthenticated", true);
    cluster["cluster.legacyAbac"] = boolSetting(props, "enableLegacyAbac", false);
    cluster["cluster.controlPlaneLogs"] = gkeControlPlaneLogs(props);
    cluster["cluster.secretsEncryption"] = gkeSecretsEncryption(props);

    const subjects: Subject[] = [{ component: "cluster", platform: "gke", location: "", settings: cluster }];

    // Node-level settings: the default node pool (nodeConfig), defaults for new pools, and Autopilot's auto config.
    const nodes: Subject["settings"] = {};
    const keepsDefaultPool = !isAutopilot && boolSetting(props, "removeDefaultNodePool", false).value !== true;
    if (isAutopilot) {
        nodes["nodepool.workloadMetadataMode"] = explicit("GKE_METADATA", "enableAutopilot (Autopilot always uses the GKE metadata server)");
        nodes["nodepool.privateNodes"] = boolSetting(props, "privateClusterConfig.enablePrivateNodes", false);
    } else if (keepsDefaultPool) {
        nodes["nodepool.workloadMetadataMode"] = workloadMetadataMode(props, "nodeConfig.workloadMetadataConfig.mode",
            read(props, "workloadIdentityConfig.workloadPool").kind === "absent" ? undefined : "workloadIdentityConfig");
        nodes["nodepool.privateNodes"] = boolSetting(props, "privateClusterConfig.enablePrivateNodes", false);
    } else if (read(props, "privateClusterConfig").kind !== "absent") {
        nodes["nodepool.privateNodes"] = boolSetting(props, "privateClusterConfig.enablePrivateNodes", false);
    }
    if (Object.keys(nodes).length > 0) subjects.push({ component: "nodepool", platform: "gke", location: "", settings: nodes });

    const readOnly = gkeClusterReadOnlyPort(props, isAutopilot, keepsDefaultPool);
    if (readOnly) subjects.push({ component: "kubelet", platform: "gke", location: "", settings: { "kubelet.readOnlyPort": readOnly } });
    return { subjects, notes: [] };
}

/**
 * A node pool's own settings. What it leaves unset it inherits from its cluster (Workload Identity decides the
 * metadata mode; nodePoolDefaults the kubelet read-only port), so those are judged at stack level
 * (providers/stack.ts), where the cluster is joined.
 */
export function gkeNodePool(props: Record<string, unknown>): Normalized {
    const subjects: Subject[] = [];
    const nodes: Subject["settings"] = {};
    if (read(props, "nodeConfig.workloadMetadataConfig.mode").kind !== "absent") {
        nodes["nodepool.workloadMetadataMode"] = stringSetting(props, "nodeConfig.workloadMetadataConfig.mode", undefined);
    }
    if (read(props, "networkConfig.enablePrivateNodes").kind !== "absent") {
        nodes["nodepool.privateNodes"] = boolSetting(props, "networkConfig.enablePrivateNodes", false);
    }
    if (Object.keys(nodes).length > 0) subjects.push({ component: "nodepool", platform: "gke", location: "", settings: nodes });
    const readOnly = readOnlyPortFromFlag(props, POOL_READ_ONLY);
    if (readOnly) subjects.push({ component: "kubelet", platform: "gke", location: "", settings: { "kubelet.readOnlyPort": readOnly } });
    return { subjects, notes: [] };
}

const POOL_READ_ONLY = "nodeConfig.kubeletConfig.insecureKubeletReadonlyPortEnabled";

/** What a node pool inherits from its cluster (or from GKE when the cluster is not in the stack). */
export function gkeNodePoolInherited(pool: Record<string, unknown>, cluster: Record<string, unknown> | undefined, clusterLabel: string): Subject[] {
    const subjects: Subject[] = [];
    const from = cluster ? `cluster "${clusterLabel}"` : `cluster "${clusterLabel}" (not in this stack)`;
    if (read(pool, "nodeConfig.workloadMetadataConfig.mode").kind === "absent") {
        const identity = cluster !== undefined && read(cluster, "workloadIdentityConfig.workloadPool").kind !== "absent";
        const autopilot = cluster !== undefined && boolSetting(cluster, "enableAutopilot", false).value === true;
        subjects.push({
            component: "nodepool", platform: "gke", location: `inherited from ${from}`,
            settings: {
                "nodepool.workloadMetadataMode": identity || autopilot
                    ? defaulted("GKE_METADATA", "nodeConfig.workloadMetadataConfig.mode (not set: the cluster's Workload Identity makes it GKE_METADATA)")
                    : defaulted("GCE_METADATA", `nodeConfig.workloadMetadataConfig.mode (not set: ${cluster ? "the cluster has no Workload Identity" : "the cluster's Workload Identity cannot be seen"}, so nodes expose the Compute Engine metadata server)`),
            },
        });
    }
    if (read(pool, POOL_READ_ONLY).kind === "absent") {
        const fromDefaults = cluster ? readOnlyPortFromFlag(cluster, "nodePoolDefaults.nodeConfigDefaults.insecureKubeletReadonlyPortEnabled") : undefined;
        subjects.push({
            component: "kubelet", platform: "gke", location: `inherited from ${from}`,
            settings: {
                "kubelet.readOnlyPort": fromDefaults
                    ?? defaulted(10255, `${POOL_READ_ONLY} (not set here or in the cluster's nodePoolDefaults: the GKE version default applies, which leaves the port open on many versions)`),
            },
        });
    }
    return subjects;
}

function gkePublicEndpoint(props: Record<string, unknown>): Setting {
    const privateEndpoint = boolSetting(props, "privateClusterConfig.enablePrivateEndpoint", false);
    const ipEndpoint = boolSetting(props, "controlPlaneEndpointsConfig.ipEndpointsConfig.enabled", true);
    if (privateEndpoint.value === true) return explicit(false, "privateClusterConfig.enablePrivateEndpoint");
    if (ipEndpoint.value === false) return explicit(false, "controlPlaneEndpointsConfig.ipEndpointsConfig.enabled");
    if (privateEndpoint.state === "unknown") return unknown(privateEndpoint.where);
    if (ipEndpoint.state === "unknown") return unknown(ipEndpoint.where);
    if (privateEndpoint.state === "explicit") return explicit(true, "privateClusterConfig.enablePrivateEndpoint");
    return defaulted(true, "privateClusterConfig.enablePrivateEndpoint (not set: the endpoint has a public IP)");
}

/** GKE writes Kubernetes audit logs to Cloud Audit Logs unconditionally; API server logs need the APISERVER component. */
function gkeControlPlaneLogs(props: Record<string, unknown>): Setting {
    const service = stringSetting(props, "loggingService", "logging.googleapis.com/kubernetes");
    if (service.state === "unknown") return unknown("loggingService");
    if (service.value === "none") return explicit([], "loggingService = none");
    const comps = stringListSetting(props, "loggingConfig.enableComponents", ["SYSTEM_COMPONENTS", "WORKLOADS"]);
    if (comps.state === "unknown") return unknown(comps.where);
    if (comps.state === "invalid") return invalid(comps.where);
    const list = comps.value as unknown[];
    const logs = ["audit", "authenticator"];
    if (list.includes("APISERVER")) logs.unshift("api");
    const where = comps.state === "default"
        ? "loggingConfig.enableComponents (not set: SYSTEM_COMPONENTS, WORKLOADS)"
        : "loggingConfig.enableComponents";
    return comps.state === "default" ? defaulted(logs, where) : explicit(logs, where);
}

function gkeSecretsEncryption(props: Record<string, unknown>): Setting {
    const de = read(props, "databaseEncryption");
    if (de.kind === "unknown") return unknown("databaseEncryption");
    if (de.kind === "absent") return defaulted(false, "databaseEncryption (not set: Google-managed keys only)");
    const state = stringSetting(props, "databaseEncryption.state", "DECRYPTED");
    const key = read(props, "databaseEncryption.keyName");
    if (state.state === "unknown") return unknown("databaseEncryption.state");
    const hasKey = key.kind === "unknown" || (key.kind === "value" && typeof key.value === "string" && key.value !== "");
    return explicit(state.value === "ENCRYPTED" && hasKey, "databaseEncryption");
}

function workloadMetadataMode(props: Record<string, unknown>, path: string, identityFrom: string | undefined): Setting {
    const mode = stringSetting(props, path, undefined);
    if (mode.state !== "default") return mode;
    if (identityFrom) return defaulted("GKE_METADATA", `${path} (not set: ${identityFrom} makes it GKE_METADATA)`);
    return defaulted("GCE_METADATA", `${path} (not set: nodes expose the Compute Engine metadata server)`);
}

/** insecureKubeletReadonlyPortEnabled is a "TRUE"/"FALSE" string in the provider. Undefined when absent. */
function readOnlyPortFromFlag(props: Record<string, unknown>, path: string): Setting | undefined {
    const r = read(props, path);
    if (r.kind === "absent") return undefined;
    if (r.kind === "unknown") return unknown(path);
    const v = typeof r.value === "boolean" ? String(r.value) : typeof r.value === "string" ? r.value.trim().toUpperCase() : "";
    if (v === "TRUE") return { ...explicit(10255, path), shown: "TRUE (port 10255 open)" };
    if (v === "FALSE") return { ...explicit(0, path), shown: "FALSE" };
    return invalid(path);
}

function gkeClusterReadOnlyPort(props: Record<string, unknown>, autopilot: boolean, keepsDefaultPool: boolean): Setting | undefined {
    if (autopilot) {
        return readOnlyPortFromFlag(props, "nodePoolAutoConfig.nodeKubeletConfig.insecureKubeletReadonlyPortEnabled")
            ?? defaulted(10255, "nodePoolAutoConfig.nodeKubeletConfig.insecureKubeletReadonlyPortEnabled (not set: the GKE version default applies, which leaves the port open on many versions)");
    }
    const fromDefaults = readOnlyPortFromFlag(props, "nodePoolDefaults.nodeConfigDefaults.insecureKubeletReadonlyPortEnabled");
    if (keepsDefaultPool) {
        return readOnlyPortFromFlag(props, "nodeConfig.kubeletConfig.insecureKubeletReadonlyPortEnabled")
            ?? fromDefaults
            ?? defaulted(10255, "nodeConfig.kubeletConfig.insecureKubeletReadonlyPortEnabled (not set: the GKE version default applies, which leaves the port open on many versions)");
    }
    // The default pool is removed: only the defaults for new pools speak for the cluster.
    return fromDefaults;
}


// Compute Engine instances and templates: cloud-init user data and startup scripts in metadata.
export const GCE_INSTANCE = /^gcp:compute\/(instance:Instance|instanceTemplate:InstanceTemplate|regionInstanceTemplate:RegionInstanceTemplate|instanceFromTemplate:InstanceFromTemplate)$/;

export function gceInstance(props: Record<string, unknown>): Normalized {
    return readCarrier(props, [
        { path: "metadata.user-data", encoding: "plain", label: "metadata user-data" },
        { path: "metadata.startup-script", encoding: "plain", label: "metadata startup-script" },
        { path: "metadataStartupScript", encoding: "plain", label: "metadataStartupScript" },
    ]);
}

// VPC firewall rules.
export const GCE_FIREWALL = "gcp:compute/firewall:Firewall";

export function gceFirewall(props: Record<string, unknown>): Normalized {
    const direction = typeof props.direction === "string" && props.direction.toUpperCase() === "EGRESS" ? "egress" : "ingress";
    const enabled = props.disabled !== true;
    const subjects: Subject[] = [];
    for (const [key, allow] of [["allows", true], ["denies", false]] as const) {
        const list = Array.isArray(props[key]) ? props[key] as unknown[] : [];
        list.forEach((entry, i) => {
            if (!isRecord(entry)) return;
            let ports: RuleInput["ports"];
            if (isUnknownValue(entry.ports)) ports = UNKNOWN;
            else ports = portRanges(Array.isArray(entry.ports) ? entry.ports : []);
            const sources = isUnknownValue(props.sourceRanges) ? [UNKNOWN] as (string | typeof UNKNOWN)[] : sourceList([props.sourceRanges]);
            subjects.push(ruleSubject({
                location: `${key}[${i}]`, direction, allow, enabled, protocol: entry.protocol, ports,
                // No sourceRanges (and no source tags/accounts) means 0.0.0.0/0 for ingress.
                sources: sources.length === 0 && props.sourceTags === undefined && props.sourceServiceAccounts === undefined ? ["0.0.0.0/0"] : sources,
                where: { ports: `${key}[${i}].ports`, sources: "sourceRanges", protocol: `${key}[${i}].protocol` },
            }, "gcp"));
        });
    }
    return { subjects, notes: [] };
}
