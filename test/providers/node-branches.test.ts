// Alternative branches of boot scripts (providers/node/branches.ts): only one branch of an if/elif/else or of a
// case runs (bash(1), "Compound Commands": the list after the first true condition, else the else list; case
// runs the list of the first pattern that matches), and which one is decided on the machine. A setting that
// differs between branches is undetermined (one advisory), never the verdict of whichever branch came last.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { normalize } from "../../providers";
import { LIMITS } from "../../providers/node/limits";
import { judgeProps, verdict } from "../helpers";

const CMD = "command:remote:Command";
const EC2 = "aws:ec2/instance:Instance";
const sh = (...lines: string[]) => ({ create: lines.join("\n") + "\n" });
const KUBELET = "/usr/bin/kubelet --anonymous-auth=false --authorization-mode=Webhook";

describe("if/else: one branch runs", () => {
    for (const [first, second] of [
        ["true", "false"],
        ["false", "true"],
    ])
        it(`a kubelet flag set to ${first} in one branch and ${second} in the other is undetermined, in either order`, () => {
            const props = sh(
                'if [ "$(cat /etc/role)" = dev ]; then',
                `  ANON=${first}`,
                "else",
                `  ANON=${second}`,
                "fi",
                `/usr/bin/kubelet --anonymous-auth=$ANON --read-only-port=0`,
            );
            assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, props), "unknown");
            const [f] = judgeProps("kubelet-anonymous-auth-disabled", CMD, props);
            assert.equal(f.level, "advisory");
            assert.match(
                f.message,
                /differs between the branches of the if\/else at create command, line 1; which branch runs is decided on the machine at boot/,
            );
            // The setting the branches agree on keeps its verdict.
            assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "pass");
        });

    it("both branches hardened (different lines, same values): no finding", () => {
        const props = sh(
            "if [ -f /etc/kubernetes/kubelet.conf ]; then",
            `  ${KUBELET} --read-only-port=0 --kubeconfig=/etc/kubernetes/kubelet.conf`,
            "else",
            `  ${KUBELET} --read-only-port=0 --bootstrap-kubeconfig=/etc/kubernetes/bootstrap.conf`,
            "fi",
        );
        assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, props), "pass");
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "pass");
        assert.deepEqual(normalize(CMD, props).notes, []);
    });

    it("both branches insecure: the violation stands", () => {
        const props = sh(
            "if [ -f /etc/kubernetes/kubelet.conf ]; then",
            `  ${KUBELET} --read-only-port=10255`,
            "else",
            `  ${KUBELET} --read-only-port=10255 --v=2`,
            "fi",
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "violation");
    });

    it("if without else: the body is read as running (what the script was written for)", () => {
        const props = sh("if ! pgrep kubelet; then", `  ${KUBELET} --read-only-port=10255`, "fi");
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "violation");
    });

    it("elif: each of three branches is an alternative", () => {
        const props = sh(
            'if [ "$ENV" = prod ]; then PORT=0',
            'elif [ "$ENV" = stage ]; then PORT=0',
            "else PORT=10255",
            "fi",
            `${KUBELET} --read-only-port=$PORT`,
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "unknown");
        const agree = sh(
            'if [ "$ENV" = prod ]; then PORT=0',
            'elif [ "$ENV" = stage ]; then PORT=0',
            "else PORT=0",
            "fi",
            `${KUBELET} --read-only-port=$PORT`,
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, agree), "pass");
    });

    it("a component started in only one branch is judged as it would run there", () => {
        const props = sh(
            'if [ "$ROLE" = control-plane ]; then',
            "  kube-apiserver --anonymous-auth=true --authorization-mode=Node,RBAC",
            "else",
            `  ${KUBELET} --read-only-port=0`,
            "fi",
        );
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", CMD, props), "violation");
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "pass");
    });

    it("a file written differently in each branch (heredocs) makes the settings it carries undetermined", () => {
        const cfg = (port: number) =>
            `cat <<'EOF' > /etc/kubernetes/kubelet.yaml\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: ${port}\nauthentication:\n  anonymous:\n    enabled: false\nauthorization:\n  mode: Webhook\nEOF`;
        const props = sh(
            "if [ -d /opt/legacy ]; then",
            cfg(10255),
            "else",
            cfg(0),
            "fi",
            "/usr/bin/kubelet --config=/etc/kubernetes/kubelet.yaml",
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "unknown");
        assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, props), "pass");
    });

    it("nested alternatives inside an else branch are varied too", () => {
        const props = sh(
            "if [ -f /a ]; then PORT=0",
            "else",
            "  if [ -f /b ]; then PORT=0; else PORT=10255; fi",
            "fi",
            `${KUBELET} --read-only-port=$PORT`,
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "unknown");
    });
});

describe("case: one arm runs", () => {
    it("arms that set a flag differently: undetermined; arms that only set unrelated variables: verdict kept", () => {
        const differ = sh(
            'case "$(hostname)" in',
            "  *-dev-*) PORT=10255 ;;",
            "  *) PORT=0 ;;",
            "esac",
            `${KUBELET} --read-only-port=$PORT`,
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, differ), "unknown");
        const unrelated = sh(
            "case $(uname -m) in",
            "  x86_64) ARCH=amd64 ;;",
            "  aarch64) ARCH=arm64",
            "esac",
            "curl -fsSLo /tmp/crictl.tgz https://example.com/crictl-$ARCH.tgz",
            `${KUBELET} --read-only-port=10255`,
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, unrelated), "violation");
    });
});

describe("bounded: readings are capped", () => {
    const alternatives = (n: number, writes = true) => {
        const lines = ["#!/bin/bash"];
        for (let i = 0; i < n; i++)
            lines.push(
                writes
                    ? `if [ -f /x${i} ]; then echo a > /etc/x${i}; else echo b > /etc/x${i}; fi`
                    : `if [ -f /x${i} ]; then V${i}=a; else V${i}=b; fi`,
            );
        lines.push(`${KUBELET} --read-only-port=10255`);
        return { userData: lines.join("\n") + "\n" };
    };
    const capNote = (props: Record<string, unknown>) =>
        normalize(EC2, props)
            .notes.map((x) => x.reason)
            .find((r) => /^\d+ if\/else or case alternatives (beyond|in a script too large)/.test(r));

    it(`at most LIMITS.maxBranchReadings (${LIMITS.maxBranchReadings}) readings: the other alternatives are named in one note`, () => {
        const props = alternatives(12);
        assert.equal(
            capNote(props),
            `${12 - (LIMITS.maxBranchReadings - 1)} if/else or case alternatives beyond the ${LIMITS.maxBranchReadings} readings the pack makes of a script this size; their branches were read as if each ran in turn`,
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", EC2, props), "violation");
        assert.equal(capNote(alternatives(LIMITS.maxBranchReadings - 1)), undefined);
    });

    it("alternatives beyond the cap that only set variables are read in order without a note (README)", () => {
        assert.equal(capNote(alternatives(12, false)), undefined);
    });

    it("a larger script gets fewer readings (LIMITS.maxBranchCommands over the commands it runs)", () => {
        const saved = LIMITS.maxBranchCommands;
        try {
            // 6 alternatives of 3 commands each plus the kubelet: 19 commands; 40 / 19 → 2 more readings.
            LIMITS.maxBranchCommands = 40;
            assert.match(capNote(alternatives(6)) ?? "", /^4 if\/else or case alternatives beyond the 3 readings/);
            // Too large for a second reading: the reading pass stands, with the note.
            LIMITS.maxBranchCommands = 10;
            assert.match(
                capNote(alternatives(6)) ?? "",
                /^6 if\/else or case alternatives in a script too large to read once per alternative;/,
            );
        } finally {
            LIMITS.maxBranchCommands = saved;
        }
    });
});
