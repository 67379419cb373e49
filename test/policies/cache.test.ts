// Decoding happens at most once per Analyze call: the engine hands every policy a fresh deserialized copy
// of the same inputs, and all of them must share one normalization.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { RULES } from "../../policies";
import { normalizationCount } from "../../pack/cache";
import { effectiveConfig } from "../../pack/config";
import { judgeResource } from "../../pack/judge";

describe("normalization cache", () => {
    const type = "gcp:container/cluster:Cluster";
    const props = {
        name: "c",
        masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "0.0.0.0/0" }] },
        nodeConfig: { kubeletConfig: { insecureKubeletReadonlyPortEnabled: "TRUE" } },
    };
    const cfg = effectiveConfig({}, {});
    it("normalizes once for every policy that judges the same inputs", () => {
        const before = normalizationCount();
        for (const rule of RULES) judgeResource(rule, { type, name: "c", urn: "urn:1" }, structuredClone(props), cfg);
        assert.equal(normalizationCount() - before, 1);
    });
    it("changed inputs under the same URN are normalized again (no stale verdicts)", () => {
        const rule = RULES.find((r) => r.id === "kubelet-read-only-port-disabled")!;
        const r = { type, name: "c", urn: "urn:2" };
        assert.equal(judgeResource(rule, r, structuredClone(props), cfg).length, 1);
        const fixed = structuredClone(props);
        fixed.nodeConfig.kubeletConfig.insecureKubeletReadonlyPortEnabled = "FALSE";
        assert.equal(judgeResource(rule, r, fixed, cfg).length, 0);
    });
});
