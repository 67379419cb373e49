// One test walks every rule: metadata lives once, in the rule record, and must be complete and consistent.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../../policies";
import { BENCHMARKS, CONTROLS, CURRENT, SOURCES, currentCis } from "../../policies/cis";

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
            for (const c of r.cis)
                assert.ok(CONTROLS[c.benchmark]?.[c.id], `${r.id} cites unknown ${c.benchmark} ${c.id}`);
            if (r.kind === "setting") assert.ok(r.expected.length > 0);
        });
    }
    it("kubelet rules also cite the managed benchmarks' worker-node controls (numbered as in kube-bench's cfg)", () => {
        const cites = (id: string) => RULES.find((r) => r.id === id)!.cis.map((c) => `${c.benchmark} ${c.id}`);
        // EKS 2.0.0 renumbered the kubelet section (cfg/eks-2.0.0/node.yaml); AKS 1.8.0 kept AKS 1.7's numbers
        // (cfg/aks-1.8.0/node.yaml); GKE 1.9.0 has no kubelet section (cfg/gke-1.9.0/node.yaml is 3.1 only).
        for (const [b, iptables] of [
            ["cis-eks-2.0", "3.2.5"],
            ["cis-aks-1.8", "3.2.6"],
        ]) {
            assert.ok(cites("kubelet-anonymous-auth-disabled").includes(`${b} 3.2.1`), b);
            assert.ok(cites("kubelet-read-only-port-disabled").includes(`${b} 3.2.4`), b);
            assert.ok(cites("kubelet-make-iptables-util-chains-enabled").includes(`${b} ${iptables}`), b);
        }
        assert.deepEqual(cites("kubelet-rotate-certificates-enabled"), [
            "cis-kubernetes-2.0 4.2.10",
            "cis-eks-2.0 3.2.7",
            "cis-aks-1.8 3.2.8",
        ]);
        const rotate = RULES.find((r) => r.id === "kubelet-rotate-certificates-enabled")!;
        assert.ok(rotate.tags.includes("cis-gke-1.6:3.2.8"), "the GKE 1.6.0 id stays as an alias tag");
        // The Kubernetes benchmark stays first: it is the policy's framework reference.
        for (const r of RULES.filter((x) => x.component === "kubelet" && x.cis.length > 0))
            assert.equal(r.cis[0].benchmark, "cis-kubernetes-2.0", r.id);
    });
    it("every rule cites the current benchmarks; the ids it was written with stay as alias tags", () => {
        for (const r of RULES) {
            for (const c of r.cis)
                assert.ok(
                    !["cis-kubernetes-1.12", "cis-eks-1.7", "cis-aks-1.7"].includes(c.benchmark),
                    `${r.id} cites ${c.benchmark}`,
                );
        }
        // GKE: the managed-service controls moved to v1.9.0; the kubelet controls, gone from it, are alias tags only.
        for (const r of RULES) assert.ok(!r.cis.some((c) => c.benchmark === "cis-gke-1.6"), `${r.id} cites GKE 1.6.0`);
        const abac = RULES.find((r) => r.cis.some((c) => c.benchmark === "cis-gke-1.9" && c.id === "5.8.3"))!;
        assert.ok(abac.tags.includes("cis-gke-1.6:5.8.3"), abac.id);
        const readOnly = RULES.find((r) => r.id === "kubelet-read-only-port-disabled")!;
        assert.ok(readOnly.tags.includes("cis-aks-1.7:3.2.4"), readOnly.id);
        const ro = RULES.find((r) => r.id === "kubelet-read-only-port-disabled")!;
        assert.ok(ro.tags.includes("cis-kubernetes-1.12:4.2.4") && ro.tags.includes("cis-eks-1.7:3.2.4"));
        // EKS 2.0.0 dropped the streaming-connection-idle-timeout control: only the alias remains.
        const idle = RULES.find((r) => r.cis.some((c) => c.benchmark === "cis-kubernetes-2.0" && c.id === "4.2.5"))!;
        assert.ok(!idle.cis.some((c) => c.benchmark === "cis-eks-2.0"), idle.id);
        assert.ok(idle.tags.includes("cis-eks-1.7:3.2.5"), idle.id);
    });
    it("the current ids are the older ones moved by the table in policies/cis.ts", () => {
        assert.deepEqual(
            currentCis([
                { benchmark: "cis-eks-1.7", id: "3.2.9" },
                { benchmark: "cis-kubernetes-1.12", id: "5.1.8" },
                { benchmark: "cis-gke-1.6", id: "5.8.3" },
                { benchmark: "cis-gke-1.6", id: "3.2.4" },
                { benchmark: "cis-aks-1.7", id: "5.4.1" },
            ]).current,
            [
                { benchmark: "cis-eks-2.0", id: "3.2.8" },
                { benchmark: "cis-kubernetes-2.0", id: "5.1.8" },
                { benchmark: "cis-gke-1.9", id: "5.8.3" },
                { benchmark: "cis-aks-1.8", id: "5.4.1" },
            ],
        );
        for (const [from, m] of Object.entries(CURRENT)) {
            if (m!.ids === "same") continue;
            for (const [oldId, newId] of Object.entries(m!.ids)) {
                assert.ok(CONTROLS[from as keyof typeof CONTROLS][oldId], `${from} ${oldId} is a known older control`);
                if (newId) assert.ok(CONTROLS[m!.to][newId], `${m!.to} ${newId}`);
            }
        }
    });
    it("every benchmark a rule cites, and every alias tag, names the public source its ids were checked against", () => {
        const cited = new Set<string>();
        for (const r of RULES) {
            for (const c of r.cis) cited.add(c.benchmark);
            for (const t of r.tags) {
                const m = /^(cis-[a-z]+-[0-9.]+):(.+)$/.exec(t);
                if (!m) continue;
                assert.ok(CONTROLS[m[1] as keyof typeof CONTROLS]?.[m[2]], `${r.id} alias ${t} is a known control`);
                cited.add(m[1]);
            }
        }
        for (const b of cited) {
            assert.match(SOURCES[b as keyof typeof SOURCES] ?? "", /kube-bench cfg\/|Tenable/, `${b} has a source`);
            assert.ok(BENCHMARKS[b as keyof typeof BENCHMARKS], b);
        }
        // The managed benchmarks' current releases are the ones verified, never an unpublished numbering.
        assert.equal(BENCHMARKS["cis-gke-1.9"].version, "1.9.0");
        assert.equal(BENCHMARKS["cis-aks-1.8"].version, "1.8.0");
        assert.ok(!Object.values(BENCHMARKS).some((b) => /GKE|AKS/.test(b.name) && b.version.startsWith("2.")));
    });
    it("the README's CIS table names the release each platform's current benchmark is (no drift from BENCHMARKS)", () => {
        const readme = fs.readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
        const row = (platform: string) => readme.split("\n").find((l) => l.startsWith(`| ${platform} | v`)) ?? "";
        for (const [platform, b] of [
            ["Kubernetes", "cis-kubernetes-2.0"],
            ["EKS", "cis-eks-2.0"],
            ["GKE", "cis-gke-1.9"],
            ["AKS", "cis-aks-1.8"],
        ] as const) {
            assert.ok(
                row(platform).startsWith(`| ${platform} | v${BENCHMARKS[b].version}`),
                `${platform}: ${row(platform)}`,
            );
            // Every current reference a rule carries for the platform is of that release.
            const prefix = b.replace(/-[0-9.]+$/, "-");
            for (const r of RULES)
                for (const c of r.cis)
                    if (c.benchmark.startsWith(prefix) && c.benchmark !== "cis-kubernetes-2.1")
                        assert.equal(c.benchmark, b, `${r.id} cites ${c.benchmark}`);
        }
    });
    it("bindings to anonymous, unauthenticated and authenticated groups cite GKE 1.9.0 4.1.8-4.1.10; EKS auth mode 4.1.7", () => {
        const cites = (id: string) => RULES.find((r) => r.id === id)!.cis.map((c) => `${c.benchmark} ${c.id}`);
        // The escalation paths are checked in test/policies/access.test.ts; these have GKE controls only.
        assert.deepEqual(cites("rbac-binding-anonymous-subjects-forbidden"), [
            "cis-gke-1.9 4.1.8",
            "cis-gke-1.9 4.1.9",
        ]);
        assert.deepEqual(cites("rbac-binding-system-authenticated-restricted"), ["cis-gke-1.9 4.1.10"]);
        // EKS 2.0.0 4.1.7 audits accessConfig.authenticationMode (API or API_AND_CONFIG_MAP pass).
        assert.deepEqual(cites("eks-authentication-mode-not-config-map"), ["cis-eks-2.0 5.5.1", "cis-eks-2.0 4.1.7"]);
    });
    it("direct exposure is mandatory, and every mandatory rule is high or critical", () => {
        for (const r of RULES) {
            if (r.enforcement === "mandatory") assert.ok(["high", "critical"].includes(r.severity), r.id);
        }
        const endpoint = RULES.find((r) => r.id === "cluster-public-endpoint-authorized-networks-only")!;
        assert.equal(endpoint.enforcement, "mandatory");
    });
});
