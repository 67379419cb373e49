// Settings the Pulumi CLI lets through (it drops additionalProperties and passes unknown policy names to Configure,
// as test/cli-real/config.test.ts shows with the real CLI): the pack rejects them, naming the closest right one.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { unknownConfig } from "../../pack/unknown-config";

const SETTINGS = new Map<string, string[]>([
    ["cluster-public-endpoint-authorized-networks-only", ["exemptions", "allowedCidrs", "minimumPrefixLength"]],
    ["etcd-client-cert-auth-enabled", ["exemptions"]],
]);

describe("unknown policy configuration", () => {
    it('accepts known policies, their settings and "all"', () => {
        assert.deepEqual(
            unknownConfig(
                {
                    all: { properties: {} },
                    "cluster-public-endpoint-authorized-networks-only": {
                        properties: { allowedCidrs: [], exemptions: [] },
                    },
                    "etcd-client-cert-auth-enabled": { properties: {} },
                },
                SETTINGS,
            ),
            [],
        );
    });

    it("names a misspelt setting and a misspelt policy with the closest right name", () => {
        assert.deepEqual(
            unknownConfig(
                {
                    "cluster-public-endpoint-authorized-networks-only": {
                        properties: { allowedCidr: ["203.0.113.0/24"] },
                    },
                    "etcd-client-cert-auth-enable": { properties: {} },
                },
                SETTINGS,
            ),
            [
                'cluster-public-endpoint-authorized-networks-only: "allowedCidr" is not a setting of this policy (did you mean "allowedCidrs"?)',
                '"etcd-client-cert-auth-enable" is not a policy of this pack (did you mean "etcd-client-cert-auth-enabled"?)',
            ],
        );
    });

    it("suggests nothing when no name is close, and stays bounded on long names", () => {
        const [p] = unknownConfig({ "something-else-entirely": { properties: {} } }, SETTINGS);
        assert.equal(p, '"something-else-entirely" is not a policy of this pack');
        const long = "x".repeat(100_000);
        const t0 = Date.now();
        assert.equal(unknownConfig({ [long]: { properties: { [long]: 1 } } }, SETTINGS).length, 1);
        assert.ok(Date.now() - t0 < 1000);
    });
});
