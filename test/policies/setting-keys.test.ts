// Setting keys are typed (providers/keys.ts): a misspelt key in a provider, the node catalogue or a rule must fail
// to compile. The check runs the TypeScript compiler on small sources that import the real modules.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { SETTING_KEYS } from "../../providers/keys";
import { RULES } from "../../policies";
import { COMPONENTS } from "../../providers/node/catalogue";

const ROOT = path.resolve(__dirname, "../../..");

/** Type-check sources placed in the project (so their relative imports resolve) in one program; errors per source. */
function typeErrors(sources: string[]): string[][] {
    const dir = fs.mkdtempSync(path.join(ROOT, "test", ".keys-"));
    const files = sources.map((_, i) => path.join(dir, `probe${i}.ts`));
    try {
        sources.forEach((src, i) => fs.writeFileSync(files[i], src));
        const program = ts.createProgram(files, {
            strict: true,
            noEmit: true,
            target: ts.ScriptTarget.ES2022,
            module: ts.ModuleKind.CommonJS,
            types: [],
            skipLibCheck: true,
        });
        const diagnostics = ts.getPreEmitDiagnostics(program);
        return files.map((f) =>
            diagnostics
                .filter((d) => d.file?.fileName === f)
                .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
        );
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const PROVIDER = (key: string) => `
import { explicit, settingsOf } from "../../providers/model";
export const s = settingsOf({ "${key}": explicit(0, "readOnlyPort") });
`;
const RULE = (key: string) => `
import type { SettingRule } from "../../policies/rule";
export const r: Pick<SettingRule, "setting"> = { setting: "${key}" };
`;
const CATALOGUE_READ = (key: string) => `
import type { Subject } from "../../providers/model";
export const read = (s: Subject) => s.settings["${key}"];
`;

const PROBES = [
    ["a provider's settings", PROVIDER],
    ["a rule's setting", RULE],
    ["a read of a subject's settings", CATALOGUE_READ],
] as const;

describe("setting keys are typed (a misspelt key does not compile)", () => {
    it('"kubelet.readOnlyPort" compiles and "kubelet.readOnlyPrt" does not, in providers, rules and reads', () => {
        const errors = typeErrors(
            PROBES.flatMap(([, probe]) => [probe("kubelet.readOnlyPort"), probe("kubelet.readOnlyPrt")]),
        );
        PROBES.forEach(([what], i) => {
            assert.deepEqual(errors[2 * i], [], `${what}: a known key did not compile`);
            const bad = errors[2 * i + 1];
            assert.ok(
                bad.some((e) => e.includes("kubelet.readOnlyPrt")),
                `${what}: a misspelt key compiled`,
            );
        });
    });
    it("every key the rules judge and the catalogue produces is a known key, and every known key is used", () => {
        const known = new Set<string>(SETTING_KEYS);
        const judged = RULES.flatMap((r) => (r.kind === "setting" ? [r.setting] : r.settings));
        const produced = COMPONENTS.flatMap((c) => c.settings.map((s) => s.key));
        for (const k of [...judged, ...produced]) assert.ok(known.has(k), k);
        const sources = ["providers", "policies"]
            .flatMap((d) =>
                fs.readdirSync(path.join(ROOT, d), { recursive: true }).map((f) => path.join(ROOT, d, String(f))),
            )
            .filter((f) => f.endsWith(".ts") && !f.endsWith("keys.ts"))
            .map((f) => fs.readFileSync(f, "utf8"))
            .join("\n");
        const unused = SETTING_KEYS.filter((k) => !sources.includes(`"${k}"`));
        assert.deepEqual(unused, [], "keys listed in providers/keys.ts that no provider or rule uses");
    });
});
