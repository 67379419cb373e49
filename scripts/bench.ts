// `npm run bench`: the pack against a minimal pack (one no-op policy, importing only @pulumi/policy),
// measured side by side in the same run under the real launcher:
//   1. startup (spawn to port printed), median of interleaved starts;
//   2. Analyze latency per resource over a mixed stack of 10,000 resources;
//   3. install size of the packaged pack (dist) against @pulumi/policy alone.
//   4. AnalyzeStack on a linked stack (linkedStack) and `scan` on an exported mixed stack, at 10,000 and 50,000
//      resources: time, the pack's CPU time and peak memory, and the ratio 50k/10k (linear would be 5x); the same
//      for the access joins on an RBAC stack and a network-rule stack (scripts/bench-access.ts).
//   5. (with part 2) one Analyze call on an instance whose user data is a 3,000-line bootstrap script
//      (scripts/bench-script.ts): first call of a fresh process and median of the next, against the 500 ms
//      per-resource deadline (providers/budget.ts); --script-only runs just this part.
// Targets: startup <= 1.15x, Analyze <= 1.3x, install <= 1.15x; AnalyzeStack at 50k under 10 s, 50k/10k <= 5.5x.
// Options: --resources N, --starts N, --no-install, --scale-only (only part 4), --no-scan (part 4 without scan),
// --script-only (only part 5).
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AnalyzerClient, ResourceInput, urnFor } from "../client/analyzer";
import { buildDist } from "./package";
import { accessScale, analyzeStackOf } from "./bench-access";
import { scriptLatency } from "./bench-script";

const ROOT = path.resolve(__dirname, "../..");
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : dflt;
};
const RESOURCES = opt("resources", 10_000);
const STARTS = opt("starts", 7);

function minimalPack(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kag-minimal-"));
    fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "minimal", version: "0.0.1", main: "index.js" }),
    );
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    fs.writeFileSync(
        path.join(dir, "index.js"),
        `const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("minimal", { policies: [{ name: "noop", description: "no-op", enforcementLevel: "advisory", validateResource: () => {} }] });
`,
    );
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

/** About 16 KiB of MIME user data: cloud-config with files, a bootstrap shell script and a nodeadm NodeConfig. */
export function heavyUserData(i: number): string {
    const filler = Array.from(
        { length: 160 },
        (_, j) => `      - echo "step ${j} of node ${i}" >> /var/log/bootstrap.log`,
    ).join("\n");
    const kubelet = [
        "apiVersion: kubelet.config.k8s.io/v1beta1",
        "kind: KubeletConfiguration",
        "authentication:",
        "  anonymous:",
        "    enabled: false",
        "authorization:",
        "  mode: Webhook",
        `readOnlyPort: ${i % 2 ? 0 : 10255}`,
    ].join("\n");
    const parts = [
        [
            "text/cloud-config",
            `#cloud-config\nwrite_files:\n- path: /var/lib/kubelet/config.yaml\n  content: |\n${kubelet
                .split("\n")
                .map((l) => "    " + l)
                .join("\n")}\nruncmd:\n${filler.replace(/^ {6}/gm, "")}\n`,
        ],
        [
            "text/x-shellscript",
            `#!/bin/bash\nset -euo pipefail\n${Array.from({ length: 120 }, (_, j) => `sysctl -w net.ipv4.conf.all.rp_filter=${j % 2}`).join("\n")}\n/etc/eks/bootstrap.sh prod --kubelet-extra-args '--node-labels=pool=${i}'\n`,
        ],
        [
            "application/node.eks.aws",
            "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster:\n    name: prod\n  kubelet:\n    flags:\n    - --node-labels=tier=bench\n",
        ],
    ];
    return [
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="//"',
        "",
        ...parts.flatMap(([t, b]) => ["--//", `Content-Type: ${t}`, "", b]),
        "--//--",
        "",
    ].join("\n");
}

/**
 * A mixed stack of 20-resource blocks: 12 cloud resources the pack does not read; 4 Kubernetes app resources it
 * reads but finds no component in (Deployment, ConfigMap of app settings); 1 managed cluster (EKS, GKE or AKS in
 * turn, secure and not); 1 node pool; 1 launch template with ~16 KiB of MIME user data; 1 control-plane carrier
 * (an API server static pod or a kubeadm ConfigMap).
 */
export function mixedStack(n: number): ResourceInput[] {
    const out: ResourceInput[] = [];
    for (let i = 0; i < n; i++) {
        const k = i % 20;
        const round = Math.floor(i / 20);
        const name = `r${i}`;
        if (k === 0) {
            const which = round % 3;
            if (which === 0)
                out.push({
                    type: "aws:eks/cluster:Cluster",
                    name,
                    props: {
                        roleArn: "arn:aws:iam::1:role/r",
                        vpcConfig: {
                            subnetIds: ["subnet-a", "subnet-b"],
                            endpointPublicAccess: round % 2 === 0,
                            publicAccessCidrs: ["203.0.113.0/24"],
                        },
                        enabledClusterLogTypes: ["api", "audit"],
                    },
                });
            else if (which === 1)
                out.push({
                    type: "gcp:container/cluster:Cluster",
                    name,
                    props: {
                        location: "europe-west1",
                        initialNodeCount: 1,
                        masterAuthorizedNetworksConfig: {
                            cidrBlocks: [{ cidrBlock: round % 2 ? "10.0.0.0/8" : "0.0.0.0/0", displayName: "all" }],
                        },
                        nodeConfig: {
                            machineType: "e2-standard-4",
                            kubeletConfig: { insecureKubeletReadonlyPortEnabled: "FALSE" },
                        },
                    },
                });
            else
                out.push({
                    type: "azure-native:containerservice:ManagedCluster",
                    name,
                    props: {
                        resourceGroupName: "rg",
                        dnsPrefix: name,
                        apiServerAccessProfile: { authorizedIPRanges: ["198.51.100.0/24"] },
                        agentPoolProfiles: [{ name: "sys", count: 3, vmSize: "Standard_D4s_v5", mode: "System" }],
                    },
                });
        } else if (k === 1)
            out.push({
                type: "gcp:container/nodePool:NodePool",
                name,
                props: {
                    cluster: "c",
                    nodeCount: 3,
                    nodeConfig: { machineType: "e2-standard-4", workloadMetadataConfig: { mode: "GKE_METADATA" } },
                },
            });
        else if (k === 2)
            out.push({
                type: "aws:ec2/launchTemplate:LaunchTemplate",
                name,
                props: {
                    namePrefix: "nodes-",
                    imageId: "ami-1",
                    userData: Buffer.from(heavyUserData(i)).toString("base64"),
                },
            });
        else if (k === 3) {
            if (round % 2)
                out.push({
                    type: "kubernetes:core/v1:Pod",
                    name,
                    props: {
                        metadata: { name: "kube-apiserver", namespace: "kube-system" },
                        spec: {
                            containers: [
                                {
                                    name: "kube-apiserver",
                                    image: "registry.k8s.io/kube-apiserver:v1.31.2",
                                    command: [
                                        "kube-apiserver",
                                        "--authorization-mode=Node,RBAC",
                                        "--enable-admission-plugins=NodeRestriction",
                                        `--profiling=${round % 4 === 1}`,
                                        "--client-ca-file=/pki/ca.crt",
                                    ],
                                },
                            ],
                        },
                    },
                });
            else
                out.push({
                    type: "kubernetes:core/v1:ConfigMap",
                    name,
                    props: {
                        metadata: { name: "kubeadm-config", namespace: "kube-system" },
                        data: {
                            ClusterConfiguration:
                                'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.31.2\napiServer:\n  extraArgs:\n  - name: profiling\n    value: "false"\n',
                        },
                    },
                });
        } else if (k < 6)
            out.push({
                type: "kubernetes:apps/v1:Deployment",
                name,
                props: {
                    metadata: { name: `app-${i}`, namespace: "apps" },
                    spec: {
                        replicas: 3,
                        selector: { matchLabels: { app: `app-${i}` } },
                        template: {
                            metadata: { labels: { app: `app-${i}` } },
                            spec: {
                                containers: [
                                    {
                                        name: "web",
                                        image: "nginx:1.27",
                                        args: ["--port=8080"],
                                        ports: [{ containerPort: 8080 }],
                                    },
                                ],
                            },
                        },
                    },
                },
            });
        else if (k < 8)
            out.push({
                type: "kubernetes:core/v1:ConfigMap",
                name,
                props: {
                    metadata: { name: `settings-${i}`, namespace: "apps" },
                    data: { "app.yaml": `feature: on\nlevel: ${i}\n`, LOG_LEVEL: "info" },
                },
            });
        else if (k < 12)
            out.push({
                type: "aws:s3/bucket:Bucket",
                name,
                props: { bucket: `bucket-${i}`, tags: { team: "platform", env: "prod" } },
            });
        else if (k < 15)
            out.push({
                type: "aws:iam/role:Role",
                name,
                props: {
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
                        ],
                    }),
                },
            });
        else if (k < 18)
            out.push({
                type: "aws:ec2/subnet:Subnet",
                name,
                props: { vpcId: "vpc-1", cidrBlock: `10.${i % 250}.0.0/24`, availabilityZone: "eu-west-1a" },
            });
        else out.push({ type: "gcp:compute/network:Network", name, props: { autoCreateSubnetworks: false } });
    }
    return out;
}

/**
 * A stack whose resources join one another as real stacks do, in blocks of 25: per block a security group with a
 * separate rule, two EC2 instances whose kubelet moved to port 10260 (attached to the block's group and to one
 * security group shared by every instance of the stack), an EKS cluster on the group, a launch template and the
 * node group using it, a GKE cluster and node pool, a GCE firewall and instance on one of ten networks, an Azure NSG,
 * NIC, VM and security rule, a wildcard ClusterRole and its binding, an AKS cluster and its diagnostic setting, and
 * six resources the pack does not read. Every resource gets a URN, dependencies and property dependencies.
 */
export function linkedStack(n: number): ResourceInput[] {
    const out: ResourceInput[] = [];
    const urn = (type: string, name: string) => urnFor(type, name);
    const SG = "aws:ec2/securityGroup:SecurityGroup";
    const hub = urn(SG, "shared-sg");
    const kubelet = (i: number) => `#!/bin/bash
kubelet --port=10260 --anonymous-auth=false --read-only-port=0 --node-labels=n=${i}
`;
    const add = (type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}) => {
        if (out.length >= n) return;
        const all = [...new Set(Object.values(deps).flat())];
        out.push({ type, name, urn: urn(type, name), props, dependencies: all, propertyDependencies: deps });
    };
    add(SG, "shared-sg", { ingress: [{ protocol: "tcp", fromPort: 10260, toPort: 10260, cidrBlocks: ["0.0.0.0/0"] }] });
    for (let b = 0; out.length < n; b++) {
        const sg = urn(SG, `sg-${b}`);
        add(SG, `sg-${b}`, { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });
        add(
            "aws:ec2/securityGroupRule:SecurityGroupRule",
            `sgr-${b}`,
            {
                type: "ingress",
                protocol: "tcp",
                fromPort: 6443,
                toPort: 6443,
                cidrBlocks: ["10.0.0.0/8"],
                securityGroupId: "sg",
            },
            { securityGroupId: [sg] },
        );
        for (const k of [0, 1])
            add(
                "aws:ec2/instance:Instance",
                `i-${b}-${k}`,
                { ami: "ami-1", instanceType: "m5.large", userData: kubelet(b) },
                { vpcSecurityGroupIds: [sg, hub] },
            );
        add(
            "aws:eks/cluster:Cluster",
            `eks-${b}`,
            { roleArn: "arn:aws:iam::1:role/r", vpcConfig: { securityGroupIds: ["sg"], endpointPublicAccess: false } },
            { vpcConfig: [sg] },
        );
        const lt = urn("aws:ec2/launchTemplate:LaunchTemplate", `lt-${b}`);
        add("aws:ec2/launchTemplate:LaunchTemplate", `lt-${b}`, {
            name: `lt-${b}`,
            userData: Buffer.from(kubelet(b)).toString("base64"),
        });
        add(
            "aws:eks/nodeGroup:NodeGroup",
            `ng-${b}`,
            { clusterName: `eks-${b}`, launchTemplate: { name: `lt-${b}`, version: "1" } },
            { launchTemplate: [lt] },
        );
        const gke = urn("gcp:container/cluster:Cluster", `gke-${b}`);
        add("gcp:container/cluster:Cluster", `gke-${b}`, {
            name: `gke-${b}`,
            location: "europe-west1",
            masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "10.0.0.0/8" }] },
        });
        add(
            "gcp:container/nodePool:NodePool",
            `pool-${b}`,
            { cluster: `gke-${b}`, nodeConfig: { workloadMetadataConfig: { mode: "GKE_METADATA" } } },
            { cluster: [gke] },
        );
        const net = `net-${b % 10}`;
        if (b < 10)
            add("gcp:compute/firewall:Firewall", `fw-${b}`, {
                network: net,
                direction: "INGRESS",
                sourceRanges: ["0.0.0.0/0"],
                allows: [{ protocol: "tcp", ports: ["10260"] }],
                targetTags: ["k8s"],
            });
        else add("aws:s3/bucket:Bucket", `fw-filler-${b}`, { bucket: `b-${b}` });
        add("gcp:compute/instance:Instance", `gce-${b}`, {
            machineType: "e2-medium",
            tags: ["k8s"],
            networkInterfaces: [{ network: net }],
            metadata: { "user-data": kubelet(b) },
        });
        const nsg = urn("azure-native:network:NetworkSecurityGroup", `nsg-${b}`);
        add("azure-native:network:NetworkSecurityGroup", `nsg-${b}`, { resourceGroupName: "rg", securityRules: [] });
        const nic = urn("azure-native:network:NetworkInterface", `nic-${b}`);
        add(
            "azure-native:network:NetworkInterface",
            `nic-${b}`,
            { resourceGroupName: "rg", networkSecurityGroup: { id: "nsg" } },
            { networkSecurityGroup: [nsg] },
        );
        add(
            "azure-native:compute:VirtualMachine",
            `vm-${b}`,
            { resourceGroupName: "rg", osProfile: { customData: Buffer.from(kubelet(b)).toString("base64") } },
            { networkProfile: [nic] },
        );
        add(
            "azure-native:network:SecurityRule",
            `nsr-${b}`,
            {
                resourceGroupName: "rg",
                networkSecurityGroupName: "nsg",
                direction: "Inbound",
                access: "Allow",
                protocol: "Tcp",
                sourceAddressPrefix: "*",
                destinationPortRange: "10260",
                priority: 100,
            },
            { networkSecurityGroupName: [nsg] },
        );
        add("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", `role-${b}`, {
            metadata: { name: `role-${b}` },
            rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
        });
        add("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", `binding-${b}`, {
            metadata: { name: `binding-${b}` },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `role-${b}` },
            subjects: [{ kind: "Group", name: "ops" }],
        });
        const aks = urn("azure-native:containerservice:ManagedCluster", `aks-${b}`);
        add("azure-native:containerservice:ManagedCluster", `aks-${b}`, {
            resourceName: `aks-${b}`,
            resourceGroupName: "rg",
            dnsPrefix: "a",
            apiServerAccessProfile: { enablePrivateCluster: true },
        });
        add(
            "azure-native:insights:DiagnosticSetting",
            `diag-${b}`,
            {
                resourceUri: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-${b}`,
                logs: [{ category: "kube-audit", enabled: true }],
            },
            { resourceUri: [aks] },
        );
        for (let k = 0; k < 5; k++)
            add("aws:ec2/subnet:Subnet", `subnet-${b}-${k}`, { vpcId: "vpc-1", cidrBlock: `10.${k}.${b % 250}.0/24` });
    }
    return out;
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

async function startupMs(dir: string): Promise<number> {
    const c = await AnalyzerClient.start(dir);
    const ms = c.startupMs;
    await c.stop();
    return ms;
}

/**
 * Both packs run at once; the stack is sent in chunks, alternating which pack goes first, so that drift in
 * machine load hits both equally. Returns microseconds per resource for each pack.
 */
async function analyzeSideBySide(
    dirs: [string, string],
    resources: ResourceInput[],
    rounds: number,
): Promise<{ latency: [number, number]; cpu: [number, number] | undefined }> {
    const clients = await Promise.all(dirs.map((d) => AnalyzerClient.start(d)));
    const totals = [0, 0];
    const cpu = [0, 0];
    try {
        for (const c of clients) {
            await c.configure({});
            for (const r of resources.slice(0, 500)) await c.analyze(r); // warm-up
        }
        const CHUNK = 500;
        for (let round = 0; round < rounds; round++) {
            for (let i = 0; i < resources.length; i += CHUNK) {
                const chunk = resources.slice(i, i + CHUNK);
                const order = (i / CHUNK + round) % 2 === 0 ? [0, 1] : [1, 0];
                for (const k of order) {
                    const c0 = clients[k].cpuTimeMs() ?? NaN;
                    const t0 = process.hrtime.bigint();
                    for (const r of chunk) await clients[k].analyze(r);
                    totals[k] += Number(process.hrtime.bigint() - t0) / 1e3;
                    cpu[k] += ((clients[k].cpuTimeMs() ?? NaN) - c0) * 1e3;
                }
            }
        }
    } finally {
        await Promise.all(clients.map((c) => c.stop()));
    }
    const n = resources.length * rounds;
    return {
        latency: [totals[0] / n, totals[1] / n],
        cpu: Number.isFinite(cpu[0]) ? [cpu[0] / n, cpu[1] / n] : undefined,
    };
}

function duBytes(dir: string): number {
    let total = 0;
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.isFile()) total += fs.statSync(p).size;
        }
    };
    walk(dir);
    return total;
}

function npmInstall(dir: string): void {
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
        cwd: dir,
        stdio: "pipe",
    });
}

function row(name: string, ours: number, minimal: number, unit: string, target: number): string {
    const ratio = ours / minimal;
    const goal = Number.isFinite(target) ? `${target.toFixed(2)}x` : "–";
    const verdict = Number.isFinite(target) ? (ratio <= target ? "ok" : "OVER") : "";
    return `| ${name} | ${ours.toFixed(unit === "MB" ? 1 : 0)} ${unit} | ${minimal.toFixed(unit === "MB" ? 1 : 0)} ${unit} | ${ratio.toFixed(2)}x | ${goal} | ${verdict} |`;
}

let scanLine = "";

const SIZES = [10_000, 50_000];

interface Scaled {
    n: number;
    ms: number;
    cpuMs?: number;
    peakMb?: number;
}

/** `kube-api-guard scan` on an exported stack of n mixed resources: wall time and peak memory (GNU time, when present). */
function scanAt(n: number): Scaled {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kag-scan-"));
    const file = path.join(dir, "stack.json");
    try {
        fs.writeFileSync(
            file,
            JSON.stringify({
                version: 3,
                deployment: {
                    resources: mixedStack(n).map((r) => ({
                        urn: urnFor(r.type, r.name),
                        type: r.type,
                        custom: true,
                        inputs: r.props,
                    })),
                },
            }),
        );
        const cli = [
            path.join(ROOT, "bin", "cli", "main.js"),
            "scan",
            file,
            "--format",
            "json",
            "--quiet",
            "--output",
            path.join(dir, "report.json"),
        ];
        const timed = fs.existsSync("/usr/bin/time");
        const t0 = process.hrtime.bigint();
        const run = timed
            ? spawnSync("/usr/bin/time", ["-f", "peak-kb %M", process.execPath, ...cli], {
                  encoding: "utf8",
                  maxBuffer: 64 * 1024 * 1024,
              })
            : spawnSync(process.execPath, cli, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (run.status !== 0 && run.status !== 1) throw new Error(`scan failed: ${run.stderr}`);
        const kb = /peak-kb (\d+)/.exec(run.stderr ?? "")?.[1];
        return { n, ms, peakMb: kb ? Number(kb) / 1024 : undefined };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function scaleRows(what: string, runs: Scaled[], targetMs?: number): string[] {
    const fmt = (x: Scaled) =>
        `${(x.ms / 1000).toFixed(1)} s${x.cpuMs !== undefined ? ` (pack CPU ${(x.cpuMs / 1000).toFixed(1)} s)` : ""}` +
        `, peak ${x.peakMb !== undefined ? `${Math.round(x.peakMb)} MB` : "n/a"}`;
    const [small, large] = runs;
    const ratio = large.ms / small.ms;
    const cpuRatio =
        large.cpuMs !== undefined && small.cpuMs ? ` (CPU ${(large.cpuMs / small.cpuMs).toFixed(2)}x)` : "";
    const within =
        targetMs === undefined
            ? ""
            : large.ms <= targetMs
              ? ` ok (under ${targetMs / 1000} s)`
              : ` OVER ${targetMs / 1000} s`;
    return [
        `| ${what} | ${small.n} | ${fmt(small)} |`,
        `| ${what} | ${large.n} | ${fmt(large)}${within} |`,
        `| ${what} | ratio ${large.n / 1000}k/${small.n / 1000}k | ${ratio.toFixed(2)}x${cpuRatio} (target <= 5.50x) ${ratio <= 5.5 ? "ok" : "OVER"} |`,
    ];
}

async function scale(): Promise<string> {
    const rows = ["| measure | resources | time, CPU, peak memory |", "|---|---|---|"];
    const stack: Scaled[] = [];
    for (const n of SIZES) stack.push(await analyzeStackOf(ROOT, linkedStack, n));
    rows.push(...scaleRows("AnalyzeStack (linked stack)", stack, 10_000));
    rows.push(...(await accessScale(ROOT, SIZES, scaleRows)));
    if (!args.includes("--no-scan")) rows.push(...scaleRows("scan (exported mixed stack)", SIZES.map(scanAt)));
    return rows.join("\n");
}

async function scriptLine(): Promise<string> {
    const t = await scriptLatency(ROOT, 3000);
    return (
        `big script: Analyze of an instance whose user data is a ${t.lines}-line bootstrap script: first call ` +
        `${t.coldMs.toFixed(0)} ms, then median ${t.warmMs.toFixed(0)} ms (pack CPU ${t.cpuMs?.toFixed(0) ?? "n/a"} ms), ` +
        `${t.judged ? `judged (${t.findings} findings)` : "STOPPED by the deadline"}; deadline 500 ms, target < 150 ms`
    );
}

async function main() {
    if (args.includes("--script-only")) {
        process.stdout.write(`${await scriptLine()}\n`);
        return;
    }
    if (args.includes("--scale-only")) {
        process.stdout.write(`node ${process.version}, ${os.cpus().length} cores\n${await scale()}\n`);
        return;
    }
    const minimal = minimalPack();
    const rows: string[] = [];
    try {
        const oursStart: number[] = [];
        const minStart: number[] = [];
        for (let i = 0; i < STARTS; i++) {
            minStart.push(await startupMs(minimal));
            oursStart.push(await startupMs(ROOT));
        }
        rows.push(row("startup (median)", median(oursStart), median(minStart), "ms", 1.15));

        const stack = mixedStack(RESOURCES);
        const analyzed = await analyzeSideBySide([ROOT, minimal], stack, 2);
        rows.push(
            row(
                `Analyze latency per resource (${RESOURCES} mixed, 2 rounds interleaved)`,
                analyzed.latency[0],
                analyzed.latency[1],
                "µs",
                1.3,
            ),
        );
        scanLine = await scriptLine();
        if (analyzed.cpu)
            rows.push(
                row(
                    "Analyze CPU time of the pack process per resource (same run; informational)",
                    analyzed.cpu[0],
                    analyzed.cpu[1],
                    "µs",
                    Infinity,
                ),
            );

        // Scan throughput: the command on an exported stack of the same 10,000 resources.
        const exportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kag-scan-")), "stack.json");
        fs.writeFileSync(
            exportFile,
            JSON.stringify({
                version: 3,
                deployment: {
                    resources: stack.map((r) => ({
                        urn: urnFor(r.type, r.name),
                        type: r.type,
                        custom: true,
                        inputs: r.props,
                    })),
                },
            }),
        );
        const s0 = process.hrtime.bigint();
        const scanRun = spawnSync(
            process.execPath,
            [path.join(ROOT, "bin", "cli", "main.js"), "scan", exportFile, "--format", "json", "--quiet"],
            { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 },
        );
        const scanSeconds = Number(process.hrtime.bigint() - s0) / 1e9;
        if (scanRun.status !== 0 && scanRun.status !== 1) throw new Error(`scan failed: ${scanRun.stderr}`);
        scanLine += `\nscan: ${RESOURCES} resources judged in ${scanSeconds.toFixed(1)} s (${Math.round(RESOURCES / scanSeconds)} resources/s), target well under 60 s`;
        fs.rmSync(path.dirname(exportFile), { recursive: true, force: true });

        if (!args.includes("--no-install")) {
            const dist = buildDist(fs.mkdtempSync(path.join(os.tmpdir(), "kag-dist-")));
            const alone = fs.mkdtempSync(path.join(os.tmpdir(), "kag-policy-alone-"));
            const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
            fs.writeFileSync(
                path.join(alone, "package.json"),
                JSON.stringify({
                    name: "alone",
                    version: "0.0.1",
                    dependencies: { "@pulumi/policy": pkg.dependencies["@pulumi/policy"] },
                }),
            );
            npmInstall(dist);
            npmInstall(alone);
            rows.push(
                row(
                    "npm install size (dist vs @pulumi/policy alone)",
                    duBytes(dist) / 1e6,
                    duBytes(alone) / 1e6,
                    "MB",
                    1.15,
                ),
            );
            fs.rmSync(dist, { recursive: true, force: true });
            fs.rmSync(alone, { recursive: true, force: true });
        }
    } finally {
        fs.rmSync(minimal, { recursive: true, force: true });
    }
    const out = [
        "| measure | kube-api-guard | minimal pack | ratio | target | |",
        "|---|---|---|---|---|---|",
        ...rows,
    ].join("\n");
    process.stdout.write(
        `node ${process.version}, ${os.cpus().length} cores\n${out}\n${scanLine}\n\n${await scale()}\n`,
    );
}

if (require.main === module)
    main().catch((e) => {
        console.error(e);
        process.exit(1);
    });
