// `--policy-pack-config` with the real CLI: the CLI validates the file against each policy's configSchema (as the
// pack declares it in GetAnalyzerInfo) before the program runs. Every documented knob of every policy is accepted
// and takes effect; bad values, a missing exemption reason, an unknown enforcement level and misspelt knobs or
// policy names are rejected, naming the policy and the setting.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { AnalyzerClient, PolicyInfo } from "../../client/analyzer";
import { PROGRAM, ROOT, SKIP, Workspace, cliBin, key, renderedViolations } from "./harness";

/** A valid value for every knob the README documents ("Configure and exempt"). */
const SAMPLES: Record<string, unknown> = {
    exemptions: [
        { resource: "legacy-*", reason: "migration to a private endpoint tracked in NET-88" },
        { urn: "urn:pulumi:sandbox::*", reason: "sandbox stacks are torn down nightly (SEC-104)" },
        { type: "aws:eks/*", resource: "nothing-matches", reason: "both globs must match" },
    ],
    allowedCidrs: ["203.0.113.0/24", "2001:db8::/32"],
    minimumPrefixLength: { ipv4: 20, ipv6: 56 },
    ports: [6443, "10250-10259", "2379-2380"],
};

describe("--policy-pack-config (real CLI)", { skip: SKIP }, () => {
    let ws: Workspace;
    let policies: PolicyInfo[];
    before(async () => {
        ws = new Workspace(cliBin(), PROGRAM);
        ws.initStack();
        const client = await AnalyzerClient.start(ROOT);
        try { policies = (await client.info()).policies; } finally { await client.stop(); }
    });
    after(() => ws?.dispose());

    const preview = (config: unknown) =>
        ws.pulumi(["preview", "--policy-pack", ROOT, "--policy-pack-config", ws.write("config.json", JSON.stringify(config, null, 2))]);

    it("accepts every documented knob of every policy, and the knobs take effect", () => {
        const config: Record<string, unknown> = { all: "advisory" };
        const undocumented: string[] = [];
        for (const p of policies) {
            const props: Record<string, unknown> = {};
            for (const k of Object.keys(p.configSchema?.properties ?? {})) {
                if (k in SAMPLES) props[k] = SAMPLES[k];
                else undocumented.push(`${p.name}.${k}`);
            }
            config[p.name] = props;
        }
        assert.deepEqual(undocumented, [], "knobs without a documented sample");
        config["cluster-public-endpoint-authorized-networks-only"] = {
            ...(config["cluster-public-endpoint-authorized-networks-only"] as object),
            enforcementLevel: "mandatory",
            exemptions: [{ resource: "eks-defaults", reason: "migration to a private endpoint tracked in NET-88" }],
        };
        config["kubelet-read-only-port-disabled"] = "disabled";
        const r = preview(config);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const found = renderedViolations(r.stdout);
        assert.ok(found.length > 0);
        assert.ok(found.every((d) => d.level === "advisory"), found.filter((d) => d.level !== "advisory").map(key).join(", "));
        const exempt = found.find((d) => d.policy === "cluster-public-endpoint-authorized-networks-only" && d.name === "eks-defaults");
        assert.ok(exempt, "an exempted finding is still shown");
        assert.match(exempt.message, /NET-88/);
        assert.ok(!found.some((d) => d.policy === "kubelet-read-only-port-disabled"), "a disabled policy reports nothing");
    });

    it("rejects values of the wrong type or range and exemptions without a reason, before the program runs", () => {
        const r = preview({
            "cluster-public-endpoint-authorized-networks-only": { allowedCidrs: "203.0.113.0/24", minimumPrefixLength: { ipv4: 40 } },
            "etcd-client-cert-auth-enabled": { exemptions: [{ resource: "etcd" }] },
            "control-plane-ports-not-open-to-internet": { ports: [true] },
        });
        assert.notEqual(r.code, 0);
        const out = r.stdout + r.stderr;
        assert.match(out, /validating policy config for "kube-api-guard"/);
        assert.match(out, /cluster-public-endpoint-authorized-networks-only: allowedCidrs: Invalid type\. Expected: array, given: string/);
        assert.match(out, /cluster-public-endpoint-authorized-networks-only: minimumPrefixLength\.ipv4: Must be less than or equal to 32/);
        assert.match(out, /etcd-client-cert-auth-enabled: exemptions\.0: reason is required/);
        assert.match(out, /control-plane-ports-not-open-to-internet: ports\.0: Invalid type/);
        assert.deepEqual(renderedViolations(r.stdout), [], "the program did not run");
    });

    it("rejects an unknown enforcement level", () => {
        const r = preview({ "etcd-client-cert-auth-enabled": "warn" });
        assert.notEqual(r.code, 0);
        assert.match(r.stdout + r.stderr, /parsing enforcement level for "etcd-client-cert-auth-enabled": "warn" is not a valid enforcement level/);
    });

    it("rejects a misspelt knob and a misspelt policy name", () => {
        const knob = preview({ "cluster-public-endpoint-authorized-networks-only": { allowedCidr: ["203.0.113.0/24"] } });
        assert.notEqual(knob.code, 0, "a misspelt knob is accepted silently");
        assert.match(knob.stdout + knob.stderr, /allowedCidr\b/);
        const policy = preview({ "cluster-public-endpoint-authorised-networks-only": "disabled" });
        assert.notEqual(policy.code, 0, "a misspelt policy name is accepted silently");
        assert.match(policy.stdout + policy.stderr, /cluster-public-endpoint-authorised-networks-only/);
    });
});
