// The real-CLI suite never passes without the CLI: scripts/pulumi-cli/ensure.sh fails (it does not skip) when there is
// neither a `pulumi` nor a Go toolchain to build one, `npm run test:cli` runs the suites only after it succeeded and
// with the switch that turns their skip off, and `.ci/run` runs it, failing the run when it fails. Runs under
// `npm test` too (it needs no CLI).
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "./harness";

describe("the real-CLI suite fails without the CLI", () => {
    it("ensure.sh exits 1 with advice when neither pulumi nor Go is on PATH", () => {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-guard-ensure-"));
        try {
            const bare = [path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter);
            for (const tool of ["pulumi", "go"])
                assert.ok(
                    !bare.split(path.delimiter).some((d) => fs.existsSync(path.join(d, tool))),
                    `${tool} in ${bare}`,
                );
            const r = spawnSync("bash", [path.join(ROOT, "scripts/pulumi-cli/ensure.sh")], {
                env: { PATH: bare, HOME: home, KUBE_API_GUARD_CACHE: path.join(home, "cache") },
                encoding: "utf8",
            });
            assert.equal(r.status, 1, r.stderr);
            assert.equal(r.stdout, "", "prints no folder to put on PATH");
            assert.match(
                r.stderr,
                /no pulumi on PATH and no Go toolchain to build it: install Go 1\.26 or the Pulumi CLI v3\.248\.0/,
            );
        } finally {
            fs.rmSync(home, { recursive: true, force: true });
        }
    });

    it("`npm run test:cli` runs the suites only after ensure.sh succeeded, with their skip turned off", () => {
        const script = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts["test:cli"];
        assert.match(
            script,
            /^npm run build && bash scripts\/pulumi-cli\/ensure\.sh > \/dev\/null && KUBE_API_GUARD_REAL_CLI=1 node --test .*bin\/test\/cli-real$/,
        );
    });

    it(".ci/run runs the README's `npm run test:cli` after `npm test` and stops on its failure", () => {
        const ci = fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8");
        assert.match(ci, /^set -euo pipefail$/m);
        const lines = ci.split("\n").map((l) => l.trim());
        const test = lines.indexOf("npm test");
        const cli = lines.findIndex((l) => /^timeout (--kill-after=\d+ )?\d+m npm run test:cli$/.test(l));
        assert.ok(test >= 0 && cli > test, "npm test, then npm run test:cli under a time limit");
        // No `set +e` between them may swallow its exit code.
        const setE = lines.slice(test, cli).lastIndexOf("set +e");
        assert.ok(setE < 0 || lines.slice(test + setE, cli).includes("set -e"), "set +e before test:cli");
        assert.match(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"), /^npm run test:cli\s+#/m);
    });
});
