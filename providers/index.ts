// Which provider reads which resource type. Matching is by type token (strings or patterns for the
// azure-native API versions); no cloud SDK is loaded at run time.
import { AKS_CLASSIC_CLUSTER, AKS_NATIVE_CLUSTER, aksClassicCluster, aksNativeCluster } from "./azure";
import { EKS_CLUSTER, eksCluster } from "./aws";
import { GKE_CLUSTER, GKE_NODE_POOL, gkeCluster, gkeNodePool } from "./gcp";
import { CRON_JOB, POD, WORKLOAD, cronJob, pod, workload } from "./kubernetes";
import { EMPTY, Normalized } from "./model";
import { isRecord } from "./props";

export type Reader = (props: Record<string, unknown>) => Normalized;

interface Carrier {
    match: string | RegExp;
    read: Reader;
}

const CARRIERS: Carrier[] = [
    { match: EKS_CLUSTER, read: eksCluster },
    { match: GKE_CLUSTER, read: gkeCluster },
    { match: GKE_NODE_POOL, read: gkeNodePool },
    { match: AKS_NATIVE_CLUSTER, read: aksNativeCluster },
    { match: AKS_CLASSIC_CLUSTER, read: aksClassicCluster },
    { match: POD, read: pod },
    { match: WORKLOAD, read: workload },
    { match: CRON_JOB, read: cronJob },
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

/** Turns a resource into subjects. Never throws: a failure becomes an inspection note. */
export function normalize(type: string, props: unknown): Normalized {
    const reader = readerFor(type);
    if (!reader) return EMPTY;
    if (!isRecord(props)) return { subjects: [], notes: [{ where: "inputs", reason: "the resource's inputs are not an object" }] };
    try {
        return reader(props);
    } catch (e) {
        // Never echo the error text: it may quote user data.
        const kind = e instanceof Error ? e.name : typeof e;
        return { subjects: [], notes: [{ where: "inputs", reason: `kube-api-guard failed to read them (${kind}); please report this with the resource type` }] };
    }
}

export type { Normalized, Subject, Setting, InspectionNote, Component } from "./model";
