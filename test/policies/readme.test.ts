// The README's policy table stays true: every registered rule is listed with its severity and default.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../../policies";

describe("README", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
    for (const r of RULES) {
        it(`lists ${r.id} with its severity and enforcement`, () => {
            const row = readme.split("\n").find((l) => l.startsWith(`| \`${r.id}\` |`));
            assert.ok(row, `no row for ${r.id}`);
            assert.ok(row.includes(`| ${r.severity} | ${r.enforcement} |`), row);
        });
    }
    it("gives exactly the two set-up commands CI runs", () => {
        assert.match(readme, /^npm ci && npm run scan {2,}#/m);
        assert.match(readme, /^npm test {2,}#/m);
        const ci = fs.readFileSync(path.resolve(__dirname, "../../../.ci/run"), "utf8");
        assert.match(ci, /^npm ci/m);
        assert.match(ci, /^npm test$/m);
    });
});

describe("README policy table", () => {
    it("is the one `npm run docs` generates from the rule records", async () => {
        const { policyTable } = await import("../../scripts/docs");
        const readme = fs.readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
        assert.ok(readme.includes(policyTable()), "README policy table is stale: run `npm run docs`");
    });
    it("includes the component catalogue `npm run docs` generates from providers/node/catalogue.ts", async () => {
        const { catalogueTable } = await import("../../scripts/docs");
        const readme = fs.readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
        assert.ok(readme.includes(catalogueTable()), "README catalogue is stale: run `npm run docs`");
        assert.match(catalogueTable(), /`apiserver\.authorizationMode` \| `--authorization-mode` \| – \| list, append/);
    });
    it("includes the distributions' defaults `npm run docs` generates from providers/node/resolve/distros/", async () => {
        const { distributionTable } = await import("../../scripts/docs");
        const readme = fs.readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
        assert.ok(readme.includes(distributionTable()), "README distribution defaults are stale: run `npm run docs`");
        assert.match(distributionTable(), /\| k3s \| kube-apiserver \| `--anonymous-auth` \| `false` \|/);
    });
});
