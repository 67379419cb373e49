// The suite catches a broken policy: a copy of the pack whose etcd client-certificate policy never reports is
// run through the same real `pulumi preview`, and the assertion the preview suite makes on the real pack fails.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROGRAM, ROOT, Rendered, SKIP, Workspace, cliBin, renderedViolations } from "./harness";
import { assertMandatoryFindings } from "./expect";

const BROKEN = "etcd-client-cert-auth-enabled";

/** The pack's compiled files in a new folder, with BROKEN's validateResource replaced by one that reports nothing. */
function sabotagedPack(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-guard-sabotaged-"));
    fs.cpSync(path.join(ROOT, "bin"), path.join(dir, "bin"), {
        recursive: true,
        filter: (src) => !src.includes(`${path.sep}test${path.sep}`),
    });
    for (const f of ["PulumiPolicy.yaml", "package.json"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    const index = path.join(dir, "bin", "index.js");
    const js = fs.readFileSync(index, "utf8");
    const at = js.indexOf("new policy_1.PolicyPack(");
    assert.ok(at > 0, "bin/index.js constructs the PolicyPack");
    const sabotage = `for (const p of exports.policies) if (p.name === ${JSON.stringify(BROKEN)}) p.validateResource = () => {};\n`;
    fs.writeFileSync(index, js.slice(0, at) + sabotage + js.slice(at));
    return dir;
}

describe("a broken policy fails the real-CLI suite", { skip: SKIP }, () => {
    let ws: Workspace;
    let pack: string;
    let rendered: Rendered[];
    before(() => {
        pack = sabotagedPack();
        ws = new Workspace(cliBin(), PROGRAM);
        ws.initStack();
        rendered = renderedViolations(ws.pulumi(["preview", "--policy-pack", pack]).stdout);
    });
    after(() => {
        ws?.dispose();
        if (pack) fs.rmSync(pack, { recursive: true, force: true });
    });

    it("the sabotaged pack still runs and reports the other policies", () => {
        assert.ok(rendered.some((d) => d.level === "mandatory" && d.policy === "aks-rbac-enabled"));
        assert.ok(!rendered.some((d) => d.policy === BROKEN));
    });

    it("the preview suite's assertion fails, naming the broken policy", () => {
        assert.throws(
            () => assertMandatoryFindings(rendered),
            (e: Error) => {
                assert.ok(e instanceof assert.AssertionError);
                assert.match(e.message, new RegExp(`${BROKEN} @ etcd`));
                return true;
            },
        );
    });
});
