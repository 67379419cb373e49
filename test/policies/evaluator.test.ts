import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { applyOp, judge } from "../../policies/evaluator";
import { UNKNOWN } from "../../providers/props";
import type { Rule } from "../../policies/rule";
import type { Settings } from "../../providers/model";

describe("evaluator operators", () => {
    it("eq / noteq compare numbers across number and string forms", () => {
        assert.equal(applyOp("eq", "0", 0), true);
        assert.equal(applyOp("eq", 10255, 0), false);
        assert.equal(applyOp("noteq", "CONFIG_MAP", "CONFIG_MAP"), false);
        assert.equal(applyOp("eq", "true", true), false, "booleans are not coerced from strings here");
    });
    it("gte / lte need numbers", () => {
        assert.equal(applyOp("gte", "30", 30), true);
        assert.equal(applyOp("gte", "abc", 30), false);
        assert.equal(applyOp("lte", 5, 4), false);
    });
    it("has / nothave / hasAll on lists and comma-separated strings, with unknown elements", () => {
        assert.equal(applyOp("has", "Node,RBAC", "RBAC"), true);
        assert.equal(applyOp("nothave", ["AlwaysAllow"], "AlwaysAllow"), false);
        assert.equal(applyOp("nothave", ["Node", UNKNOWN], "AlwaysAllow"), undefined);
        assert.equal(applyOp("hasAll", ["api", "audit"], ["api", "audit", "authenticator"]), false);
        assert.equal(applyOp("hasAll", ["api", "audit", UNKNOWN], ["api", "audit", "authenticator"]), undefined);
        assert.equal(applyOp("hasAll", ["authenticator", "api", "audit"], ["api", "audit", "authenticator"]), true);
    });
    it("set / unset / matches", () => {
        assert.equal(applyOp("set", "", undefined), false);
        assert.equal(applyOp("set", "/etc/k.pem", undefined), true);
        assert.equal(applyOp("unset", undefined, undefined), true);
        assert.equal(applyOp("matches", "1h0m0s", "^\\d+h"), true);
    });
    it("version ranges make a rule not applicable outside them, and apply when the version is unknown", () => {
        const rule = {
            kind: "setting",
            id: "x-y",
            component: "kubelet",
            setting: "kubelet.readOnlyPort",
            op: "eq",
            value: 0,
            expected: "0",
            versions: { until: 19 },
        } as unknown as Rule;
        const subj = (v?: number) => ({
            component: "kubelet" as const,
            platform: "self-managed" as const,
            location: "",
            kubernetesMinor: v,
            settings: { "kubelet.readOnlyPort": { state: "explicit" as const, value: 1, where: "x" } } as Settings,
        });
        const ctx = { allowedCidrs: [], minimumPrefixLength: { ipv4: 16, ipv6: 48 }, ports: [] as [number, number][] };
        assert.equal(judge(rule, subj(25), ctx).verdict, "n/a");
        assert.equal(judge(rule, subj(18), ctx).verdict, "fail");
        assert.equal(judge(rule, subj(undefined), ctx).verdict, "fail");
    });
});
