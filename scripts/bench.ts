// `npm run bench`: the pack against a minimal pack (one no-op policy, importing only @pulumi/policy),
// measured side by side in the same run under the real launcher:
//   1. startup (spawn to port printed), median of interleaved starts;
//   2. Analyze latency per resource over a mixed stack of 10,000 resources;
//   3. install size of the packaged pack (dist) against @pulumi/policy alone.
// Targets: startup <= 1.15x, Analyze <= 1.3x, install <= 1.15x. Options: --resources N, --starts N, --no-install.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AnalyzerClient, ResourceInput } from "../test/harness/analyzer";
import { buildDist } from "./package";

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
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "minimal", version: "0.0.1", main: "index.js" }));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.js"), `const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("minimal", { policies: [{ name: "noop", description: "no-op", enforcementLevel: "advisory", validateResource: () => {} }] });
`);
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

/** A mixed stack: mostly resources the pack ignores, a tenth managed clusters and node pools, secure and not. */
export function mixedStack(n: number): ResourceInput[] {
    const out: ResourceInput[] = [];
    for (let i = 0; i < n; i++) {
        const k = i % 20;
        const name = `r${i}`;
        if (k === 0) out.push({ type: "aws:eks/cluster:Cluster", name, props: { roleArn: "arn:aws:iam::1:role/r", vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], endpointPublicAccess: i % 40 === 0, publicAccessCidrs: ["203.0.113.0/24"] }, enabledClusterLogTypes: ["api", "audit"] } });
        else if (k === 1) out.push({ type: "gcp:container/cluster:Cluster", name, props: { location: "europe-west1", initialNodeCount: 1, masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "0.0.0.0/0", displayName: "all" }] }, nodeConfig: { machineType: "e2-standard-4", kubeletConfig: { insecureKubeletReadonlyPortEnabled: "FALSE" } } } });
        else if (k === 2) out.push({ type: "azure-native:containerservice:ManagedCluster", name, props: { resourceGroupName: "rg", dnsPrefix: name, apiServerAccessProfile: { authorizedIPRanges: ["198.51.100.0/24"] }, agentPoolProfiles: [{ name: "sys", count: 3, vmSize: "Standard_D4s_v5", mode: "System" }] } });
        else if (k === 3) out.push({ type: "gcp:container/nodePool:NodePool", name, props: { cluster: "c", nodeCount: 3, nodeConfig: { machineType: "e2-standard-4", workloadMetadataConfig: { mode: "GKE_METADATA" } } } });
        else if (k < 10) out.push({ type: "aws:s3/bucket:Bucket", name, props: { bucket: `bucket-${i}`, tags: { team: "platform", env: "prod" } } });
        else if (k < 14) out.push({ type: "aws:iam/role:Role", name, props: { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }) } });
        else if (k < 17) out.push({ type: "aws:ec2/subnet:Subnet", name, props: { vpcId: "vpc-1", cidrBlock: `10.${i % 250}.0.0/24`, availabilityZone: "eu-west-1a" } });
        else out.push({ type: "gcp:compute/network:Network", name, props: { autoCreateSubnetworks: false } });
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
async function analyzeSideBySide(dirs: [string, string], resources: ResourceInput[], rounds: number): Promise<[number, number]> {
    const clients = await Promise.all(dirs.map((d) => AnalyzerClient.start(d)));
    const totals = [0, 0];
    try {
        for (const c of clients) {
            await c.configure({});
            for (const r of resources.slice(0, 500)) await c.analyze(r); // warm-up
        }
        const CHUNK = 500;
        for (let round = 0; round < rounds; round++) {
            for (let i = 0; i < resources.length; i += CHUNK) {
                const chunk = resources.slice(i, i + CHUNK);
                const order = ((i / CHUNK) + round) % 2 === 0 ? [0, 1] : [1, 0];
                for (const k of order) {
                    const t0 = process.hrtime.bigint();
                    for (const r of chunk) await clients[k].analyze(r);
                    totals[k] += Number(process.hrtime.bigint() - t0) / 1e3;
                }
            }
        }
    } finally {
        await Promise.all(clients.map((c) => c.stop()));
    }
    const n = resources.length * rounds;
    return [totals[0] / n, totals[1] / n];
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
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: dir, stdio: "pipe" });
}

function row(name: string, ours: number, minimal: number, unit: string, target: number): string {
    const ratio = ours / minimal;
    return `| ${name} | ${ours.toFixed(unit === "MB" ? 1 : unit === "µs" ? 0 : 0)} ${unit} | ${minimal.toFixed(unit === "MB" ? 1 : 0)} ${unit} | ${ratio.toFixed(2)}x | ${target.toFixed(2)}x | ${ratio <= target ? "ok" : "OVER"} |`;
}

async function main() {
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
        const [ours, min] = await analyzeSideBySide([ROOT, minimal], stack, 2);
        rows.push(row(`Analyze per resource (${RESOURCES} mixed, 2 rounds interleaved)`, ours, min, "µs", 1.3));

        if (!args.includes("--no-install")) {
            const dist = buildDist(fs.mkdtempSync(path.join(os.tmpdir(), "kag-dist-")));
            const alone = fs.mkdtempSync(path.join(os.tmpdir(), "kag-policy-alone-"));
            const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
            fs.writeFileSync(path.join(alone, "package.json"), JSON.stringify({ name: "alone", version: "0.0.1", dependencies: { "@pulumi/policy": pkg.dependencies["@pulumi/policy"] } }));
            npmInstall(dist);
            npmInstall(alone);
            rows.push(row("npm install size (dist vs @pulumi/policy alone)", duBytes(dist) / 1e6, duBytes(alone) / 1e6, "MB", 1.15));
            fs.rmSync(dist, { recursive: true, force: true });
            fs.rmSync(alone, { recursive: true, force: true });
        }
    } finally {
        fs.rmSync(minimal, { recursive: true, force: true });
    }
    const out = ["| measure | kube-api-guard | minimal pack | ratio | target | |", "|---|---|---|---|---|---|", ...rows].join("\n");
    process.stdout.write(`node ${process.version}, ${os.cpus().length} cores\n${out}\n`);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
