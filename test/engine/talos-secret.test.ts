// A Talos ConfigurationApply through the real launcher, with machineConfigurationInput marked secret as the
// provider's schema marks it (pulumiverse/pulumi-talos schema.json: "secret": true): the verdicts it decides are
// kept, and the values it decides are withheld from messages.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import { AnalyzerClient } from "../../client/analyzer";
import { SECRET_SIG, SIG_KEY } from "../../providers/secrets";

const PACK = path.resolve(__dirname, "../../..");
const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

describe("engine: Talos machine configuration marked secret", () => {
    let client: AnalyzerClient;
    before(async () => {
        client = await AnalyzerClient.start(PACK);
        await client.configure({});
    });
    after(async () => {
        await client?.stop();
    });

    it("an insecure extraArgs in the secret configuration keeps its mandatory verdict, with the value withheld", async () => {
        const config = [
            "version: v1alpha1",
            "machine:",
            "  type: controlplane",
            "  kubelet:",
            "    extraArgs:",
            '      anonymous-auth: "true"',
            "",
        ].join("\n");
        const ds = await client.analyze({
            type: "talos:machine/configurationApply:ConfigurationApply",
            name: "cp",
            props: { machineConfigurationInput: secret(config), node: "10.5.0.2", configPatches: [] },
        });
        const anon = ds.find((d) => d.policyName === "kubelet-anonymous-auth-disabled");
        assert.ok(anon, JSON.stringify(ds.map((d) => d.policyName)));
        assert.equal(anon.enforcementLevel, "mandatory");
        assert.match(anon.message, /marked secret\) = \(secret\)/);
    });
});
