// Stack-level links: facts that need two resources of the same stack, joined by URN dependencies, property
// dependencies or names. Each link yields subjects judged by the same rules, naming the resources joined.
import {
    EC2_INSTANCE,
    EC2_LAUNCH_CONFIGURATION,
    EC2_LAUNCH_TEMPLATE,
    EKS_CLUSTER,
    EKS_NATIVE_CLUSTER,
    EKS_NODE_GROUP,
    SECURITY_GROUP,
    SECURITY_GROUP_RULE,
    VPC_INGRESS_RULE,
    ec2LaunchTemplate,
    eksManagedImage,
} from "./aws";
import {
    AKS_CLASSIC_CLUSTER,
    AKS_NATIVE_CLUSTER,
    AZURE_CLASSIC_LINUX_VM,
    AZURE_CLASSIC_NSG,
    AZURE_CLASSIC_SECURITY_RULE,
    AZURE_CLASSIC_VM,
    AZURE_NATIVE_NSG,
    AZURE_NATIVE_SECURITY_RULE,
    AZURE_NATIVE_VM,
    AZURE_NATIVE_VMSS,
} from "./azure";
import { eksAccessLinks } from "./eks-access";
import { GCE_FIREWALL, GCE_INSTANCE, GKE_CLUSTER, GKE_NODE_POOL, gkeNodePoolInherited } from "./gcp";
import { Normalized, SettingKey, Subject, defaulted, explicit, settingsOf } from "./model";
import { isRecord, isUnknownValue } from "./props";
import { readTrackingSecrets } from "./secrets";
import { normalize } from ".";
import { rbacLinks } from "./rbac-stack";
import { AWS_NATIVE_SECURITY_GROUP, AWS_NATIVE_SECURITY_GROUP_INGRESS } from "./network-aws-native";
import { orderNetworkRules } from "./network-stack";

export interface StackResource {
    type: string;
    name: string;
    urn: string;
    props: unknown;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

export interface StackSubject {
    urn: string;
    name: string;
    type: string;
    subject: Subject;
    /**
     * The subject the same resource is judged with on its own (per resource). A stack finding is reported only where
     * the joined verdict differs from it, so that one setting gives one finding.
     */
    alone?: Subject;
}

const DIAGNOSTIC_SETTING =
    /^(azure-native:insights(?:\/v[0-9a-z]+)?:DiagnosticSetting|azure:monitoring\/diagnosticSetting:DiagnosticSetting)$/;

function obj(v: unknown): Record<string, unknown> {
    return isRecord(v) ? v : {};
}

function dependsOn(r: StackResource, urn: string, props?: string[]): boolean {
    if (props) return props.some((p) => (r.propertyDependencies[p] ?? []).includes(urn));
    return r.dependencies.includes(urn) || Object.values(r.propertyDependencies).some((l) => l.includes(urn));
}

/**
 * The stack indexed once per link pass, so that every join is a lookup: resources by URN (and their position, to
 * keep the stack's order wherever a join picks the first match), the resources that depend on each URN, and each
 * resource read at most once. Every link below is linear in the resources and their dependencies.
 */
class StackIndex {
    readonly byUrn = new Map<string, StackResource>();
    private readonly position = new Map<StackResource, number>();
    private readonly dependents = new Map<string, StackResource[]>();
    private readonly readings = new Map<StackResource, Normalized>();

    constructor(readonly resources: StackResource[]) {
        resources.forEach((r, i) => {
            if (!this.byUrn.has(r.urn)) this.byUrn.set(r.urn, r);
            this.position.set(r, i);
        });
        for (const r of resources) {
            for (const u of allDependencies(r)) {
                const list = this.dependents.get(u);
                if (list) list.push(r);
                else this.dependents.set(u, [r]);
            }
        }
    }

    /** The resources of these URNs that pass `test`, in stack order, each once. */
    resolve(urns: Iterable<string>, test: (r: StackResource) => boolean): StackResource[] {
        const found = new Set<StackResource>();
        for (const u of urns) {
            const r = this.byUrn.get(u);
            if (r && test(r)) found.add(r);
        }
        return [...found].sort((a, b) => this.position.get(a)! - this.position.get(b)!);
    }

    /** The first (in stack order) of these candidates, or undefined. */
    first(candidates: Iterable<StackResource>): StackResource | undefined {
        let best: StackResource | undefined;
        for (const c of candidates) if (!best || this.position.get(c)! < this.position.get(best)!) best = c;
        return best;
    }

    /** Resources that depend on `urn` (through dependencies or property dependencies), in stack order. */
    dependentsOf(urn: string): StackResource[] {
        return this.dependents.get(urn) ?? [];
    }

    private readonly memos = new Map<string, Map<StackResource, unknown>>();

    /** A value computed once per resource and purpose within one pass. */
    memo<T>(purpose: string, r: StackResource, compute: () => T): T {
        let m = this.memos.get(purpose);
        if (!m) this.memos.set(purpose, (m = new Map()));
        if (!m.has(r)) m.set(r, compute());
        return m.get(r) as T;
    }

    /** The resource read once per pass (a node guarded by several groups, a rule joined to many nodes). */
    read(r: StackResource): Normalized {
        let n = this.readings.get(r);
        if (!n) {
            n = normalize(r.type, r.props);
            this.readings.set(r, n);
        }
        return n;
    }
}

/** Every URN a resource depends on, each once. */
function allDependencies(r: StackResource): Set<string> {
    const out = new Set(r.dependencies);
    for (const list of Object.values(r.propertyDependencies)) for (const u of list) out.add(u);
    return out;
}

function diagnosticLogsKubeAudit(props: unknown): boolean {
    const p = obj(props);
    const entries = [p.logs, p.enabledLogs, p.enabledLog, p.log].flatMap((l) => (Array.isArray(l) ? l : []));
    return entries.some((e) => {
        const x = obj(e);
        if (x.enabled === false) return false;
        return (
            x.category === "kube-audit" ||
            x.category === "kube-audit-admin" ||
            x.categoryGroup === "audit" ||
            x.categoryGroup === "allLogs"
        );
    });
}

/** The cluster name a diagnostic setting targets: the last segment after /managedClusters/ in its resource ID. */
function diagnosticTarget(d: StackResource): string | undefined {
    const dp = obj(d.props);
    const target = String(dp.resourceUri ?? dp.targetResourceId ?? "").toLowerCase();
    const at = target.lastIndexOf("/managedclusters/");
    return at >= 0 ? target.slice(at + "/managedclusters/".length) : undefined;
}

function aksAuditLinks(ix: StackIndex): StackSubject[] {
    const clusters = ix.resources.filter((r) => AKS_NATIVE_CLUSTER.test(r.type) || r.type === AKS_CLASSIC_CLUSTER);
    if (clusters.length === 0) return [];
    const byTarget = new Map<string, StackResource[]>();
    for (const d of ix.resources) {
        if (!DIAGNOSTIC_SETTING.test(d.type)) continue;
        const t = diagnosticTarget(d);
        if (t === undefined) continue;
        const list = byTarget.get(t);
        if (list) list.push(d);
        else byTarget.set(t, [d]);
    }
    return clusters.map((c) => {
        const cp = obj(c.props);
        const clusterName = String(cp.resourceName ?? cp.name ?? c.name);
        const candidates = [
            ...ix.dependentsOf(c.urn).filter((d) => DIAGNOSTIC_SETTING.test(d.type)),
            ...(byTarget.get(clusterName.toLowerCase()) ?? []),
        ];
        const linked = ix.resolve(
            candidates.map((d) => d.urn),
            () => true,
        );
        const auditing = linked.find((d) => diagnosticLogsKubeAudit(d.props));
        const setting = auditing
            ? explicit(["api", "audit", "authenticator"], `DiagnosticSetting "${auditing.name}" sends kube-audit`)
            : linked.length > 0
              ? explicit(
                    [],
                    `DiagnosticSetting ${linked.map((d) => `"${d.name}"`).join(", ")} (no kube-audit category)`,
                )
              : defaulted([], "diagnostic settings (not set: none in this stack targets the cluster)");
        return {
            urn: c.urn,
            name: c.name,
            type: c.type,
            subject: {
                component: "cluster" as const,
                platform: "aks" as const,
                location: "",
                settings: settingsOf({ "cluster.controlPlaneLogs": setting }),
            },
        };
    });
}

// Security groups, their separate ingress rules and EKS clusters of both AWS providers (aws-native mirrors
// CloudFormation: AWS::EC2::SecurityGroup, AWS::EC2::SecurityGroupIngress with GroupId, AWS::EKS::Cluster).
const isAwsRule = (t: string) =>
    t === SECURITY_GROUP_RULE || t === VPC_INGRESS_RULE || t === AWS_NATIVE_SECURITY_GROUP_INGRESS;
const isAwsGroup = (t: string) => t === SECURITY_GROUP || t === AWS_NATIVE_SECURITY_GROUP;
const isEksCluster = (t: string) => t === EKS_CLUSTER || t === EKS_NATIVE_CLUSTER;

/** A security group (or NSG) and the separate rules added to it (once per group: a group may guard every node). */
function groupAndRules(group: StackResource, ix: StackIndex, isRule: (type: string) => boolean): StackResource[] {
    return ix.memo("groupAndRules", group, () => [group, ...ix.dependentsOf(group.urn).filter((r) => isRule(r.type))]);
}

/** A network rule resource judged again with more ports counting as control-plane ports, and why. */
function withExtraPorts(
    ix: StackIndex,
    rule: StackResource,
    ports: [number, number][],
    why: string,
    joinedWith: string,
): StackSubject[] {
    const out: StackSubject[] = [];
    for (const s of ix.read(rule).subjects) {
        if (s.component !== "network") continue;
        const subject: Subject = {
            ...s,
            settings: settingsOf({ ...s.settings, "network.extraPorts": explicit(ports, why) }),
            location: `${s.location ? `${s.location}, ` : ""}joined with ${joinedWith}`,
        };
        out.push({ urn: rule.urn, name: rule.name, type: rule.type, subject });
    }
    return out;
}

/**
 * Security groups attached to an EKS cluster (aws or aws-native) also guard the API endpoint (443): groups listed in
 * its vpcConfig (resourcesVpcConfig), and the cluster security group EKS creates, to which rules are added through
 * `securityGroupId: cluster.vpcConfig.clusterSecurityGroupId` (aws-native: `groupId: cluster.clusterSecurityGroupId`).
 */
function clusterSecurityGroupLinks(ix: StackIndex): StackSubject[] {
    const clusters = ix.resources.filter((r) => isEksCluster(r.type));
    if (clusters.length === 0) return [];
    const out: StackSubject[] = [];
    const https: [number, number][] = [[443, 443]];
    // Each group joins the first cluster (in stack order) that depends on it.
    const clusterOf = new Map<StackResource, StackResource>();
    for (const c of clusters) {
        for (const sg of ix.resolve(allDependencies(c), (r) => isAwsGroup(r.type)))
            if (!clusterOf.has(sg)) clusterOf.set(sg, c);
    }
    for (const sg of ix.resolve(
        [...clusterOf.keys()].map((g) => g.urn),
        () => true,
    )) {
        const cluster = clusterOf.get(sg)!;
        for (const r of groupAndRules(sg, ix, isAwsRule)) {
            out.push(
                ...withExtraPorts(
                    ix,
                    r,
                    https,
                    `security group "${sg.name}" attached to EKS cluster "${cluster.name}"`,
                    `EKS cluster "${cluster.name}"`,
                ),
            );
        }
    }
    for (const r of ix.resources) {
        if (!isAwsRule(r.type)) continue;
        // securityGroupId (aws) or groupId (aws-native) set to the cluster's clusterSecurityGroupId output.
        const to = [...(r.propertyDependencies.securityGroupId ?? []), ...(r.propertyDependencies.groupId ?? [])];
        const cluster = ix.resolve(to, (c) => isEksCluster(c.type))[0];
        if (cluster)
            out.push(
                ...withExtraPorts(
                    ix,
                    r,
                    https,
                    `the cluster security group of EKS cluster "${cluster.name}" (${r.type === AWS_NATIVE_SECURITY_GROUP_INGRESS ? "groupId" : "securityGroupId"})`,
                    `EKS cluster "${cluster.name}"`,
                ),
            );
    }
    return out;
}

const AWS_NODES = new Set([EC2_INSTANCE, EC2_LAUNCH_TEMPLATE, EC2_LAUNCH_CONFIGURATION]);
const isAzureNode = (t: string) =>
    AZURE_NATIVE_VM.test(t) || AZURE_NATIVE_VMSS.test(t) || AZURE_CLASSIC_LINUX_VM.test(t) || t === AZURE_CLASSIC_VM;
const isAzureNsg = (t: string) => AZURE_NATIVE_NSG.test(t) || t === AZURE_CLASSIC_NSG;
const isAzureRule = (t: string) => AZURE_NATIVE_SECURITY_RULE.test(t) || t === AZURE_CLASSIC_SECURITY_RULE;

/** The last path segment of a GCP network reference ("projects/p/global/networks/vpc" → "vpc"). */
function networkName(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" && !isUnknownValue(v) ? v.split("/").pop() : undefined;
}

function stringList(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Does a GCP firewall apply to this instance (or template)? Same network, and no target, a shared tag or its service account. */
function firewallApplies(fw: StackResource, node: StackResource): boolean {
    const f = obj(fw.props);
    const n = obj(node.props);
    const nics = Array.isArray(n.networkInterfaces) ? n.networkInterfaces.map(obj) : [];
    const fwNet = networkName(f.network);
    const sameByName = fwNet !== undefined && nics.some((nic) => networkName(nic.network) === fwNet);
    const fwDeps = fw.propertyDependencies.network ?? [];
    const sameByDependency =
        fwDeps.length > 0 && fwDeps.some((u) => (node.propertyDependencies.networkInterfaces ?? []).includes(u));
    if (!sameByName && !sameByDependency) return false;
    const accounts = stringList(f.targetServiceAccounts);
    if (accounts.length > 0) {
        // Instances take `serviceAccount`, templates the same field; a list form is accepted too.
        const own = [n.serviceAccount, ...(Array.isArray(n.serviceAccounts) ? n.serviceAccounts : [])].map(
            (a) => obj(a).email,
        );
        return own.some((e) => typeof e === "string" && accounts.includes(e));
    }
    const targets = stringList(f.targetTags);
    return targets.length === 0 || stringList(n.tags).some((t) => targets.includes(t));
}

/** Network security groups a node depends on within `hops` hops (NIC → subnet → NSG on Azure), memoized per resource. */
function nsgsWithin(
    r: StackResource,
    hops: number,
    ix: StackIndex,
    memo: Map<StackResource, Set<StackResource>>[],
): Set<StackResource> {
    if (hops === 0) return new Set();
    const known = memo[hops]?.get(r);
    if (known) return known;
    const out = new Set<StackResource>();
    for (const u of allDependencies(r)) {
        const dep = ix.byUrn.get(u);
        if (!dep) continue;
        if (isAzureNsg(dep.type)) out.add(dep);
        for (const g of nsgsWithin(dep, hops - 1, ix, memo)) out.add(g);
    }
    (memo[hops] ??= new Map()).set(r, out);
    return out;
}

interface Guard {
    rule: StackResource;
    group: StackResource;
    kind: "security group" | "firewall" | "network security group";
}

/**
 * The network rules that guard a node, and how each was joined: AWS security groups it is attached to (their
 * inline rules and the rules added to them), GCP firewalls of its network whose targets include it, Azure network
 * security groups on its network interfaces or subnets (and their separate security rules). Lookups only.
 */
function guardFinder(ix: StackIndex): (node: StackResource) => Guard[] {
    const firewallsByNetwork = new Map<string, StackResource[]>();
    const firewallsByDependency = new Map<string, StackResource[]>();
    const push = (m: Map<string, StackResource[]>, k: string, r: StackResource) => {
        const l = m.get(k);
        if (l) l.push(r);
        else m.set(k, [r]);
    };
    for (const fw of ix.resources) {
        if (fw.type !== GCE_FIREWALL) continue;
        const net = networkName(obj(fw.props).network);
        if (net !== undefined) push(firewallsByNetwork, net, fw);
        for (const u of fw.propertyDependencies.network ?? []) push(firewallsByDependency, u, fw);
    }
    const nsgMemo: Map<StackResource, Set<StackResource>>[] = [];
    return (node) => {
        const out: Guard[] = [];
        const withRules = (group: StackResource, isRule: (t: string) => boolean, kind: Guard["kind"]) => {
            for (const rule of groupAndRules(group, ix, isRule)) out.push({ rule, group, kind });
        };
        if (AWS_NODES.has(node.type)) {
            for (const g of ix.resolve(allDependencies(node), (r) => isAwsGroup(r.type)))
                withRules(g, isAwsRule, "security group");
        } else if (GCE_INSTANCE.test(node.type)) {
            const n = obj(node.props);
            const nics = Array.isArray(n.networkInterfaces) ? n.networkInterfaces.map(obj) : [];
            const candidates = new Set<StackResource>();
            for (const nic of nics)
                for (const fw of firewallsByNetwork.get(networkName(nic.network) ?? "") ?? []) candidates.add(fw);
            for (const u of node.propertyDependencies.networkInterfaces ?? [])
                for (const fw of firewallsByDependency.get(u) ?? []) candidates.add(fw);
            for (const fw of ix.resolve(
                [...candidates].map((f) => f.urn),
                (f) => firewallApplies(f, node),
            ))
                out.push({ rule: fw, group: fw, kind: "firewall" });
        } else if (isAzureNode(node.type)) {
            const nsgs = nsgsWithin(node, 3, ix, nsgMemo);
            for (const g of ix.resolve(
                [...nsgs].map((x) => x.urn),
                () => true,
            ))
                withRules(g, isAzureRule, "network security group");
        }
        return out;
    };
}

function portOf(v: unknown): number | undefined {
    const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
    return Number.isInteger(n) && n > 0 && n <= 65535 ? n : undefined;
}

function urlPorts(v: unknown): number[] {
    const list = Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : [];
    return list
        .map((u) => /:(\d{1,5})\/?$/.exec(String(u).trim())?.[1])
        .map(portOf)
        .filter((p): p is number => p !== undefined);
}

/**
 * Ports the components on a node serve on when the program moves them off their well-known ports, which the
 * port rule watches already: kube-apiserver --secure-port, the kubelet's port and read-only port, etcd's client
 * and peer URLs. A security group guarding such a node must keep them closed too.
 */
function movedPorts(subjects: Subject[]): { port: number; what: string }[] {
    const out: { port: number; what: string }[] = [];
    const add = (v: unknown, usual: number[], what: (p: number) => string) => {
        const p = portOf(v);
        if (p !== undefined && !usual.includes(p)) out.push({ port: p, what: what(p) });
    };
    for (const s of subjects) {
        const v = (k: SettingKey) => (s.settings[k]?.state === "explicit" ? s.settings[k].value : undefined);
        if (s.component === "apiserver")
            add(v("apiserver.securePort"), [6443], (p) => `whose kube-apiserver serves on ${p}`);
        if (s.component === "kubelet") {
            add(v("kubelet.port"), [10250], (p) => `whose kubelet serves on ${p}`);
            add(v("kubelet.readOnlyPort"), [0, 10255], (p) => `whose kubelet's read-only port is ${p}`);
        }
        if (s.component === "etcd") {
            for (const p of urlPorts(v("etcd.listenClientUrls")))
                add(p, [2379, 2380], () => `whose etcd serves clients on ${p}`);
            for (const p of urlPorts(v("etcd.listenPeerUrls")))
                add(p, [2379, 2380], () => `whose etcd serves peers on ${p}`);
        }
    }
    return out.sort((a, b) => a.port - b.port);
}

/** How many nodes a joined finding names before it says "and N more". */
const NAMED_NODES = 3;

/** The nodes one network rule guards (all those with moved ports), gathered so the rule is judged once. */
interface Guarded {
    guard: Guard;
    nodes: StackResource[];
    moved: Map<string, { port: number; what: string }>;
}

function guardedText(g: Guarded): { via: string; joinedWith: string } {
    const verb = g.guard.kind === "firewall" ? "applying to" : "attached to";
    const named = g.nodes
        .slice(0, NAMED_NODES)
        .map((n) => `"${n.name}"`)
        .join(", ");
    const more = g.nodes.length > NAMED_NODES ? ` and ${g.nodes.length - NAMED_NODES} more` : "";
    const who = g.nodes.length === 1 ? named : `${g.nodes.length} nodes (${named}${more})`;
    const why = [...g.moved.values()]
        .sort((a, b) => a.port - b.port)
        .map((m) => m.what)
        .join(", ");
    const first = g.nodes[0];
    return {
        via: `${g.guard.kind} "${g.guard.group.name}" ${verb} ${who}, ${why}`,
        joinedWith: g.nodes.length === 1 ? `${first.type.split(":").pop()} "${first.name}"` : `${g.nodes.length} nodes`,
    };
}

/**
 * The network rules guarding a node whose user data moves a component off its well-known port (e.g.
 * --secure-port=443, a kubelet on 10260, etcd on 12379): that port is a control-plane port for them. AWS
 * instances and launch templates, GCE instances and templates, Azure VMs and scale sets. A rule that guards many
 * such nodes (one security group shared by a thousand instances) is judged once, naming how many nodes share it.
 */
function movedPortLinks(ix: StackIndex): StackSubject[] {
    const nodes = ix.resources.filter((r) => AWS_NODES.has(r.type) || GCE_INSTANCE.test(r.type) || isAzureNode(r.type));
    if (nodes.length === 0) return [];
    const guardsOf = guardFinder(ix);
    const byRule = new Map<string, Guarded>();
    for (const node of nodes) {
        // Lookups first: a node no rule guards is not read (reading is decoding its user data).
        const guards = guardsOf(node);
        if (guards.length === 0) continue;
        // Only the moved ports are kept: a node's reading (every setting, with provenance) would otherwise live as
        // long as the stack, and on a large stack the garbage collector would walk ten thousand of them again and again.
        const moved = ix.memo("movedPorts", node, () => movedPorts(normalize(node.type, node.props).subjects));
        if (moved.length === 0) continue;
        for (const guard of guards) {
            const key = `${guard.rule.urn}\u0000${guard.group.urn}\u0000${guard.kind}`;
            let g = byRule.get(key);
            if (!g) byRule.set(key, (g = { guard, nodes: [], moved: new Map() }));
            if (g.nodes[g.nodes.length - 1] !== node) g.nodes.push(node);
            for (const m of moved) g.moved.set(m.what, m);
        }
    }
    const out: StackSubject[] = [];
    for (const g of byRule.values()) {
        const ranges = [...new Set([...g.moved.values()].map((m) => m.port))]
            .sort((a, b) => a - b)
            .map((p): [number, number] => [p, p]);
        const { via, joinedWith } = guardedText(g);
        out.push(...withExtraPorts(ix, g.guard.rule, ranges, via, joinedWith));
    }
    return out;
}

/** A first-match index: each key maps to the first resource (in stack order) that has it. */
function firstBy(
    resources: StackResource[],
    keys: (r: StackResource) => (string | undefined)[],
): Map<string, StackResource> {
    const m = new Map<string, StackResource>();
    for (const r of resources) for (const k of keys(r)) if (k !== undefined && !m.has(k)) m.set(k, r);
    return m;
}

/** GKE node pools inherit the metadata mode and the kubelet read-only port from their cluster. */
function gkeNodePoolLinks(ix: StackIndex): StackSubject[] {
    const clusters = ix.resources.filter((r) => r.type === GKE_CLUSTER);
    const byRef = firstBy(clusters, (c) => [
        typeof obj(c.props).name === "string" ? (obj(c.props).name as string) : undefined,
        c.name,
    ]);
    const byPathName = firstBy(clusters, (c) => [String(obj(c.props).name ?? c.name)]);
    const out: StackSubject[] = [];
    for (const pool of ix.resources) {
        if (pool.type !== GKE_NODE_POOL) continue;
        const props = obj(pool.props);
        const ref = typeof props.cluster === "string" ? props.cluster : "";
        const at = ref.lastIndexOf("/clusters/");
        const cluster =
            ix.resolve(pool.propertyDependencies.cluster ?? [], (c) => c.type === GKE_CLUSTER)[0] ??
            (ref === ""
                ? undefined
                : ix.first(
                      [
                          byRef.get(ref),
                          at >= 0 ? byPathName.get(ref.slice(at + "/clusters/".length)) : undefined,
                      ].filter((c): c is StackResource => c !== undefined),
                  ));
        const label = cluster ? cluster.name : ref || "(unnamed)";
        const read = (p: unknown, c: unknown) => ({
            subjects: gkeNodePoolInherited(obj(p), cluster ? obj(c) : undefined, label),
            notes: [],
        });
        for (const subject of readTrackingSecrets([pool.props, cluster?.props], read).subjects) {
            out.push({ urn: pool.urn, name: pool.name, type: pool.type, subject });
        }
    }
    return out;
}

/**
 * EKS managed node groups run their launch template's user data on an image EKS chooses by amiType. The template
 * is judged again with the kubelet the two make together: its settings over the config file of the AMI (unless it
 * names its own imageId). The finding belongs to the template, whose user data its owner edits, and is reported
 * there only where the joined verdict differs from the template's own (the per-resource one): a node group and its
 * template share one finding.
 */
function eksNodeGroupLinks(ix: StackIndex): StackSubject[] {
    const templates = ix.resources.filter((r) => r.type === EC2_LAUNCH_TEMPLATE);
    if (templates.length === 0) return [];
    const byTemplateName = firstBy(templates, (t) => [
        typeof obj(t.props).name === "string" ? (obj(t.props).name as string) : undefined,
    ]);
    const isTemplate = (r: StackResource) => r.type === EC2_LAUNCH_TEMPLATE;
    const out: StackSubject[] = [];
    for (const group of ix.resources) {
        if (group.type !== EKS_NODE_GROUP) continue;
        const props = obj(group.props);
        const ref = obj(props.launchTemplate);
        if (Object.keys(ref).length === 0) continue;
        const byName = typeof ref.name === "string" && ref.name !== "" ? ref.name : undefined;
        const template =
            ix.resolve(group.propertyDependencies.launchTemplate ?? [], isTemplate)[0] ??
            (byName !== undefined ? byTemplateName.get(byName) : undefined) ??
            ix.resolve(allDependencies(group), isTemplate)[0];
        if (!template) continue;
        const how = dependsOn(group, template.urn, ["launchTemplate"])
            ? "launchTemplate"
            : byName !== undefined && obj(template.props).name === byName
              ? "launchTemplate.name"
              : "dependency";
        const image = eksManagedImage(props, obj(template.props), `"${group.name}"`);
        const onImage = image ? "EKS supplies the AMI" : "the template's own AMI (imageId) or amiType CUSTOM";
        const alone = ix.read(template).subjects;
        const read = (g: unknown, t: unknown) =>
            ec2LaunchTemplate(obj(t), eksManagedImage(obj(g), obj(t), `"${group.name}"`));
        for (const s of readTrackingSecrets([group.props, template.props], read).subjects) {
            if (s.component !== "kubelet" && s.component !== "kube-proxy") continue;
            s.location = `as EKS node group "${group.name}" boots it (by ${how}; ${onImage})${s.location ? `, ${s.location}` : ""}`;
            out.push({
                urn: template.urn,
                name: template.name,
                type: template.type,
                subject: s,
                alone: alone.find((a) => a.component === s.component) ?? { ...s, settings: settingsOf() },
            });
        }
    }
    return out;
}

/** Every stack-level subject. Linear in the resources and their dependencies: every join is an index lookup. */
export function linkStack(resources: StackResource[]): StackSubject[] {
    const ix = new StackIndex(resources);
    return orderNetworkRules(resources, [
        ...rbacLinks(resources),
        ...aksAuditLinks(ix),
        ...clusterSecurityGroupLinks(ix),
        ...movedPortLinks(ix),
        ...gkeNodePoolLinks(ix),
        ...eksNodeGroupLinks(ix),
        ...eksAccessLinks(resources),
    ]);
}
