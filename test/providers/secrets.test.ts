// Inputs marked secret and values that are not plain tokens never reach a message: the class behind the
// "values printed although withheld" reports (secret user data, secret CIDR lists, raw paths, raw config paths).
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { RULES } from "../../policies";
import { normalize } from "../../providers";
import { SECRET_SIG, SIG_KEY, blindSecrets, secretPathsOf, unwrapWireSecrets } from "../../providers/secrets";
import { effectiveConfig } from "../../pack/config";
import { judgeNormalized, judgeStack } from "../../pack/judge";
import { UNKNOWN_STRING } from "../helpers";

const CFG = effectiveConfig({}, {});
const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

/** Every finding of every rule on one resource, inputs given in the engine's wire form (secrets wrapped). */
function findings(type: string, wire: Record<string, unknown>): { rule: string; level: string; message: string }[] {
    const props = unwrapWireSecrets(structuredClone(wire));
    const n = normalize(type, props);
    const r = { type, name: "res", urn: `urn:pulumi:dev::demo::${type}::res` };
    return RULES.flatMap((rule) =>
        judgeNormalized(rule, r, n, CFG).map((f) => ({ rule: rule.id, level: f.level, message: f.message })),
    );
}

/** The finding part of each message (the rule's own why/fix text may quote example values such as 0.0.0.0/0). */
function assertNotShown(fs: { message: string }[], ...values: string[]): void {
    for (const f of fs) {
        const finding = f.message.split(". Why it matters: ")[0].split(". Fix if it ends up failing: ")[0];
        for (const v of values) assert.ok(!finding.includes(v), `"${v}" printed in: ${f.message}`);
    }
}

describe("secret inputs: unwrapping and blinding", () => {
    it("records the path of every wrapped secret and leaves plain values alone", () => {
        const props = unwrapWireSecrets({ a: secret("x"), b: { c: [1, secret({ d: "y" })] }, e: "plain" }) as Record<
            string,
            unknown
        >;
        assert.deepEqual(props, { a: "x", b: { c: [1, { d: "y" }] }, e: "plain" });
        assert.deepEqual(
            secretPathsOf(props),
            [["a"], ["b", "c", 1]].reverse().sort((x, y) => x.length - y.length),
        );
    });
    it("blinding replaces exactly the secrets by the unknown sentinel and copies only along their paths", () => {
        const props = unwrapWireSecrets({ a: secret("x"), b: { c: [1, secret("y")] }, keep: { big: "z" } }) as Record<
            string,
            unknown
        >;
        const blind = blindSecrets(props) as Record<string, unknown>;
        assert.deepEqual(blind, { a: UNKNOWN_STRING, b: { c: [1, UNKNOWN_STRING] }, keep: { big: "z" } });
        assert.equal(blind.keep, props.keep, "an untouched subtree is shared, not copied");
        assert.equal(props.a, "x", "the original inputs are not changed");
    });
});

describe("secret inputs never reach a message", () => {
    it("secret user data: a token-shaped --hostname-override is withheld, and the verdicts stay", () => {
        const fs = findings("aws:ec2/instance:Instance", {
            userData: secret("#!/bin/bash\nkubelet --anonymous-auth=true --hostname-override=AKIAIOSFODNN7EXAMPLE\n"),
        });
        assertNotShown(fs, "AKIAIOSFODNN7EXAMPLE");
        const host = fs.find((f) => f.rule === "kubelet-hostname-override-not-set");
        assert.ok(host, "the hostname override is still reported");
        assert.match(host.message, /kubelet\.hostnameOverride \(from userData, marked secret\) = \(secret\)/);
        assert.ok(
            fs.some((f) => f.rule === "kubelet-anonymous-auth-disabled" && f.level === "policy"),
            "the mandatory verdict is kept",
        );
    });
    it("secret authorized networks: the mandatory verdict stays, the CIDRs are not printed", () => {
        const fs = findings("aws:eks/cluster:Cluster", {
            vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: secret(["0.0.0.0/0", "203.0.113.7/32"]) },
        });
        const f = fs.find((x) => x.rule === "cluster-public-endpoint-authorized-networks-only");
        assert.equal(f?.level, "policy");
        assertNotShown(fs, "0.0.0.0/0", "203.0.113.7");
        assert.match(f!.message, /\(secret\)/);
    });
    it("a secret elsewhere in the resource does not hide the settings it did not decide", () => {
        const fs = findings("aws:eks/cluster:Cluster", {
            roleArn: secret("arn:aws:iam::1:role/r"),
            vpcConfig: { publicAccessCidrs: ["0.0.0.0/0"] },
        });
        const f = fs.find((x) => x.rule === "cluster-public-endpoint-authorized-networks-only");
        assert.match(f!.message, /publicAccessCidrs = \[0\.0\.0\.0\/0\]/);
    });
    it("a secret whole security group rule keeps its verdict and withholds its sources", () => {
        const fs = findings("aws:ec2/securityGroupRule:SecurityGroupRule", {
            type: "ingress",
            protocol: "tcp",
            fromPort: 10250,
            toPort: 10250,
            cidrBlocks: secret(["198.51.100.0/24", "0.0.0.0/0"]),
        });
        assert.ok(fs.some((f) => f.rule === "control-plane-ports-not-open-to-internet" && f.level === "policy"));
        assertNotShown(fs, "198.51.100.0", "0.0.0.0/0");
    });
    it("file names inside secret user data are withheld with the values", () => {
        const script =
            "#cloud-config\nwrite_files:\n- path: /etc/kubernetes/Zq7SecretName.yaml\n  content: |\n    kind: KubeletConfiguration\n" +
            "    apiVersion: kubelet.config.k8s.io/v1beta1\n    readOnlyPort: 10255\nruncmd:\n- kubelet --config=/etc/kubernetes/Zq7SecretName.yaml\n";
        const fs = findings("aws:ec2/instance:Instance", { userData: secret(script) });
        assert.ok(fs.some((f) => f.rule === "kubelet-read-only-port-disabled"));
        assertNotShown(fs, "Zq7SecretName");
    });
    it("property: no value written into secret user data is ever printed, whatever the flags", () => {
        const flags = [
            "hostname-override",
            "node-ip",
            "tls-cipher-suites",
            "client-ca-file",
            "config",
            "read-only-port",
            "authorization-mode",
            "anonymous-auth",
            "tls-cert-file",
            "event-qps",
            "pod-manifest-path",
            "kubeconfig",
        ];
        const marker = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{5,12}$/).map((s) => `Zq${s}`);
        fc.assert(
            fc.property(
                marker,
                fc.subarray(flags, { minLength: 1 }),
                fc.constantFrom("instance", "pod", "command"),
                (v, chosen, carrier) => {
                    const args = chosen.map((f) => `--${f}=${v}`);
                    const [type, wire] =
                        carrier === "instance"
                            ? [
                                  "aws:ec2/instance:Instance",
                                  { userData: secret(`#!/bin/bash\nkubelet ${args.join(" ")}\n`) },
                              ]
                            : carrier === "pod"
                              ? [
                                    "kubernetes:core/v1:Pod",
                                    { spec: { containers: [{ name: "k", command: secret(["kubelet", ...args]) }] } },
                                ]
                              : ["command:remote:Command", { create: secret(`kubelet ${args.join(" ")}`) }];
                    assertNotShown(findings(type as string, wire as Record<string, unknown>), v);
                },
            ),
            { numRuns: 150 },
        );
    });
});

describe("values that are not plain tokens are never printed, secret or not", () => {
    const hostile = "/debug?token=eyJhbGciOiJSUzI1NiJ9.SECRET-PAYLOAD.sig&password=hunter2 with spaces";
    it("raw always-allow paths in a detail are withheld", () => {
        const fs = findings("kubernetes:core/v1:Pod", {
            spec: {
                containers: [
                    {
                        name: "kcm",
                        command: ["kube-controller-manager", `--authorization-always-allow-paths=/healthz,${hostile}`],
                    },
                ],
            },
        });
        assert.ok(fs.some((f) => f.rule === "kube-controller-manager-authorization-always-allow-paths-health-only"));
        assertNotShown(fs, "hunter2", "eyJhbGciOiJSUzI1NiJ9", "SECRET-PAYLOAD");
    });
    it("a raw --config path quoted in every default's provenance is withheld", () => {
        const fs = findings("command:remote:Command", {
            create: "kubelet --read-only-port=10255 --config '/etc/k/$(cat /root/token) text: eyJhbGciOiJSUzI1NiJ9.PAYLOAD'",
        });
        assert.ok(fs.some((f) => f.rule === "kubelet-read-only-port-disabled"));
        assertNotShown(fs, "/root/token", "eyJhbGciOiJSUzI1NiJ9", "$(cat");
    });
    it("property: a hostile value of any list or string flag of a control-plane component is not printed", () => {
        const word = fc.stringMatching(/^[a-z]{3,8}$/);
        const hostileValue = fc.tuple(word, word, word).map(([a, b, c]) => `/${a} ${b}?t=${c}&Zq=1`);
        const flags = [
            "authorization-always-allow-paths",
            "tls-cipher-suites",
            "client-ca-file",
            "service-account-key-file",
            "audit-log-path",
            "encryption-provider-config",
            "authorization-mode",
            "enable-admission-plugins",
            "etcd-cafile",
            "root-ca-file",
        ];
        const binaries = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd", "kubelet"];
        fc.assert(
            fc.property(
                hostileValue,
                fc.constantFrom(...binaries),
                fc.subarray(flags, { minLength: 1 }),
                (v, bin, chosen) => {
                    const fs = findings("kubernetes:core/v1:Pod", {
                        spec: {
                            containers: [{ name: "c", command: [bin, ...chosen.map((f) => `--${f}=/healthz,${v}`)] }],
                        },
                    });
                    assertNotShown(fs, v, v.split(" ")[1] + "?t=");
                },
            ),
            { numRuns: 150 },
        );
    });
});

describe("secret provenance in stack links", () => {
    it("a secret CIDR of a rule joined to an EKS cluster's security group is withheld in the stack finding", () => {
        const sg = {
            type: "aws:ec2/securityGroup:SecurityGroup",
            name: "sg",
            urn: "urn:sg",
            dependencies: [],
            propertyDependencies: {},
            props: unwrapWireSecrets({
                ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: secret(["0.0.0.0/0"]) }],
            }),
        };
        const eks = {
            type: "aws:eks/cluster:Cluster",
            name: "c",
            urn: "urn:c",
            dependencies: ["urn:sg"],
            propertyDependencies: { vpcConfig: ["urn:sg"] },
            props: { vpcConfig: { securityGroupIds: ["sg-1"], endpointPublicAccess: false } },
        };
        const rule = RULES.find((r) => r.id === "control-plane-ports-not-open-to-internet")!;
        const out = judgeStack(rule, [sg, eks], CFG);
        assert.ok(
            out.some((f) => f.level === "policy" && f.urn === "urn:sg"),
            JSON.stringify(out),
        );
        assertNotShown(out, "0.0.0.0/0");
    });
});
