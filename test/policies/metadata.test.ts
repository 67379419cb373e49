// One test walks every rule: metadata lives once, in the rule record, and must be complete and consistent.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { RULES } from "../../policies";
import { CONTROLS } from "../../policies/cis";

describe("rule metadata", () => {
    it("ids are unique kebab-case and name a component", () => {
        const seen = new Set<string>();
        for (const r of RULES) {
            assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)+$/, r.id);
            assert.ok(!seen.has(r.id), `duplicate ${r.id}`);
            seen.add(r.id);
        }
    });
    for (const r of RULES) {
        it(`${r.id}: remediation is a sentence, links use https, CIS ids exist, tags present`, () => {
            assert.match(r.remediation, /^[A-Z].*[.)]$/s);
            assert.ok(r.why.length > 20 && !r.why.endsWith("."), "why is a clause; the message adds the period");
            assert.match(r.url, /^https:\/\//);
            assert.ok(r.tags.length > 0);
            assert.ok(r.title.length > 10 && !r.title.endsWith("."));
            for (const c of r.cis) assert.ok(CONTROLS[c.benchmark]?.[c.id], `${r.id} cites unknown ${c.benchmark} ${c.id}`);
            if (r.kind === "setting") assert.ok(r.expected.length > 0);
        });
    }
    it("kubelet rules also cite the managed benchmarks' worker-node controls (numbered as in kube-bench's cfg)", () => {
        const cites = (id: string) => RULES.find((r) => r.id === id)!.cis.map((c) => `${c.benchmark} ${c.id}`);
        for (const b of ["cis-eks-1.7", "cis-gke-1.6", "cis-aks-1.7"]) {
            assert.ok(cites("kubelet-anonymous-auth-disabled").includes(`${b} 3.2.1`), b);
            assert.ok(cites("kubelet-read-only-port-disabled").includes(`${b} 3.2.4`), b);
            assert.ok(cites("kubelet-make-iptables-util-chains-enabled").includes(`${b} 3.2.6`), b);
        }
        assert.deepEqual(cites("kubelet-rotate-certificates-enabled"), ["cis-kubernetes-1.12 4.2.10", "cis-eks-1.7 3.2.8", "cis-gke-1.6 3.2.8", "cis-aks-1.7 3.2.8"]);
        // The Kubernetes benchmark stays first: it is the policy's framework reference.
        for (const r of RULES.filter((x) => x.component === "kubelet" && x.cis.length > 0)) assert.equal(r.cis[0].benchmark, "cis-kubernetes-1.12", r.id);
    });
    it("direct exposure is mandatory, and every mandatory rule is high or critical", () => {
        for (const r of RULES) {
            if (r.enforcement === "mandatory") assert.ok(["high", "critical"].includes(r.severity), r.id);
        }
        const endpoint = RULES.find((r) => r.id === "cluster-public-endpoint-authorized-networks-only")!;
        assert.equal(endpoint.enforcement, "mandatory");
    });
});
