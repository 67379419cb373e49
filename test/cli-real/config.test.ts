// `--policy-pack-config` with the real CLI: the CLI validates the file against each policy's configSchema (as the
// pack declares it in GetAnalyzerInfo) before the program runs. Every documented knob of every policy is accepted
// and takes effect; bad values, a missing exemption reason, an unknown enforcement level and misspelt knobs or
// policy names are rejected, naming the policy and the setting.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
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
    inCodeExemptions: "require-expiry",
};

describe("--policy-pack-config (real CLI)", { skip: SKIP }, () => {
    let ws: Workspace;
    let policies: PolicyInfo[];
    before(async () => {
        ws = new Workspace(cliBin(), PROGRAM);
        ws.initStack();
        const client = await AnalyzerClient.start(ROOT);
        try {
            policies = (await client.info()).policies;
        } finally {
            await client.stop();
        }
    });
    after(() => ws?.dispose());

    const preview = (config: unknown) =>
        ws.pulumi([
            "preview",
            "--policy-pack",
            ROOT,
            "--policy-pack-config",
            ws.write("config.json", JSON.stringify(config, null, 2)),
        ]);

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
        const found = renderedViolations(r.stdout);
        assert.ok(found.length > 0, r.stdout + r.stderr);
        // "all": "advisory" everywhere but the one policy set back to mandatory, where the exemption applies.
        const mandatory = found.filter((d) => d.level === "mandatory").map(key);
        assert.deepEqual(mandatory, ["cluster-public-endpoint-authorized-networks-only @ gke-legacy"]);
        assert.equal(r.code, 1);
        const exempt = found.find(
            (d) => d.policy === "cluster-public-endpoint-authorized-networks-only" && d.name === "eks-defaults",
        );
        assert.ok(exempt, "an exempted finding is still shown");
        assert.match(exempt.message, /NET-88/);
        assert.ok(
            !found.some((d) => d.policy === "kubelet-read-only-port-disabled"),
            "a disabled policy reports nothing",
        );
    });

    // The CLI validates the whole file and reports every error before the program runs (engine/update.go,
    // loadPolicyPlugins): a file whose only fault is one planted error shows that every other value passed.
    it("accepts every documented value: the README's example, each enforcement level in both forms, each inCodeExemptions mode", () => {
        const block = /## Configure and exempt[\s\S]*?```json\n([\s\S]*?)```/.exec(
            fs.readFileSync(path.join(ROOT, "README.md"), "utf8"),
        );
        assert.ok(block, "README has a json block under Configure and exempt");
        const readme = JSON.parse(block[1]) as Record<string, unknown>;
        const levels = ["advisory", "mandatory", "remediate", "disabled"];
        const names = policies.map((p) => p.name).filter((n) => !(n in readme) && n !== "pack-wide-settings");
        const planted =
            "validating policy config: kube-api-guard 0\\.1\\.0  etcd-client-cert-auth-enabled: exemptions\\.0: reason is required";
        for (const mode of ["enabled", "require-expiry", "disabled"]) {
            const config: Record<string, unknown> = { ...readme };
            levels.forEach((level, i) => {
                config[names[i]] = level;
                config[names[i + levels.length]] = { enforcementLevel: level };
            });
            config["pack-wide-settings"] = {
                ...(readme["pack-wide-settings"] as object),
                inCodeExemptions: mode,
                exemptions: SAMPLES.exemptions,
            };
            config["etcd-client-cert-auth-enabled"] = { exemptions: [{ resource: "etcd" }] };
            const r = preview(config);
            assert.notEqual(r.code, 0);
            // The CLI prints each error twice: on the Stack's line and under "Diagnostics:".
            const errors = [
                ...new Set(
                    (r.stdout + r.stderr)
                        .split("\n")
                        .filter((l) => /validating policy config:/.test(l))
                        .map((l) => l.slice(l.indexOf("validating policy config:"))),
                ),
            ];
            assert.equal(errors.length, 1, `inCodeExemptions ${mode}: ${errors.join("\n")}`);
            assert.match(errors[0], new RegExp(planted));
        }
    });

    it("rejects values of the wrong type or range and exemptions without a reason, before the program runs", () => {
        const r = preview({
            "cluster-public-endpoint-authorized-networks-only": {
                allowedCidrs: "203.0.113.0/24",
                minimumPrefixLength: { ipv4: 40 },
            },
            "etcd-client-cert-auth-enabled": { exemptions: [{ resource: "etcd" }] },
            "control-plane-ports-not-open-to-internet": { ports: [true] },
            "pack-wide-settings": { inCodeExemptions: "sometimes" },
        });
        assert.notEqual(r.code, 0);
        const out = r.stdout + r.stderr;
        const err = (policy: string, text: string) =>
            new RegExp(`error: validating policy config: kube-api-guard 0\\.1\\.0  ${policy}: ${text}`);
        assert.match(
            out,
            err(
                "cluster-public-endpoint-authorized-networks-only",
                "allowedCidrs: Invalid type\\. Expected: array, given: string",
            ),
        );
        assert.match(
            out,
            err(
                "cluster-public-endpoint-authorized-networks-only",
                "minimumPrefixLength\\.ipv4: Must be less than or equal to 32",
            ),
        );
        assert.match(out, err("etcd-client-cert-auth-enabled", "exemptions\\.0: reason is required"));
        assert.match(
            out,
            err(
                "control-plane-ports-not-open-to-internet",
                "ports\\.0: Invalid type\\. Expected: \\[string,integer\\], given: boolean",
            ),
        );
        assert.match(
            out,
            err(
                "pack-wide-settings",
                'inCodeExemptions: inCodeExemptions must be one of the following: "enabled", "require-expiry", "disabled"',
            ),
        );
        assert.deepEqual(renderedViolations(r.stdout), [], "the program did not run");
    });

    it("rejects an unknown enforcement level", () => {
        const r = preview({ "etcd-client-cert-auth-enabled": "warn" });
        assert.notEqual(r.code, 0);
        assert.match(
            r.stdout + r.stderr,
            /parsing enforcement level for "etcd-client-cert-auth-enabled": "warn" is not a valid enforcement level/,
        );
    });

    // The CLI drops additionalProperties from each schema and passes unknown policy names on: the pack rejects them.
    it("rejects a misspelt knob and a misspelt policy name, suggesting the right one", () => {
        const r = preview({
            "cluster-public-endpoint-authorized-networks-only": { allowedCidr: ["203.0.113.0/24"] },
            "cluster-public-endpoint-authorised-networks-only": "disabled",
        });
        assert.notEqual(r.code, 0, "misspelt settings are accepted in silence");
        const out = r.stdout + r.stderr;
        assert.match(out, /configuring policy pack/);
        assert.match(
            out,
            /cluster-public-endpoint-authorized-networks-only: "allowedCidr" is not a setting of this policy \(did you mean "allowedCidrs"\?\)/,
        );
        assert.match(
            out,
            /"cluster-public-endpoint-authorised-networks-only" is not a policy of this pack \(did you mean "cluster-public-endpoint-authorized-networks-only"\?\)/,
        );
        assert.deepEqual(renderedViolations(r.stdout), [], "the program did not run");
    });
});
