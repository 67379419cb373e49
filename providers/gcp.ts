// GCP: GKE clusters and node pools. (Compute Engine user data and startup scripts: see providers/nodes.)
import { Normalized, Setting, Subject, defaulted, explicit, invalid, undetermined, unknown, settingsOf } from "./model";
import { RuleInput, portRanges, ruleSubjects, sourceList } from "./network";
import { UNKNOWN, boolSetting, isRecord, isUnknownValue, read, stringListSetting, stringSetting } from "./props";
import { minorFromVersion, readCarrier } from "./node";

export const GKE_CLUSTER = "gcp:container/cluster:Cluster";
export const GKE_NODE_POOL = "gcp:container/nodePool:NodePool";

const ANY_ADDRESS = ["0.0.0.0/0", "::/0"];

export function gkeCluster(props: Record<string, unknown>): Normalized {
    const autopilot = boolSetting(props, "enableAutopilot", false);
    const isAutopilot = autopilot.value === true;
    const cluster = settingsOf({});

    cluster["cluster.publicEndpoint"] = gkePublicEndpoint(props);
    const man = read(props, "masterAuthorizedNetworksConfig");
    const dns = gkeDnsEndpointOpen(props);
    if (dns) {
        // Authorized networks do not apply to the DNS-based endpoint.
        cluster["cluster.publicEndpoint"] = explicit(true, dns);
        cluster["cluster.authorizedNetworks"] = explicit(
            ANY_ADDRESS,
            `${dns} (authorized networks do not apply to it)`,
        );
    } else if (man.kind === "unknown") {
        cluster["cluster.authorizedNetworks"] = unknown("masterAuthorizedNetworksConfig");
    } else if (man.kind === "absent") {
        cluster["cluster.authorizedNetworks"] = defaulted(
            ANY_ADDRESS,
            "masterAuthorizedNetworksConfig (not set: any address)",
        );
    } else {
        cluster["cluster.authorizedNetworks"] = stringListSetting(
            props,
            "masterAuthorizedNetworksConfig.cidrBlocks",
            [],
            "masterAuthorizedNetworksConfig.cidrBlocks",
            "cidrBlock",
        );
        cluster["cluster.cloudPublicRangesAllowed"] = boolSetting(
            props,
            "masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled",
            false,
        );
    }

    cluster["cluster.clientCertificate"] = boolSetting(
        props,
        "masterAuth.clientCertificateConfig.issueClientCertificate",
        false,
    );
    cluster["cluster.basicAuth"] = gkeBasicAuth(props);
    // anonymousAuthenticationConfig.mode: ENABLED unless set to LIMITED (health endpoints only).
    cluster["cluster.anonymousAuthentication"] = stringSetting(props, "anonymousAuthenticationConfig.mode", "ENABLED");
    // Without rbacBindingConfig GKE accepts bindings to system:unauthenticated / system:authenticated.
    cluster["cluster.insecureBindingUnauthenticated"] = boolSetting(
        props,
        "rbacBindingConfig.enableInsecureBindingSystemUnauthenticated",
        true,
    );
    cluster["cluster.insecureBindingAuthenticated"] = boolSetting(
        props,
        "rbacBindingConfig.enableInsecureBindingSystemAuthenticated",
        true,
    );
    cluster["cluster.legacyAbac"] = boolSetting(props, "enableLegacyAbac", false);
    cluster["cluster.controlPlaneLogs"] = gkeControlPlaneLogs(props);
    cluster["cluster.secretsEncryption"] = gkeSecretsEncryption(props);

    const subjects: Subject[] = [{ component: "cluster", platform: "gke", location: "", settings: cluster }];

    // Node-level settings: the default node pool (nodeConfig), defaults for new pools, and Autopilot's auto config.
    const nodes = settingsOf({});
    const keepsDefaultPool = !isAutopilot && boolSetting(props, "removeDefaultNodePool", false).value !== true;
    if (isAutopilot) {
        nodes["nodepool.workloadMetadataMode"] = explicit(
            "GKE_METADATA",
            "enableAutopilot (Autopilot always uses the GKE metadata server)",
        );
        nodes["nodepool.privateNodes"] = boolSetting(props, "privateClusterConfig.enablePrivateNodes", false);
    } else if (keepsDefaultPool) {
        nodes["nodepool.workloadMetadataMode"] = workloadMetadataMode(
            props,
            "nodeConfig.workloadMetadataConfig.mode",
            read(props, "workloadIdentityConfig.workloadPool").kind === "absent" ? undefined : "workloadIdentityConfig",
        );
        nodes["nodepool.privateNodes"] = boolSetting(props, "privateClusterConfig.enablePrivateNodes", false);
    } else if (read(props, "privateClusterConfig").kind !== "absent") {
        nodes["nodepool.privateNodes"] = boolSetting(props, "privateClusterConfig.enablePrivateNodes", false);
    }
    if (Object.keys(nodes).length > 0)
        subjects.push({ component: "nodepool", platform: "gke", location: "", settings: nodes });

    const readOnly = gkeClusterReadOnlyPort(
        props,
        isAutopilot,
        keepsDefaultPool,
        gkeVersion(
            [
                [props, "minMasterVersion"],
                [props, "nodeVersion"],
            ],
            props,
        ),
    );
    if (readOnly)
        subjects.push({
            component: "kubelet",
            platform: "gke",
            location: "",
            settings: settingsOf({ "kubelet.readOnlyPort": readOnly }),
        });
    return { subjects, notes: [] };
}

/**
 * A node pool's own settings. What it leaves unset it inherits from its cluster (Workload Identity decides the
 * metadata mode; nodePoolDefaults the kubelet read-only port), so those are judged at stack level
 * (providers/stack.ts), where the cluster is joined.
 */
export function gkeNodePool(props: Record<string, unknown>): Normalized {
    const subjects: Subject[] = [];
    const nodes = settingsOf({});
    if (read(props, "nodeConfig.workloadMetadataConfig.mode").kind !== "absent") {
        nodes["nodepool.workloadMetadataMode"] = stringSetting(
            props,
            "nodeConfig.workloadMetadataConfig.mode",
            undefined,
        );
    }
    if (read(props, "networkConfig.enablePrivateNodes").kind !== "absent") {
        nodes["nodepool.privateNodes"] = boolSetting(props, "networkConfig.enablePrivateNodes", false);
    }
    if (Object.keys(nodes).length > 0)
        subjects.push({ component: "nodepool", platform: "gke", location: "", settings: nodes });
    const readOnly = readOnlyPortFromFlag(props, POOL_READ_ONLY);
    if (readOnly)
        subjects.push({
            component: "kubelet",
            platform: "gke",
            location: "",
            settings: settingsOf({ "kubelet.readOnlyPort": readOnly }),
        });
    return { subjects, notes: [] };
}

const POOL_READ_ONLY = "nodeConfig.kubeletConfig.insecureKubeletReadonlyPortEnabled";

/**
 * The GKE version a cluster is created at, as far as the program states it: the first of `sources` that is set.
 * `releaseChannel` (of the cluster) only explains an unstated version: the channel picks it at creation time.
 */
export interface GkeVersion {
    minor?: number;
    /** "minMasterVersion = 1.33.4-gke.100" */
    text?: string;
    /** Why the minor is not known, as the end of a sentence ("the program does not state"). */
    why?: string;
}

export function gkeVersion(
    sources: [Record<string, unknown> | undefined, string][],
    cluster?: Record<string, unknown>,
): GkeVersion {
    for (const [props, path] of sources) {
        if (!props) continue;
        const r = read(props, path);
        if (r.kind === "absent") continue;
        if (r.kind === "unknown")
            return { why: `is not known until it is created (${path} is an output of another resource)` };
        const minor = minorFromVersion(r.value);
        if (minor !== undefined) return { minor, text: `${path} = ${String(r.value)}` };
        return {
            why: `the program leaves to GKE (${path} = ${typeof r.value === "string" && /^[\w.-]{1,40}$/.test(r.value) ? r.value : "(not a version)"})`,
        };
    }
    const channel = cluster ? read(cluster, "releaseChannel.channel") : { kind: "absent" as const };
    const picked =
        channel.kind === "value" && typeof channel.value === "string" && /^[A-Z_]{1,20}$/.test(channel.value)
            ? `the ${channel.value} release channel picks at creation`
            : "GKE's default version at creation decides";
    return { why: `the program does not state (no minMasterVersion or node version; ${picked})` };
}

/**
 * GKE docs, "Disable the kubelet read-only port in GKE clusters"
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/disable-kubelet-readonly-port): "The kubelet read-only
 * port is disabled by default in new clusters that run version 1.32 or later"; the setting itself exists from
 * 1.26.4-gke.500. Earlier clusters serve 10255. With no stated version the default is not guessed.
 */
export const GKE_READ_ONLY_OFF_BY_DEFAULT_SINCE = 32;

function gkeReadOnlyDefault(path: string, v: GkeVersion): Setting {
    if (v.minor === undefined) {
        return undetermined(
            `${path} (not set)`,
            `is not set, and GKE's default depends on the version the cluster is created at, which ${v.why ?? "the program does not state"}: the port is off by default only in clusters created at 1.32 or later`,
        );
    }
    return v.minor >= GKE_READ_ONLY_OFF_BY_DEFAULT_SINCE
        ? defaulted(
              0,
              `${path} (not set: GKE turns the port off by default in clusters created at 1.32 or later; ${v.text})`,
          )
        : defaulted(
              10255,
              `${path} (not set: the port is open by default at this GKE version, ${v.text}; it is off by default only in clusters created at 1.32 or later)`,
          );
}

/**
 * masterAuth.username/password: static HTTP basic authentication (older @pulumi/gcp versions and old state exports;
 * GKE removed it in 1.19). Present means on; the values are never read beyond presence.
 */
function gkeBasicAuth(props: Record<string, unknown>): Setting {
    const where = "masterAuth.username/password";
    let sawUnknown = false;
    for (const path of ["masterAuth.password", "masterAuth.username"]) {
        const r = read(props, path);
        if (r.kind === "unknown") {
            sawUnknown = true;
            continue;
        }
        if (r.kind === "value" && r.value !== "")
            return { ...explicit(true, where), shown: "set (basic authentication on; values withheld)" };
    }
    // A password that is an output (e.g. a RandomPassword) is set when the cluster is created.
    return sawUnknown
        ? { ...explicit(true, where), shown: "set from another resource (basic authentication on)" }
        : defaulted(false, `${where} (not set: no basic authentication)`);
}

/** What a node pool inherits from its cluster (or from GKE when the cluster is not in the stack). */
export function gkeNodePoolInherited(
    pool: Record<string, unknown>,
    cluster: Record<string, unknown> | undefined,
    clusterLabel: string,
): Subject[] {
    const subjects: Subject[] = [];
    const from = cluster ? `cluster "${clusterLabel}"` : `cluster "${clusterLabel}" (not in this stack)`;
    if (read(pool, "nodeConfig.workloadMetadataConfig.mode").kind === "absent") {
        const identity =
            cluster !== undefined && read(cluster, "workloadIdentityConfig.workloadPool").kind !== "absent";
        const autopilot = cluster !== undefined && boolSetting(cluster, "enableAutopilot", false).value === true;
        subjects.push({
            component: "nodepool",
            platform: "gke",
            location: `inherited from ${from}`,
            settings: settingsOf({
                "nodepool.workloadMetadataMode":
                    identity || autopilot
                        ? defaulted(
                              "GKE_METADATA",
                              "nodeConfig.workloadMetadataConfig.mode (not set: the cluster's Workload Identity makes it GKE_METADATA)",
                          )
                        : defaulted(
                              "GCE_METADATA",
                              `nodeConfig.workloadMetadataConfig.mode (not set: ${cluster ? "the cluster has no Workload Identity" : "the cluster's Workload Identity cannot be seen"}, so nodes expose the Compute Engine metadata server)`,
                          ),
            }),
        });
    }
    if (read(pool, POOL_READ_ONLY).kind === "absent") {
        const fromDefaults = cluster
            ? readOnlyPortFromFlag(cluster, "nodePoolDefaults.nodeConfigDefaults.insecureKubeletReadonlyPortEnabled")
            : undefined;
        const version = gkeVersion(
            [
                [cluster, "minMasterVersion"],
                [pool, "version"],
                [cluster, "nodeVersion"],
            ],
            cluster,
        );
        subjects.push({
            component: "kubelet",
            platform: "gke",
            location: `inherited from ${from}`,
            settings: settingsOf({
                "kubelet.readOnlyPort":
                    fromDefaults ??
                    gkeReadOnlyDefault(
                        `${POOL_READ_ONLY} (not set here or in the cluster's nodePoolDefaults)`,
                        version,
                    ),
            }),
        });
    }
    if (read(pool, "networkConfig.enablePrivateNodes").kind === "absent") {
        // A pool without its own flag takes the cluster's privateClusterConfig.enablePrivateNodes (default false).
        subjects.push({
            component: "nodepool",
            platform: "gke",
            location: `inherited from ${from}`,
            settings: settingsOf({
                "nodepool.privateNodes": cluster
                    ? boolSetting(
                          cluster,
                          "privateClusterConfig.enablePrivateNodes",
                          false,
                          read(cluster, "privateClusterConfig.enablePrivateNodes").kind === "absent"
                              ? "networkConfig.enablePrivateNodes (not set here or in the cluster's privateClusterConfig: nodes get external IPs)"
                              : "cluster privateClusterConfig.enablePrivateNodes",
                      )
                    : undetermined(
                          "networkConfig.enablePrivateNodes (not set)",
                          "is not set, so the pool follows its cluster's privateClusterConfig, and the cluster is not in this stack",
                      ),
            }),
        });
    }
    return subjects;
}

/**
 * The DNS-based endpoint (controlPlaneEndpointsConfig.dnsEndpointConfig): with allowExternalTraffic it is reachable
 * from the internet, gated by IAM (container.clusters.connect), and authorized networks do not apply to it. When it
 * also accepts Kubernetes tokens or client certificates (enableK8sTokensViaDns / enableK8sCertsViaDns), a
 * Kubernetes credential alone reaches the API from anywhere (GKE docs, "About network isolation": DNS-based endpoint).
 */
function gkeDnsEndpointOpen(props: Record<string, unknown>): string | undefined {
    const base = "controlPlaneEndpointsConfig.dnsEndpointConfig";
    if (
        read(props, `${base}.allowExternalTraffic`).kind !== "value" ||
        boolSetting(props, `${base}.allowExternalTraffic`, false).value !== true
    )
        return undefined;
    const viaDns = ["enableK8sTokensViaDns", "enableK8sCertsViaDns"].filter(
        (k) => boolSetting(props, `${base}.${k}`, false).value === true,
    );
    return viaDns.length > 0 ? `${base}.allowExternalTraffic with ${viaDns.join(" and ")}` : undefined;
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

/**
 * CIS GKE 1.6 5.7.1 "Ensure Logging and Cloud Monitoring is Enabled": GKE writes the Kubernetes audit logs (Admin
 * Activity, and Data Access when enabled) to Cloud Audit Logs whatever the cluster says, so the control is met while
 * Cloud Logging stays on (loggingService default logging.googleapis.com/kubernetes; enableComponents with at least
 * SYSTEM_COMPONENTS or APISERVER). In the pack's terms that is api, audit and authenticator logs shipped.
 */
function gkeControlPlaneLogs(props: Record<string, unknown>): Setting {
    const service = stringSetting(props, "loggingService", "logging.googleapis.com/kubernetes");
    if (service.state === "unknown") return unknown("loggingService");
    if (service.value === "none") return explicit([], "loggingService = none");
    const comps = stringListSetting(props, "loggingConfig.enableComponents", ["SYSTEM_COMPONENTS", "WORKLOADS"]);
    if (comps.state === "unknown") return unknown(comps.where);
    if (comps.state === "invalid") return invalid(comps.where);
    const list = comps.value as unknown[];
    const on = list.includes("SYSTEM_COMPONENTS") || list.includes("APISERVER");
    const logs = on ? ["api", "audit", "authenticator"] : [];
    if (comps.state === "default") {
        return defaulted(
            logs,
            "loggingService and loggingConfig.enableComponents (not set: Cloud Logging of SYSTEM_COMPONENTS and WORKLOADS; audit logs go to Cloud Audit Logs)",
        );
    }
    return explicit(
        logs,
        on
            ? "loggingConfig.enableComponents (Cloud Logging on; audit logs go to Cloud Audit Logs)"
            : "loggingConfig.enableComponents (without SYSTEM_COMPONENTS or APISERVER)",
    );
}

function gkeSecretsEncryption(props: Record<string, unknown>): Setting {
    const de = read(props, "databaseEncryption");
    if (de.kind === "unknown") return unknown("databaseEncryption");
    if (de.kind === "absent") return defaulted(false, "databaseEncryption (not set: Google-managed keys only)");
    const state = stringSetting(props, "databaseEncryption.state", "DECRYPTED");
    const key = read(props, "databaseEncryption.keyName");
    if (state.state === "unknown") return unknown("databaseEncryption.state");
    const hasKey =
        key.kind === "unknown" || (key.kind === "value" && typeof key.value === "string" && key.value !== "");
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
    const v =
        typeof r.value === "boolean"
            ? String(r.value)
            : typeof r.value === "string"
              ? r.value.trim().toUpperCase()
              : "";
    if (v === "TRUE") return { ...explicit(10255, path), shown: "TRUE (port 10255 open)" };
    if (v === "FALSE") return { ...explicit(0, path), shown: "FALSE" };
    return invalid(path);
}

function gkeClusterReadOnlyPort(
    props: Record<string, unknown>,
    autopilot: boolean,
    keepsDefaultPool: boolean,
    version: GkeVersion,
): Setting | undefined {
    if (autopilot) {
        const path = "nodePoolAutoConfig.nodeKubeletConfig.insecureKubeletReadonlyPortEnabled";
        return readOnlyPortFromFlag(props, path) ?? gkeReadOnlyDefault(path, version);
    }
    const fromDefaults = readOnlyPortFromFlag(
        props,
        "nodePoolDefaults.nodeConfigDefaults.insecureKubeletReadonlyPortEnabled",
    );
    if (keepsDefaultPool) {
        return (
            readOnlyPortFromFlag(props, POOL_READ_ONLY) ?? fromDefaults ?? gkeReadOnlyDefault(POOL_READ_ONLY, version)
        );
    }
    // The default pool is removed: only the defaults for new pools speak for the cluster.
    return fromDefaults;
}

// Compute Engine instances and templates: cloud-init user data and startup scripts in metadata.
export const GCE_INSTANCE =
    /^gcp:compute\/(instance:Instance|instanceTemplate:InstanceTemplate|regionInstanceTemplate:RegionInstanceTemplate|instanceFromTemplate:InstanceFromTemplate)$/;

export function gceInstance(props: Record<string, unknown>): Normalized {
    return readCarrier(props, [
        { path: "metadata.user-data", encoding: "plain", label: "metadata user-data" },
        { path: "metadata.startup-script", encoding: "plain", label: "metadata startup-script" },
        { path: "metadataStartupScript", encoding: "plain", label: "metadataStartupScript" },
    ]);
}

// VPC firewall rules.
export const GCE_FIREWALL = "gcp:compute/firewall:Firewall";

function present(v: unknown): boolean {
    return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
}

/** A firewall's priority (0-65535, default 1000; lower numbers are evaluated first); UNKNOWN when it is an output. */
export function gcpPriority(props: Record<string, unknown>): number | typeof UNKNOWN {
    if (isUnknownValue(props.priority)) return UNKNOWN;
    return typeof props.priority === "number" && Number.isInteger(props.priority) ? props.priority : 1000;
}

/**
 * The ingress sources of a firewall that can be internet addresses. sourceRanges, sourceTags and
 * sourceServiceAccounts combine with OR (cloud.google.com/firewall/docs/firewalls#sources-for-rules): tags and
 * service accounts only add instances of the network, so only sourceRanges can admit the internet, and with no
 * source at all an ingress rule admits 0.0.0.0/0.
 */
export function gcpSources(props: Record<string, unknown>): (string | typeof UNKNOWN)[] {
    if (isUnknownValue(props.sourceRanges)) return [UNKNOWN];
    const ranges = sourceList([props.sourceRanges]);
    if (ranges.length > 0) return ranges;
    if (isUnknownValue(props.sourceTags) || isUnknownValue(props.sourceServiceAccounts)) return [UNKNOWN];
    return present(props.sourceTags) || present(props.sourceServiceAccounts) ? [] : ["0.0.0.0/0"];
}

export function gceFirewallInputs(props: Record<string, unknown>): RuleInput[] {
    const direction = isUnknownValue(props.direction)
        ? UNKNOWN
        : typeof props.direction === "string" && props.direction.toUpperCase() === "EGRESS"
          ? "egress"
          : "ingress";
    const enabled = isUnknownValue(props.disabled) ? UNKNOWN : props.disabled !== true;
    const out: RuleInput[] = [];
    for (const [key, allow] of [
        ["allows", true],
        ["denies", false],
    ] as const) {
        const list = Array.isArray(props[key])
            ? (props[key] as unknown[])
            : isUnknownValue(props[key])
              ? [UNKNOWN]
              : [];
        list.forEach((entry, i) => {
            const e = isRecord(entry) ? entry : undefined;
            if (!e && entry !== UNKNOWN) return;
            let ports: RuleInput["ports"];
            if (!e || isUnknownValue(e.ports)) ports = UNKNOWN;
            else ports = portRanges(Array.isArray(e.ports) ? e.ports : []);
            out.push({
                location: `${key}[${i}]`,
                direction,
                allow,
                enabled,
                protocol: e ? e.protocol : UNKNOWN,
                ports,
                sources: gcpSources(props),
                where: { ports: `${key}[${i}].ports`, sources: "sourceRanges", protocol: `${key}[${i}].protocol` },
            });
        });
    }
    return out;
}

/**
 * GCP evaluates the firewall rules of a network by priority, and at equal priority a deny wins over an allow
 * (cloud.google.com/firewall/docs/firewalls#priority_order_for_firewall_rules). Every firewall is a resource of its
 * own, so an allow is judged at stack level together with the deny rules of its network (providers/network-stack.ts).
 */
export function gceFirewall(props: Record<string, unknown>): Normalized {
    const inputs = gceFirewallInputs(props);
    for (const r of inputs) {
        if (r.direction === "ingress" && r.allow === true)
            r.judgedWithSiblings = "judged at stack level with the deny firewalls of its network (priority order)";
    }
    return ruleSubjects(inputs, "gcp");
}
