// The publishable artifact: dist/ alone, installed with a plain `npm install` as the Pulumi CLI does for a
// published pack, starts under the real launcher and judges resources.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildDist } from "../../scripts/package";
import { AnalyzerClient } from "../../client/analyzer";

describe("packaged pack (dist)", () => {
    let dir: string;
    let client: AnalyzerClient;
    before(async () => {
        dir = buildDist(fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-guard-dist-")));
        execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
            cwd: dir,
            stdio: "pipe",
        });
        client = await AnalyzerClient.start(dir);
    });
    after(async () => {
        await client?.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("holds compiled JavaScript and runtime dependencies only", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        assert.equal(pkg.main, "bin/index.js");
        const own = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8"));
        assert.deepEqual(pkg.dependencies, own.dependencies);
        for (const d of Object.keys(pkg.dependencies))
            assert.ok(!/^@pulumi\/(aws|gcp|azure|azure-native|kubernetes|command)$|typescript|fast-check/.test(d), d);
        assert.equal(pkg.devDependencies, undefined);
        assert.equal(pkg.scripts, undefined, "no build or prepare step on install");
        assert.ok(!fs.existsSync(path.join(dir, "bin", "test")));
        assert.ok(fs.existsSync(path.join(dir, "PulumiPolicy.yaml")));
        for (const sdk of ["aws", "gcp", "azure-native", "kubernetes"]) {
            assert.ok(!fs.existsSync(path.join(dir, "node_modules", "@pulumi", sdk)), `${sdk} installed in dist`);
        }
    });

    it("starts from dist/ alone and judges a resource over the Analyzer protocol", async () => {
        assert.ok(client.packDir.startsWith(dir));
        const ds = await client.analyze({
            type: "aws:eks/cluster:Cluster",
            name: "open",
            props: { vpcConfig: { subnetIds: ["s"] } },
        });
        const names = ds.map((d) => d.policyName);
        assert.ok(names.includes("cluster-public-endpoint-authorized-networks-only"), names.join(","));
        const info = await client.info();
        assert.equal(info.name, "kube-api-guard");
    });
});
