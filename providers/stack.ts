// Stack-level links: facts that need two resources of the same stack, joined by URN dependencies, property
// dependencies or names. Each link yields subjects judged by the same rules, naming the resources joined.
import {
    EC2_INSTANCE, EC2_LAUNCH_CONFIGURATION, EC2_LAUNCH_TEMPLATE, EKS_CLUSTER, EKS_NODE_GROUP, SECURITY_GROUP, SECURITY_GROUP_RULE,
    VPC_INGRESS_RULE, ec2LaunchTemplate, eksManagedImage,
} from "./aws";
import {
    AKS_CLASSIC_CLUSTER, AKS_NATIVE_CLUSTER, AZURE_CLASSIC_LINUX_VM, AZURE_CLASSIC_NSG, AZURE_CLASSIC_SECURITY_RULE, AZURE_CLASSIC_VM,
    AZURE_NATIVE_NSG, AZURE_NATIVE_SECURITY_RULE, AZURE_NATIVE_VM, AZURE_NATIVE_VMSS,
} from "./azure";
import { GCE_FIREWALL, GCE_INSTANCE, GKE_CLUSTER, GKE_NODE_POOL, gkeNodePoolInherited } from "./gcp";
import { Subject, defaulted, explicit } from "./model";
import { isRecord, isUnknownValue } from "./props";
import { normalize } from ".";
import { rbacLinks } from "./rbac-stack";

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
}

const DIAGNOSTIC_SETTING = /^(azure-native:insights(?:\/v[0-9a-z]+)?:DiagnosticSetting|azure:monitoring\/diagnosticSetting:DiagnosticSetting)$/;

function obj(v: unknown): Record<string, unknown> {
    return isRecord(v) ? v : {};
}

function dependsOn(r: StackResource, urn: string, props?: string[]): boolean {
    if (props) return props.some((p) => (r.propertyDependencies[p] ?? []).includes(urn));
    return r.dependencies.includes(urn) || Object.values(r.propertyDependencies).some((l) => l.includes(urn));
}

function diagnosticLogsKubeAudit(props: unknown): boolean {
    const p = obj(props);
    const entries = [p.logs, p.enabledLogs, p.enabledLog, p.log].flatMap((l) => (Array.isArray(l) ? l : []));
    return entries.some((e) => {
        const x = obj(e);
        if (x.enabled === false) return false;
        return x.category === "kube-audit" || x.category === "kube-audit-admin" || x.categoryGroup === "audit" || x.categoryGroup === "allLogs";
    });
}

function aksAuditLinks(resources: StackResource[]): StackSubject[] {
    const clusters = resources.filter((r) => AKS_NATIVE_CLUSTER.test(r.type) || r.type === AKS_CLASSIC_CLUSTER);
    if (clusters.length === 0) return [];
    const settings = resources.filter((r) => DIAGNOSTIC_SETTING.test(r.type));
    return clusters.map((c) => {
        const cp = obj(c.props);
        const clusterName = String(cp.resourceName ?? cp.name ?? c.name);
        const linked = settings.filter((d) => {
            const dp = obj(d.props);
            const target = String(dp.resourceUri ?? dp.targetResourceId ?? "");
            return dependsOn(d, c.urn) || target.toLowerCase().endsWith(`/managedclusters/${clusterName.toLowerCase()}`);
        });
        const auditing = linked.find((d) => diagnosticLogsKubeAudit(d.props));
        const setting = auditing
            ? explicit(["api", "audit", "authenticator"], `DiagnosticSetting "${auditing.name}" sends kube-audit`)
            : linked.length > 0
                ? explicit([], `DiagnosticSetting ${linked.map((d) => `"${d.name}"`).join(", ")} (no kube-audit category)`)
                : defaulted([], "diagnostic settings (not set: none in this stack targets the cluster)");
        return {
            urn: c.urn, name: c.name, type: c.type,
            subject: { component: "cluster" as const, platform: "aks" as const, location: "", settings: { "cluster.controlPlaneLogs": setting } },
        };
    });
}

const isAwsRule = (t: string) => t === SECURITY_GROUP_RULE || t === VPC_INGRESS_RULE;

/** A security group (or NSG) and the separate rules added to it. */
function groupAndRules(group: StackResource, resources: StackResource[], isRule: (type: string) => boolean): StackResource[] {
    return [group, ...resources.filter((r) => isRule(r.type) && dependsOn(r, group.urn))];
}

/** A network rule resource judged again with more ports counting as control-plane ports, and why. */
function withExtraPorts(rule: StackResource, ports: [number, number][], why: string, joinedWith: string): StackSubject[] {
    const out: StackSubject[] = [];
    for (const s of normalize(rule.type, rule.props).subjects) {
        if (s.component !== "network") continue;
        s.settings["network.extraPorts"] = explicit(ports, why);
        s.location = `${s.location ? `${s.location}, ` : ""}joined with ${joinedWith}`;
        out.push({ urn: rule.urn, name: rule.name, type: rule.type, subject: s });
    }
    return out;
}

/**
 * Security groups attached to an EKS cluster also guard the API endpoint (443): groups listed in its vpcConfig,
 * and the cluster security group EKS creates, to which rules are added through
 * `securityGroupId: cluster.vpcConfig.clusterSecurityGroupId`.
 */
function clusterSecurityGroupLinks(resources: StackResource[]): StackSubject[] {
    const clusters = resources.filter((r) => r.type === EKS_CLUSTER);
    if (clusters.length === 0) return [];
    const out: StackSubject[] = [];
    const https: [number, number][] = [[443, 443]];
    for (const sg of resources.filter((r) => r.type === SECURITY_GROUP)) {
        const cluster = clusters.find((c) => dependsOn(c, sg.urn, ["vpcConfig"]) || dependsOn(c, sg.urn));
        if (!cluster) continue;
        for (const r of groupAndRules(sg, resources, isAwsRule)) {
            out.push(...withExtraPorts(r, https, `security group "${sg.name}" attached to EKS cluster "${cluster.name}"`, `EKS cluster "${cluster.name}"`));
        }
    }
    for (const r of resources.filter((x) => isAwsRule(x.type))) {
        const cluster = clusters.find((c) => dependsOn(r, c.urn, ["securityGroupId"]));
        if (cluster) out.push(...withExtraPorts(r, https, `the cluster security group of EKS cluster "${cluster.name}" (securityGroupId)`, `EKS cluster "${cluster.name}"`));
    }
    return out;
}

const AWS_NODES = new Set([EC2_INSTANCE, EC2_LAUNCH_TEMPLATE, EC2_LAUNCH_CONFIGURATION]);
const isAzureNode = (t: string) => AZURE_NATIVE_VM.test(t) || AZURE_NATIVE_VMSS.test(t) || AZURE_CLASSIC_LINUX_VM.test(t) || t === AZURE_CLASSIC_VM;
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
    const sameByDependency = fwDeps.length > 0 && fwDeps.some((u) => (node.propertyDependencies.networkInterfaces ?? []).includes(u));
    if (!sameByName && !sameByDependency) return false;
    const accounts = stringList(f.targetServiceAccounts);
    if (accounts.length > 0) {
        // Instances take `serviceAccount`, templates the same field; a list form is accepted too.
        const own = [n.serviceAccount, ...(Array.isArray(n.serviceAccounts) ? n.serviceAccounts : [])].map((a) => obj(a).email);
        return own.some((e) => typeof e === "string" && accounts.includes(e));
    }
    const targets = stringList(f.targetTags);
    return targets.length === 0 || stringList(n.tags).some((t) => targets.includes(t));
}

/** Resources a node depends on, following dependencies up to `depth` hops (NIC → subnet → NSG on Azure). */
function reachable(node: StackResource, byUrn: Map<string, StackResource>, depth: number): Set<string> {
    const seen = new Set<string>();
    let frontier = [node];
    for (let d = 0; d < depth && frontier.length > 0; d++) {
        const next: StackResource[] = [];
        for (const r of frontier) {
            for (const u of [...r.dependencies, ...Object.values(r.propertyDependencies).flat()]) {
                if (seen.has(u)) continue;
                seen.add(u);
                const dep = byUrn.get(u);
                if (dep) next.push(dep);
            }
        }
        frontier = next;
    }
    return seen;
}

/**
 * The network rules that guard a node, and how each was joined: AWS security groups it is attached to (their
 * inline rules and the rules added to them), GCP firewalls of its network whose targets include it, Azure network
 * security groups on its network interfaces or subnets (and their separate security rules).
 */
function guardsOf(node: StackResource, resources: StackResource[], byUrn: Map<string, StackResource>): { rule: StackResource; via: string }[] {
    const out: { rule: StackResource; via: string }[] = [];
    const withRules = (group: StackResource, isRule: (t: string) => boolean, kind: string) => {
        const via = `${kind} "${group.name}" attached to "${node.name}"`;
        for (const rule of groupAndRules(group, resources, isRule)) out.push({ rule, via });
    };
    if (AWS_NODES.has(node.type)) {
        for (const g of resources) if (g.type === SECURITY_GROUP && dependsOn(node, g.urn)) withRules(g, isAwsRule, "security group");
    } else if (GCE_INSTANCE.test(node.type)) {
        for (const fw of resources) if (fw.type === GCE_FIREWALL && firewallApplies(fw, node)) out.push({ rule: fw, via: `firewall "${fw.name}" applying to "${node.name}"` });
    } else if (isAzureNode(node.type)) {
        const deps = reachable(node, byUrn, 3);
        for (const g of resources) if (isAzureNsg(g.type) && deps.has(g.urn)) withRules(g, isAzureRule, "network security group");
    }
    return out;
}

function portOf(v: unknown): number | undefined {
    const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
    return Number.isInteger(n) && n > 0 && n <= 65535 ? n : undefined;
}

function urlPorts(v: unknown): number[] {
    const list = Array.isArray(v) ? v : typeof v === "string" ? v.split(",") : [];
    return list.map((u) => /:(\d{1,5})\/?$/.exec(String(u).trim())?.[1]).map(portOf).filter((p): p is number => p !== undefined);
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
        const v = (k: string) => (s.settings[k]?.state === "explicit" ? s.settings[k].value : undefined);
        if (s.component === "apiserver") add(v("apiserver.securePort"), [6443], (p) => `whose kube-apiserver serves on ${p}`);
        if (s.component === "kubelet") {
            add(v("kubelet.port"), [10250], (p) => `whose kubelet serves on ${p}`);
            add(v("kubelet.readOnlyPort"), [0, 10255], (p) => `whose kubelet's read-only port is ${p}`);
        }
        if (s.component === "etcd") {
            for (const p of urlPorts(v("etcd.listenClientUrls"))) add(p, [2379, 2380], () => `whose etcd serves clients on ${p}`);
            for (const p of urlPorts(v("etcd.listenPeerUrls"))) add(p, [2379, 2380], () => `whose etcd serves peers on ${p}`);
        }
    }
    return out.sort((a, b) => a.port - b.port);
}

/**
 * The network rules guarding a node whose user data moves a component off its well-known port (e.g.
 * --secure-port=443, a kubelet on 10260, etcd on 12379): that port is a control-plane port for them. AWS
 * instances and launch templates, GCE instances and templates, Azure VMs and scale sets.
 */
function movedPortLinks(resources: StackResource[]): StackSubject[] {
    const out: StackSubject[] = [];
    const nodes = resources.filter((r) => AWS_NODES.has(r.type) || GCE_INSTANCE.test(r.type) || isAzureNode(r.type));
    if (nodes.length === 0) return out;
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    for (const node of nodes) {
        const moved = movedPorts(normalize(node.type, node.props).subjects);
        if (moved.length === 0) continue;
        const ranges = [...new Set(moved.map((m) => m.port))].map((p): [number, number] => [p, p]);
        const why = moved.map((m) => m.what).join(", ");
        for (const { rule, via } of guardsOf(node, resources, byUrn)) {
            out.push(...withExtraPorts(rule, ranges, `${via}, ${why}`, `${node.type.split(":").pop()} "${node.name}"`));
        }
    }
    return out;
}

/** GKE node pools inherit the metadata mode and the kubelet read-only port from their cluster. */
function gkeNodePoolLinks(resources: StackResource[]): StackSubject[] {
    const clusters = resources.filter((r) => r.type === GKE_CLUSTER);
    const out: StackSubject[] = [];
    for (const pool of resources.filter((r) => r.type === GKE_NODE_POOL)) {
        const props = obj(pool.props);
        const ref = typeof props.cluster === "string" ? props.cluster : "";
        const cluster = clusters.find((c) => dependsOn(pool, c.urn, ["cluster"])) ??
            clusters.find((c) => ref !== "" && (obj(c.props).name === ref || c.name === ref || ref.endsWith(`/clusters/${String(obj(c.props).name ?? c.name)}`)));
        const label = cluster ? cluster.name : ref || "(unnamed)";
        for (const subject of gkeNodePoolInherited(props, cluster ? obj(cluster.props) : undefined, label)) {
            out.push({ urn: pool.urn, name: pool.name, type: pool.type, subject });
        }
    }
    return out;
}

/**
 * EKS managed node groups run their launch template's user data on an image EKS chooses by amiType. The node
 * group is judged with the kubelet the two make together: the template's settings over the config file of the
 * AMI (unless the template names its own imageId). The node group, the resource that creates the nodes, then
 * carries the verdicts too, naming the template; and where the template's content alone does not say which
 * distribution it runs on, the node group's verdict is the precise one.
 */
function eksNodeGroupLinks(resources: StackResource[]): StackSubject[] {
    const templates = resources.filter((r) => r.type === EC2_LAUNCH_TEMPLATE);
    if (templates.length === 0) return [];
    const out: StackSubject[] = [];
    for (const group of resources.filter((r) => r.type === EKS_NODE_GROUP)) {
        const props = obj(group.props);
        const ref = obj(props.launchTemplate);
        if (Object.keys(ref).length === 0) continue;
        const byName = typeof ref.name === "string" && ref.name !== "" ? ref.name : undefined;
        const template = templates.find((t) => dependsOn(group, t.urn, ["launchTemplate"])) ??
            templates.find((t) => byName !== undefined && obj(t.props).name === byName) ??
            templates.find((t) => dependsOn(group, t.urn));
        if (!template) continue;
        const how = dependsOn(group, template.urn, ["launchTemplate"]) ? "launchTemplate" : byName !== undefined && obj(template.props).name === byName ? "launchTemplate.name" : "dependency";
        const image = eksManagedImage(props, obj(template.props), `"${group.name}"`);
        const onImage = image ? "EKS supplies the AMI" : "the template's own AMI (imageId) or amiType CUSTOM";
        for (const s of ec2LaunchTemplate(obj(template.props), image).subjects) {
            if (s.component !== "kubelet" && s.component !== "kube-proxy") continue;
            s.location = `joined with launch template "${template.name}" (by ${how}; ${onImage})${s.location ? `, ${s.location}` : ""}`;
            out.push({ urn: group.urn, name: group.name, type: group.type, subject: s });
        }
    }
    return out;
}

export function linkStack(resources: StackResource[]): StackSubject[] {
    return [
        ...rbacLinks(resources), ...aksAuditLinks(resources), ...clusterSecurityGroupLinks(resources),
        ...movedPortLinks(resources), ...gkeNodePoolLinks(resources), ...eksNodeGroupLinks(resources),
    ];
}
