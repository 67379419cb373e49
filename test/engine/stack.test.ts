// AnalyzeStack through the real launcher: the pack reads the request's resources once for all its stack policies.
// The engine's own path (KUBE_API_GUARD_NO_FAST_PATH=1, every policy rebuilding every resource) must give the same
// diagnostics, with the same configuration and enforcement levels.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import { AnalyzerClient, Diagnostic, PolicyConfig } from "../../client/analyzer";
import { linkedStack } from "../../scripts/bench";

const PACK = path.resolve(__dirname, "../../..");

const key = (d: Diagnostic) =>
    `${d.policyName}|${d.enforcementLevel}|${d.severity}|${d.urn}|${d.description}|${d.message}`;

describe("engine: AnalyzeStack reads the stack once", () => {
    let fast: AnalyzerClient;
    let engine: AnalyzerClient;
    before(async () => {
        [fast, engine] = await Promise.all([
            AnalyzerClient.start(PACK),
            AnalyzerClient.start(PACK, { env: { KUBE_API_GUARD_NO_FAST_PATH: "1" } }),
        ]);
    });
    after(async () => {
        await Promise.all([fast?.stop(), engine?.stop()]);
    });

    const configs: [string, PolicyConfig][] = [
        ["default configuration", {}],
        [
            "levels and knobs changed",
            {
                "control-plane-ports-not-open-to-internet": { enforcementLevel: "advisory", ports: ["10260"] },
                "kubelet-read-only-port-disabled": "disabled",
                "rbac-wildcard-role-not-bound-to-broad-groups": {
                    enforcementLevel: "mandatory",
                    exemptions: [{ resource: "binding-1", reason: "break-glass role" }],
                },
            },
        ],
    ];
    for (const [what, config] of configs) {
        it(`gives the engine path's diagnostics on a linked stack (${what})`, async () => {
            const stack = linkedStack(400);
            await Promise.all([fast.configure(config), engine.configure(config)]);
            const [a, b] = await Promise.all([fast.analyzeStack(stack), engine.analyzeStack(stack)]);
            assert.ok(a.length > 20, `a linked stack has stack findings (${a.length})`);
            assert.deepEqual(a.map(key).sort(), b.map(key).sort());
            const shared = a.filter((d) => d.urn.endsWith("::shared-sg"));
            assert.equal(shared.length, 1, "the security group every instance shares is reported once");
        });
    }

    it("gives the engine path's diagnostics on inputs the lazy reader must convert as the engine does", async () => {
        // Secrets, an in-code exemption tag, an empty asset (which @pulumi/policy rejects), values nested deeper than
        // the reader's bound, and keys in every order: the lazy wire reader must agree with google-protobuf.
        const SIG = "4dabf18193072939515e22adb298388d";
        const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });
        let deep: unknown = "bottom";
        for (let i = 0; i < 200; i++) deep = { [`k${i}`]: deep, z: i };
        const stack = linkedStack(60).map((r) => {
            if (r.name === "i-0-0") return { ...r, props: { ...r.props, userData: secret(r.props.userData) } };
            if (r.name === "i-1-0")
                return {
                    ...r,
                    props: {
                        ...r.props,
                        tags: { "kube-api-guard/exempt": "control-plane-ports-not-open-to-internet: lab host" },
                    },
                };
            if (r.name === "shared-sg")
                return {
                    ...r,
                    props: {
                        zeta: deep,
                        ...r.props,
                        "10": [1, null, true],
                        é: { b: 1, a: 2 },
                        description: { [SIG]: "c44067f5952c0a294b673a41bacd8c17", text: "" },
                    },
                };
            return r;
        });
        await Promise.all([fast.configure({}), engine.configure({})]);
        const [a, b] = await Promise.all([fast.analyzeStack(stack), engine.analyzeStack(stack)]);
        assert.ok(
            a.some((d) => d.urn.endsWith("::shared-sg")),
            "the group nested deep, with an empty asset, is judged",
        );
        assert.deepEqual(a.map(key).sort(), b.map(key).sort());
    });

    it("two stacks one after another are judged each on its own resources", async () => {
        await fast.configure({});
        const first = await fast.analyzeStack(linkedStack(100));
        const second = await fast.analyzeStack(linkedStack(30));
        assert.ok(first.length > second.length);
        assert.ok(second.every((d) => linkedStack(30).some((r) => d.urn === r.urn)));
    });
});
