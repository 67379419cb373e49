// Configuration as the Pulumi CLI validates it, and in-code exemptions as the pack parses them (in process).
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv-draft-04";
import { RULES } from "../../policies";
import { packWideSchema, schemaFor } from "../../pack/config";
import { parseExemptionValue, readTagExemptions } from "../../pack/exemptions";

const NAMES = [...RULES.map((r) => r.id), "resource-inputs-inspectable"];
const TODAY = "2026-12-02";
const README = fs.readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");

/**
 * What the Pulumi CLI does with a policy's configSchema before validating --policy-pack-config with gojsonschema
 * (pkg/resource/analyzer/config.go convertSchema): an object schema with the declared properties and required list.
 */
function cliSchema(schema: { properties: Record<string, object>; required?: string[] }): object {
    return {
        type: "object",
        properties: schema.properties,
        ...(schema.required?.length ? { required: schema.required } : {}),
    };
}

describe("configuration schemas as the Pulumi CLI validates them", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const schemas = new Map<string, object>([
        ["pack-wide-settings", cliSchema(packWideSchema())],
        ...RULES.map((r) => [r.id, cliSchema(schemaFor(r))] as [string, object]),
    ]);
    it("every schema is valid draft-4 JSON schema", () => {
        for (const [name, s] of schemas) assert.ok(ajv.validateSchema(s), `${name}: ${JSON.stringify(ajv.errors)}`);
    });
    it("the README's documented configuration is accepted, policy by policy", () => {
        const block = /## Configure and exempt[\s\S]*?```json\n([\s\S]*?)```/.exec(README);
        assert.ok(block, "README has a json block under Configure and exempt");
        const config = JSON.parse(block[1]) as Record<string, unknown>;
        for (const [name, value] of Object.entries(config)) {
            if (name === "all" || typeof value === "string") continue;
            const s = schemas.get(name);
            assert.ok(s, `README configures unknown policy ${name}`);
            const { enforcementLevel: _l, ...props } = value as Record<string, unknown>;
            assert.ok(ajv.validate(s, props), `${name}: ${JSON.stringify(ajv.errors)}`);
        }
    });
    it("a misspelt setting value or an exemption without a reason is rejected as the CLI would", () => {
        const s = schemas.get("pack-wide-settings")!;
        assert.equal(ajv.validate(s, { inCodeExemptions: "off" }), false);
        assert.equal(ajv.validate(s, { exemptions: [{ resource: "x" }] }), false);
        assert.equal(
            ajv.validate(s, { inCodeExemptions: "require-expiry", exemptions: [{ urn: "urn:*", reason: "sandbox" }] }),
            true,
        );
    });
});

describe("in-code exemption values", () => {
    const ok = (v: string) => {
        const p = parseExemptionValue(v, NAMES, TODAY);
        assert.ok(!("problem" in p), `${v}: ${"problem" in p ? p.problem : ""}`);
        return p;
    };
    const problem = (v: string) => {
        const p = parseExemptionValue(v, NAMES, TODAY);
        assert.ok("problem" in p, `${v} should be rejected`);
        return p.problem;
    };
    it("the canonical form: policies, reason, expiry in parentheses", () => {
        assert.deepEqual(
            ok(
                "kubelet-read-only-port-disabled, kubelet-anonymous-auth-disabled: legacy AMI, SEC-42 (until 2027-01-31)",
            ),
            {
                policies: ["kubelet-read-only-port-disabled", "kubelet-anonymous-auth-disabled"],
                reason: "legacy AMI, SEC-42",
                until: "2027-01-31",
                expired: false,
            },
        );
    });
    it("the AWS restricted-character form: + between policies, no parentheses", () => {
        const p = ok(
            "kubelet-read-only-port-disabled+kubelet-anonymous-auth-disabled: legacy AMI SEC-42 until 2027-01-31",
        );
        assert.deepEqual([p.policies.length, p.reason, p.until], [2, "legacy AMI SEC-42", "2027-01-31"]);
    });
    it("the GCP label form: lowercase, `--` separators, `_` between policies, a unique leading part of a long name", () => {
        const p = ok("cluster-public-endpoint_gke-legacy-abac--sec-9-migration--until-2027-01-31");
        assert.deepEqual(p.policies, ["cluster-public-endpoint-authorized-networks-only", "gke-legacy-abac-disabled"]);
        assert.equal(p.reason, "sec-9-migration");
        assert.equal(p.until, "2027-01-31");
        const single = "cluster-public-endpoint--sec-9-migration--until-2027-01-31";
        assert.ok(single.length <= 63, "fits a GCP label value");
        assert.deepEqual(ok(single).policies, ["cluster-public-endpoint-authorized-networks-only"]);
    });
    it("an expiry in the past is parsed and marked expired; the day itself still applies", () => {
        assert.equal(ok("gke-legacy-abac-disabled: x-y-z (until 2026-12-01)").expired, true);
        assert.equal(ok("gke-legacy-abac-disabled: x-y-z (until 2026-12-02)").expired, false);
        assert.equal(ok("gke-legacy-abac-disabled: no expiry given").until, undefined);
    });
    it("rejects what cannot be applied safely, saying why", () => {
        assert.match(problem("gke-legacy-abac-disabled"), /no reason/);
        assert.match(problem("gke-legacy-abac-disabled: ok"), /no reason/);
        assert.match(problem("gke-legacy-abac-disabled: legacy (until 2027-02-30)"), /"2027-02-30" is not a date/);
        assert.match(problem("kubelet: all kubelet rules"), /could be any of \d+ policies/);
        assert.match(problem("kubelet-read-only-por: a leading part must end at a word boundary"), /not a policy/);
        assert.match(problem("no-such-policy: reason here"), /"no-such-policy" is not a policy of this pack/);
        assert.match(problem("all: everything"), /cannot cover every policy/);
        assert.match(problem("x".repeat(2000)), /longer than 1024/);
    });
    it("reads tags (map or AWS key/value list), labels, GKE resourceLabels and Kubernetes annotations; ignores other keys", () => {
        const v = "gke-legacy-abac-disabled: reason here";
        const read = (props: unknown) =>
            readTagExemptions(props, NAMES, TODAY).exemptions.map((e) => `${e.carrier} ${e.key}`);
        assert.deepEqual(read({ tags: { "kube-api-guard/exempt": v, Name: "x" } }), ["tag kube-api-guard/exempt"]);
        assert.deepEqual(read({ tags: [{ key: "kube-api-guard-exempt", value: v, propagateAtLaunch: true }] }), [
            "tag kube-api-guard-exempt",
        ]);
        assert.deepEqual(read({ labels: { "kube-api-guard-exempt-2": v } }), ["label kube-api-guard-exempt-2"]);
        assert.deepEqual(read({ resourceLabels: { "kube-api-guard-exempt": v } }), ["label kube-api-guard-exempt"]);
        assert.deepEqual(
            read({ metadata: { annotations: { "kube-api-guard/exempt.db": v, "kube-api-guard/other": v } } }),
            ["annotation kube-api-guard/exempt.db"],
        );
        assert.deepEqual(read({ tags: { "kube-api-guard/exempt": "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } }), []);
        assert.match(
            readTagExemptions(
                { tags: { "kube-api-guard/exempt": "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } },
                NAMES,
                TODAY,
            ).problems[0].problem,
            /unknown during preview/,
        );
    });
});
