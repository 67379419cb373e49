// Which provider reads which resource type. Matching is by type token (strings or patterns for the
// azure-native API versions); no cloud SDK is loaded at run time.
import {
    AKS_CLASSIC_CLUSTER,
    AKS_NATIVE_CLUSTER,
    AZURE_CLASSIC_LINUX_VM,
    AZURE_CLASSIC_VM,
    AZURE_NATIVE_VM,
    AZURE_NATIVE_VMSS,
    aksClassicCluster,
    aksNativeCluster,
    azureClassicLinuxVm,
    azureClassicVm,
    azureNativeVm,
    azureNativeVmss,
    AZURE_CLASSIC_NSG,
    AZURE_CLASSIC_SECURITY_RULE,
    AZURE_NATIVE_NSG,
    AZURE_NATIVE_SECURITY_RULE,
    azureNsg,
    azureSecurityRule,
} from "./azure";
import {
    EC2_INSTANCE,
    EC2_LAUNCH_CONFIGURATION,
    EC2_LAUNCH_TEMPLATE,
    EC2_SPOT_INSTANCE_REQUEST,
    EKS_CLUSTER,
    EKS_NATIVE_CLUSTER,
    ec2Instance,
    ec2LaunchTemplate,
    eksCluster,
    SECURITY_GROUP,
    SECURITY_GROUP_RULE,
    VPC_INGRESS_RULE,
    securityGroup,
    securityGroupRule,
    vpcIngressRule,
} from "./aws";
import { CLOUDINIT_CONFIG, cloudinitConfig } from "./cloudinit";
import {
    AWS_NATIVE_SECURITY_GROUP,
    AWS_NATIVE_SECURITY_GROUP_INGRESS,
    awsNativeSecurityGroup,
    awsNativeSecurityGroupIngress,
} from "./network-aws-native";
import { DOKS_CLUSTER, doksCluster } from "./digitalocean";
import { LKE_CLUSTER, lkeCluster } from "./linode";
import { OKE_CLUSTER, okeCluster } from "./oci";
import { REMOTE_COMMAND, remoteCommand } from "./command";
import { RANCHER_CLUSTER_V2, rancherClusterV2 } from "./rancher";
import { TALOS_CONFIGURATION_APPLY, talosConfigurationApply } from "./talos";
import {
    GCE_FIREWALL,
    GCE_INSTANCE,
    GKE_CLUSTER,
    GKE_NODE_POOL,
    gceFirewall,
    gceInstance,
    gkeCluster,
    gkeNodePool,
} from "./gcp";
import {
    BINDING,
    CONFIG_MAP,
    CRON_JOB,
    POD,
    SERVICE,
    WORKLOAD,
    configMap,
    cronJob,
    pod,
    rbacBinding,
    service,
    workload,
} from "./kubernetes";
import { BINDING_LIST, SERVICE_LIST, awsAuth, rbacBindingList, serviceList } from "./kubernetes";
import { EMPTY, Normalized } from "./model";
import {
    BudgetExceeded,
    MAX_SUBJECTS_PER_RESOURCE,
    budgetLimitMs,
    budgetSpent,
    pastDeadline,
    withBudget,
} from "./budget";
import { isRecord } from "./props";
import { readTrackingSecrets } from "./secrets";

export type Reader = (props: Record<string, unknown>, type: string) => Normalized;

function both(a: Normalized, b: Normalized): Normalized {
    if (b.subjects.length === 0 && b.notes.length === 0) return a;
    return { subjects: [...a.subjects, ...b.subjects], notes: [...a.notes, ...b.notes] };
}

interface Carrier {
    match: string | RegExp;
    read: Reader;
}

const CARRIERS: Carrier[] = [
    { match: EKS_CLUSTER, read: eksCluster },
    { match: EKS_NATIVE_CLUSTER, read: eksCluster },
    { match: DOKS_CLUSTER, read: doksCluster },
    { match: LKE_CLUSTER, read: lkeCluster },
    { match: OKE_CLUSTER, read: okeCluster },
    { match: GKE_CLUSTER, read: gkeCluster },
    { match: GKE_NODE_POOL, read: gkeNodePool },
    { match: AKS_NATIVE_CLUSTER, read: aksNativeCluster },
    { match: AKS_CLASSIC_CLUSTER, read: aksClassicCluster },
    { match: POD, read: pod },
    { match: WORKLOAD, read: workload },
    { match: CRON_JOB, read: cronJob },
    { match: CONFIG_MAP, read: (props) => both(configMap(props), awsAuth(props)) },
    { match: EC2_INSTANCE, read: ec2Instance },
    { match: EC2_SPOT_INSTANCE_REQUEST, read: ec2Instance },
    { match: EC2_LAUNCH_CONFIGURATION, read: ec2Instance },
    { match: EC2_LAUNCH_TEMPLATE, read: (props) => ec2LaunchTemplate(props) },
    { match: GCE_INSTANCE, read: gceInstance },
    { match: AZURE_NATIVE_VM, read: azureNativeVm },
    { match: AZURE_NATIVE_VMSS, read: azureNativeVmss },
    { match: AZURE_CLASSIC_LINUX_VM, read: azureClassicLinuxVm },
    { match: AZURE_CLASSIC_VM, read: azureClassicVm },
    { match: REMOTE_COMMAND, read: remoteCommand },
    { match: CLOUDINIT_CONFIG, read: cloudinitConfig },
    { match: TALOS_CONFIGURATION_APPLY, read: talosConfigurationApply },
    { match: RANCHER_CLUSTER_V2, read: rancherClusterV2 },
    { match: BINDING, read: rbacBinding },
    { match: BINDING_LIST, read: rbacBindingList },
    { match: SERVICE, read: (props) => service(props) },
    { match: SERVICE_LIST, read: serviceList },
    { match: SECURITY_GROUP, read: securityGroup },
    { match: SECURITY_GROUP_RULE, read: securityGroupRule },
    { match: VPC_INGRESS_RULE, read: vpcIngressRule },
    { match: AWS_NATIVE_SECURITY_GROUP, read: awsNativeSecurityGroup },
    { match: AWS_NATIVE_SECURITY_GROUP_INGRESS, read: awsNativeSecurityGroupIngress },
    { match: GCE_FIREWALL, read: gceFirewall },
    { match: AZURE_NATIVE_NSG, read: azureNsg },
    { match: AZURE_NATIVE_SECURITY_RULE, read: azureSecurityRule },
    { match: AZURE_CLASSIC_NSG, read: azureNsg },
    { match: AZURE_CLASSIC_SECURITY_RULE, read: azureSecurityRule },
];

const byType = new Map<string, Reader | null>();

/** The reader for a type token, or undefined when the pack has nothing to say about that type. */
export function readerFor(type: string): Reader | undefined {
    let r = byType.get(type);
    if (r === undefined) {
        const c = CARRIERS.find((c) => (typeof c.match === "string" ? c.match === type : c.match.test(type)));
        r = c ? c.read : null;
        if (byType.size < 10_000) byType.set(type, r);
    }
    return r ?? undefined;
}

/** Turns a resource into subjects. Never throws: a failure, or running out of time, becomes an inspection note. */
export function normalize(type: string, props: unknown): Normalized {
    const reader = readerFor(type);
    if (!reader) return EMPTY;
    return readTrackingSecrets([props], (p) => withBudget(() => readBounded(reader, p, type)));
}

function readBounded(reader: Reader, props: unknown, type: string): Normalized {
    if (!isRecord(props))
        return { subjects: [], notes: [{ where: "inputs", reason: "the resource's inputs are not an object" }] };
    let n: Normalized;
    try {
        n = reader(props, type);
    } catch (e) {
        if (e instanceof BudgetExceeded || budgetSpent()) return overTime();
        // Never echo the error text: it may quote user data.
        const kind = e instanceof Error ? e.name : typeof e;
        return {
            subjects: [],
            notes: [
                {
                    where: "inputs",
                    reason: `kube-api-guard failed to read them (${kind}); please report this with the resource type`,
                },
            ],
        };
    }
    // A decoder may have caught the budget error itself: the deadline still wins over a partial reading.
    if (pastDeadline()) return overTime();
    if (n.subjects.length <= MAX_SUBJECTS_PER_RESOURCE) return n;
    return {
        subjects: n.subjects.slice(0, MAX_SUBJECTS_PER_RESOURCE),
        notes: [
            ...n.notes,
            {
                where: "inputs",
                reason: `they start ${n.subjects.length} component instances; only the first ${MAX_SUBJECTS_PER_RESOURCE} were judged`,
            },
        ],
    };
}

/** One advisory note instead of a verdict: a resource that takes longer than its budget is not judged at all. */
function overTime(): Normalized {
    return {
        subjects: [],
        notes: [
            {
                where: "inputs",
                reason:
                    `reading them took longer than the ${budgetLimitMs()} ms each resource may take, so no policy judged this resource ` +
                    "(simplify or split its user data, or exempt it with a reason)",
            },
        ],
    };
}

export type { Normalized, Subject, Setting, SettingKey, Settings, InspectionNote, Component } from "./model";
