// Benchmark stacks for the access joins (scripts/bench.ts part 4 calls accessScale):
//   - rbacStack: roles and bindings joined at stack level (roleRef property dependency, dependency, name), with
//     *List kinds, aggregated ClusterRoles and every escalation path the RBAC rules look for;
//   - networkStack: AWS security groups with separate rules, GCP firewalls (allow and deny, priorities, source
//     tags) and Azure NSGs whose inline rules meet separate SecurityRule resources, in groups the size real
//     networks have (an NSG of a dozen rules, a VPC of a few dozen firewalls).
// AnalyzeStack is timed at 10,000 and 50,000 resources; linear work gives a ratio near 5x.
import { AnalyzerClient, ResourceInput, urnFor } from "../client/analyzer";

const RBAC = "kubernetes:rbac.authorization.k8s.io/v1";

type Add = (
    type: string,
    name: string,
    props: Record<string, unknown>,
    deps?: Record<string, string[]>,
    plain?: string[],
) => string;

function builder(n: number): { out: ResourceInput[]; add: Add } {
    const out: ResourceInput[] = [];
    const add: Add = (type, name, props, deps = {}, plain = []) => {
        const urn = urnFor(type, name);
        if (out.length < n)
            out.push({
                type,
                name,
                urn,
                props,
                dependencies: [...new Set([...Object.values(deps).flat(), ...plain])],
                propertyDependencies: deps,
            });
        return urn;
    };
    return { out, add };
}

/** Rules of the roles, in turn: hardened ones and one per escalation path. */
const GRANTS: Record<string, unknown>[][] = [
    [{ apiGroups: [""], resources: ["pods", "services"], verbs: ["get", "list", "watch"] }],
    [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind", "escalate"] }],
    [{ apiGroups: [""], resources: ["users", "groups", "serviceaccounts"], verbs: ["impersonate"] }],
    [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] }],
    [{ apiGroups: [""], resources: ["pods/exec", "pods/attach"], verbs: ["create"] }],
    [{ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get", "create"] }],
    [{ apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] }],
    [
        { apiGroups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"], verbs: ["update"] },
        { apiGroups: ["certificates.k8s.io"], resources: ["signers"], verbs: ["approve"] },
    ],
    [
        {
            apiGroups: ["admissionregistration.k8s.io"],
            resources: ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"],
            verbs: ["patch"],
        },
    ],
    [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "watch", "update"] }],
];

const SUBJECTS: Record<string, unknown>[][] = [
    [{ kind: "ServiceAccount", name: "app", namespace: "team" }],
    [{ kind: "Group", name: "system:authenticated" }],
    [{ kind: "ServiceAccount", name: "default", namespace: "team" }],
    [{ kind: "Group", name: "system:serviceaccounts" }],
    [{ kind: "Group", name: "platform-admins" }],
];

/**
 * Blocks of 12: a ClusterRole (rules in turn from GRANTS) and its ClusterRoleBinding joined by roleRef property
 * dependency; a namespaced Role and a RoleBinding joined by name only; an aggregated ClusterRole selecting the
 * labelled roles of four blocks (a selector matches a bounded set, as in real stacks), bound by plain dependency; a ClusterRoleBindingList; a role with aggregate-to-view; and three
 * resources the RBAC rules do not read.
 */
export function rbacStack(n: number): ResourceInput[] {
    const { out, add } = builder(n);
    for (let b = 0; out.length < n; b++) {
        const grant = GRANTS[b % GRANTS.length];
        const subjects = SUBJECTS[b % SUBJECTS.length];
        const ns = `team-${b % 50}`;
        const cr = add(`${RBAC}:ClusterRole`, `cr-${b}`, {
            metadata: { name: `cr-${b}`, labels: { "bench/agg": `a${Math.floor(b / 4)}` } },
            rules: grant,
        });
        add(
            `${RBAC}:ClusterRoleBinding`,
            `crb-${b}`,
            {
                metadata: { name: `crb-${b}` },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `cr-${b}` },
                subjects,
            },
            { roleRef: [cr] },
        );
        add(`${RBAC}:Role`, `role-${b}`, {
            metadata: { name: `role-${b}`, namespace: ns },
            rules: GRANTS[(b + 3) % GRANTS.length],
        });
        add(`${RBAC}:RoleBinding`, `rb-${b}`, {
            metadata: { name: `rb-${b}`, namespace: ns },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: `role-${b}` },
            subjects: SUBJECTS[(b + 1) % SUBJECTS.length].map((s) => ({ ...s, namespace: ns })),
        });
        const agg = add(`${RBAC}:ClusterRole`, `agg-${b}`, {
            metadata: { name: `agg-${b}` },
            aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "bench/agg": `a${Math.floor(b / 4)}` } }] },
        });
        add(
            `${RBAC}:ClusterRoleBinding`,
            `agg-crb-${b}`,
            {
                metadata: { name: `agg-crb-${b}` },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `agg-${b}` },
                subjects: SUBJECTS[(b + 2) % SUBJECTS.length],
            },
            {},
            [agg],
        );
        add(`${RBAC}:ClusterRoleBindingList`, `crbl-${b}`, {
            items: [0, 1].map((i) => ({
                metadata: { name: `crbl-${b}-${i}` },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `cr-${(b + i) * 7}` },
                subjects: SUBJECTS[(b + i) % SUBJECTS.length],
            })),
        });
        add(`${RBAC}:ClusterRole`, `viewer-ext-${b}`, {
            metadata: {
                name: `viewer-ext-${b}`,
                labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" },
            },
            rules: [{ apiGroups: ["bench.example.com"], resources: [`widgets${b}`], verbs: ["get", "list"] }],
        });
        add("kubernetes:core/v1:Namespace", `ns-${b}`, { metadata: { name: `ns-${b}` } });
        add("kubernetes:core/v1:ServiceAccount", `sa-${b}`, { metadata: { name: "app", namespace: ns } });
        add("kubernetes:apps/v1:Deployment", `deploy-${b}`, {
            metadata: { name: `app-${b}`, namespace: ns },
            spec: { template: { spec: { containers: [{ name: "app", image: "nginx" }] } } },
        });
    }
    return out;
}

/** Azure NSG rule props. */
const nsgRule = (name: string, priority: number, access: string, source: string, port: string) => ({
    name,
    priority,
    access,
    direction: "Inbound",
    protocol: "Tcp",
    sourceAddressPrefix: source,
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: port,
});

/**
 * Blocks of 25: an AWS security group with four inline ingress rules and three separate rules; an Azure NSG with
 * eight inline rules (allows and denies in priority order) and six separate SecurityRule resources (half joined by
 * property dependency, half by resource group and NSG name); seven GCP firewalls of the block's network (allows with
 * sourceRanges and sourceTags, denies before and after them by priority, targets); and four unrelated resources.
 */
export function networkStack(n: number): ResourceInput[] {
    const { out, add } = builder(n);
    const SG = "aws:ec2/securityGroup:SecurityGroup";
    const NSG = "azure-native:network:NetworkSecurityGroup";
    const RULE = "azure-native:network:SecurityRule";
    const FW = "gcp:compute/firewall:Firewall";
    for (let b = 0; out.length < n; b++) {
        const sg = add(SG, `sg-${b}`, {
            ingress: [
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] },
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
                { protocol: "tcp", fromPort: 6443, toPort: 6443, prefixListIds: ["pl-123"] },
                { protocol: "tcp", fromPort: 10250, toPort: 10250, securityGroups: ["sg-nodes"] },
            ],
        });
        for (const [i, port] of [2379, 9345, 50000].entries())
            add(
                "aws:ec2/securityGroupRule:SecurityGroupRule",
                `sgr-${b}-${i}`,
                {
                    type: "ingress",
                    protocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    cidrBlocks: [b % 4 === 0 ? "0.0.0.0/0" : "10.1.0.0/16"],
                    securityGroupId: "sg",
                },
                { securityGroupId: [sg] },
            );
        const nsgName = `nsg-${b}`;
        const nsg = add(NSG, nsgName, {
            resourceGroupName: `rg-${b % 20}`,
            networkSecurityGroupName: nsgName,
            securityRules: [
                nsgRule("deny-etcd", 100, "Deny", "*", "2379-2381"),
                nsgRule("allow-ssh", 110, "Allow", "10.0.0.0/8", "22"),
                nsgRule("allow-https", 120, "Allow", "Internet", "443"),
                nsgRule("deny-kubelet", 130, "Deny", "Internet", "10250"),
                nsgRule("allow-api", 300, "Allow", "*", "6443"),
                nsgRule("allow-range", 310, "Allow", "0.0.0.0/0", "2000-11000"),
                nsgRule("allow-vnet", 320, "Allow", "VirtualNetwork", "*"),
                nsgRule("deny-all", 4000, "Deny", "*", "*"),
            ],
        });
        for (let i = 0; i < 6; i++) {
            const props = {
                ...nsgRule(`sep-${i}`, 140 + i * 40, i % 2 === 0 ? "Deny" : "Allow", i < 3 ? "Internet" : "*", "6443"),
                resourceGroupName: `rg-${b % 20}`,
                networkSecurityGroupName: nsgName,
            };
            add(RULE, `sr-${b}-${i}`, props, i % 2 === 0 ? { networkSecurityGroupName: [nsg] } : {});
        }
        const network = `vpc-${b}`;
        const fw = (name: string, props: Record<string, unknown>) => add(FW, name, { network, ...props });
        fw(`fw-${b}-allow-api`, {
            allows: [{ protocol: "tcp", ports: ["6443", "10250"] }],
            sourceRanges: ["0.0.0.0/0"],
            sourceTags: ["bastion"],
            priority: 1000,
        });
        fw(`fw-${b}-deny-world`, {
            denies: [{ protocol: "all" }],
            sourceRanges: ["0.0.0.0/0"],
            priority: b % 2 ? 900 : 1100,
        });
        fw(`fw-${b}-allow-internal`, { allows: [{ protocol: "all" }], sourceRanges: ["10.128.0.0/9"], priority: 1000 });
        fw(`fw-${b}-allow-tags`, {
            allows: [{ protocol: "tcp", ports: ["6443"] }],
            sourceTags: ["ci"],
            priority: 1000,
        });
        fw(`fw-${b}-deny-etcd`, {
            denies: [{ protocol: "tcp", ports: ["2379-2381"] }],
            sourceRanges: ["0.0.0.0/0"],
            targetTags: ["cp"],
            priority: 500,
        });
        fw(`fw-${b}-allow-etcd`, {
            allows: [{ protocol: "tcp", ports: ["2379-2380"] }],
            sourceRanges: ["0.0.0.0/0"],
            targetTags: ["cp"],
            priority: 1000,
        });
        fw(`fw-${b}-allow-talos`, {
            allows: [{ protocol: "tcp", ports: ["50000-50001"] }],
            sourceRanges: ["203.0.113.0/24"],
            priority: 1000,
        });
        add("aws:s3/bucket:Bucket", `bucket-${b}`, { acl: "private" });
        add("gcp:compute/network:Network", network, { autoCreateSubnetworks: false });
        add("azure-native:resources:ResourceGroup", `rg-res-${b}`, { location: "westeurope" });
        add("random:index/randomId:RandomId", `id-${b}`, { byteLength: 4 });
    }
    return out;
}

export interface Timed {
    n: number;
    ms: number;
    cpuMs?: number;
    peakMb?: number;
    findings: number;
}

type Bytes = Buffer | Uint8Array;
interface RawClient {
    makeUnaryRequest(
        method: string,
        serialize: (b: Bytes) => Buffer,
        deserialize: (b: Buffer) => Buffer,
        arg: Bytes,
        callback: (e: Error | null, r?: Buffer) => void,
    ): unknown;
}

/**
 * One AnalyzeStack call on `make(n)`, timed from the request's bytes to the response's bytes: the request is built and
 * serialized before the clock starts and the response decoded after it stops, so the time is the pack's (its decoding,
 * judging and encoding, plus the local transport), not google-protobuf's work in this client process (the Pulumi CLI
 * is Go). Before 2026-12-02 14:00 the client's serialization of the request (~0.2 s at 10k, ~1 s at 50k, growing with
 * the client's heap) was inside the time.
 */
export async function analyzeStackOf(root: string, make: (n: number) => ResourceInput[], n: number): Promise<Timed> {
    const c = await AnalyzerClient.start(root);
    try {
        await c.configure({});
        const req = c.stackRequest(make(n)) as { serializeBinary(): Uint8Array };
        const bytes = Buffer.from(req.serializeBinary());
        // The generated client is a grpc-js Client; its unary call with identity (de)serializers sends the bytes as is.
        const raw = (c as unknown as { client: RawClient }).client;
        const id = (b: Bytes) => (Buffer.isBuffer(b) ? b : Buffer.from(b));
        const cpu0 = c.cpuTimeMs();
        const t0 = process.hrtime.bigint();
        const resp = await new Promise<Buffer>((resolve, reject) =>
            raw.makeUnaryRequest("/pulumirpc.Analyzer/AnalyzeStack", id, id, bytes, (e, r) =>
                e ? reject(e) : resolve(r!),
            ),
        );
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const cpu = c.cpuTimeMs();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [root] })) as {
            AnalyzeResponse: { deserializeBinary(b: Uint8Array): { getDiagnosticsList(): unknown[] } };
        };
        return {
            n,
            ms,
            cpuMs: cpu !== undefined && cpu0 !== undefined ? cpu - cpu0 : undefined,
            peakMb: c.peakMemoryMb(),
            findings: pb.AnalyzeResponse.deserializeBinary(resp).getDiagnosticsList().length,
        };
    } finally {
        await c.stop();
    }
}

/** Rows for bench.ts part 4: AnalyzeStack on the RBAC and the network stacks at each size, and the ratio. */
export async function accessScale(
    root: string,
    sizes: number[],
    rows: (what: string, runs: Timed[], targetMs?: number) => string[],
): Promise<string[]> {
    const out: string[] = [];
    for (const [what, make] of [
        ["AnalyzeStack (RBAC roles + bindings)", rbacStack],
        ["AnalyzeStack (SGs, firewalls, NSGs + rules)", networkStack],
    ] as const) {
        const runs: Timed[] = [];
        for (const n of sizes) runs.push(await analyzeStackOf(root, make, n));
        out.push(...rows(`${what}, ${runs.map((r) => r.findings).join("/")} findings`, runs, 10_000));
    }
    return out;
}
