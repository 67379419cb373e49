// `scan` on a stack exported with --show-secrets: the plaintext secrets are judged, and what they decide is withheld
// in every report format as in a preview (the pack receives them still marked secret).
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../../..");
const CLI = path.join(ROOT, "bin", "cli", "main.js");

describe("scan: plaintext secrets of an export stay secret in the report", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kag-scan-secrets-"));
    const file = path.join(dir, "stack.json");
    const vm = {
        urn: "urn:pulumi:dev::demo::aws:ec2/instance:Instance::vm",
        type: "aws:ec2/instance:Instance",
        inputs: {
            userData: {
                "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                plaintext: JSON.stringify(
                    "#!/bin/bash\nkubelet --read-only-port=10255 --hostname-override=AKIAIOSFODNN7EXAMPLE\n",
                ),
            },
        },
    };
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { resources: [vm] } }));
    for (const format of ["json", "sarif", "table"]) {
        it(`${format}: the verdicts are there, the secret's values are not`, () => {
            const r = spawnSync(process.execPath, [CLI, "scan", file, "--format", format, "--quiet"], {
                cwd: ROOT,
                encoding: "utf8",
                env: { ...process.env, NO_COLOR: "1" },
            });
            assert.equal(r.status, 1, r.stderr);
            assert.match(r.stdout, /kubelet-read-only-port-disabled/);
            assert.match(r.stdout, /kubelet\.hostnameOverride \(from userData, marked secret\) = \(secret\)/);
            assert.ok(!r.stdout.includes("AKIAIOSFODNN7EXAMPLE"), r.stdout);
        });
    }
});
