// sed edits as GNU sed applies them (GNU sed manual, 4.9: "sed scripts" 3.2-3.8, "Addresses" 4.1-4.4, "The s
// command" 3.3, "BRE syntax" 5.3, "ERE syntax" 5.4, "Command-line options" 2.2). Decoding alone first, then the
// verdicts a kubelet configuration edited this way gets.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { applySed, parseSed } from "../../providers/node/decode/shell/edits";
import { toRe2 } from "../../providers/node/decode/shell/sed-regex";
import { normalize } from "../../providers";
import { verdict } from "../helpers";

const sed = (script: string, text: string, extended = false) => {
    const c = parseSed(script, extended);
    assert.ok(c, `not understood: ${script}`);
    return applySed(text, c);
};
const CFG = [
    "apiVersion: kubelet.config.k8s.io/v1beta1",
    "kind: KubeletConfiguration",
    "readOnlyPort: 10255",
    "authentication:",
    "  anonymous:",
    "    enabled: true",
    "  webhook:",
    "    enabled: true",
    "authorization:",
    "  mode: Webhook",
    "",
].join("\n");

describe("sed alone: regular expressions (BRE by default, ERE with -E)", () => {
    it("BRE `.*` and anchors (5.3): s/^readOnlyPort:.*/readOnlyPort: 0/", () => {
        assert.match(sed("s/^readOnlyPort:.*/readOnlyPort: 0/", CFG), /^readOnlyPort: 0$/m);
    });
    it("ERE groups and \\1 in the replacement (3.3): s/(readOnlyPort:) [0-9]+/\\1 0/", () => {
        assert.match(sed("s/(readOnlyPort:) [0-9]+/\\1 0/", CFG, true), /^readOnlyPort: 0$/m);
    });
    it("BRE groups are \\( \\), a bare ( is a literal; & is the whole match", () => {
        assert.equal(sed("s/\\(a\\)(b)/[&|\\1]/", "xa(b)y\n"), "x[a(b)|a]y\n");
        assert.equal(sed("s/a+/X/", "aa+\n"), "aX\n", "+ is literal in a BRE");
        assert.equal(sed("s/a\\+/X/", "aa+\n"), "X+\n", "\\+ is GNU's one-or-more");
        assert.equal(sed("s/*a/X/", "b*a\n"), "bX\n", "a leading * is literal in a BRE");
    });
    it("a pattern that matches nothing changes nothing (no text is added)", () => {
        assert.equal(sed("s/^#readOnlyPort:.*/readOnlyPort: 10255/", "readOnlyPort: 0\n"), "readOnlyPort: 0\n");
    });
    it("bracket expressions: classes, and a backslash inside is itself (POSIX)", () => {
        assert.equal(sed("s/[[:digit:]]\\{1,5\\}/0/", "port: 10255\n"), "port: 0\n");
        assert.equal(sed("s/[\\]/|/g", "a\\b\n"), "a|b\n");
    });
    it("flags: g, the nth match, I (case-insensitive)", () => {
        assert.equal(sed("s/a/b/2", "aaa\n"), "aba\n");
        assert.equal(sed("s/a/b/2g", "aaaa\n"), "abbb\n");
        assert.equal(sed("s/TRUE/false/I", "enabled: true\n"), "enabled: false\n");
    });
    it("an escaped delimiter is that character, read with its usual meaning (s|a\\|b|x| replaces 'a|b')", () => {
        assert.equal(sed("s|a\\|b|x|", "a|b ab\n"), "x ab\n");
    });
    it("what RE2 cannot express is not understood: back-references in a pattern, \\< \\>, \\U, huge intervals", () => {
        for (const s of ["s/\\(a\\)\\1/x/", "s/\\<a\\>/x/", "s/a/\\U&/", "s/a\\{1,1000\\}/x/", "s/(a)/\\2/"])
            assert.equal(parseSed(s, s.includes("(a)/")), undefined, s);
        assert.equal(toRe2("\\(a\\)\\1", false), undefined);
    });
});

describe("sed alone: addresses, ranges, negation and blocks (4.1-4.4, 3.8)", () => {
    it("a range /start/,/end/ selects the lines from a match to the next match of the end", () => {
        const out = sed("/^authentication:/,/^authorization:/s/enabled: true/enabled: false/", CFG);
        assert.match(out, /anonymous:\n {4}enabled: false\n {2}webhook:\n {4}enabled: false/);
        assert.equal(sed("2,3d", "a\nb\nc\nd\n"), "a\nd\n");
        assert.equal(sed("3,1d", "a\nb\nc\nd\n"), "a\nb\nd\n", "an end line before the start selects one line");
        assert.equal(sed("/b/,$d", "a\nb\nc\nd\n"), "a\n");
    });
    it("! negates an address", () => {
        assert.equal(sed("/^#/!s/x/y/", "#x\nx\n"), "#x\ny\n");
    });
    it("a block applies its address to every command inside, and a range in a block moves once per line", () => {
        assert.equal(
            sed("/anonymous:/,/enabled/{s/enabled: true/enabled: false/;s/  /  /}", CFG),
            CFG.replace("    enabled: true\n  webhook", "    enabled: false\n  webhook"),
        );
        assert.equal(sed("/b/{s/b/B/;s/B/C/}", "a\nb\n"), "a\nC\n");
    });
    it("a, i, c, d; d ends the cycle so later commands do not see the line", () => {
        assert.equal(sed("/b/a after\n/b/i before", "a\nb\n"), "a\nbefore\nb\nafter\n");
        assert.equal(sed("/b/c replaced", "a\nb\n"), "a\nreplaced\n");
        assert.equal(sed("/b/d\ns/b/X/", "b\nc\n"), "c\n");
    });
    it("commands the pack does not model make the script not understood (the file becomes unknown)", () => {
        for (const s of [
            "/anonymous:/{n;s/true/false/}",
            "y/abc/xyz/",
            "/x/p",
            "$!N",
            "1~2d",
            "/a/,/b/c x",
            "#n\np",
            "/a/{s/a/b/",
        ])
            assert.equal(parseSed(s, false), undefined, s);
    });
    it("property: any script of sed's characters parses or is refused, and applies without throwing, deterministically", () => {
        fc.assert(
            fc.property(
                fc.string({
                    unit: fc.constantFrom(..."s/ab.*^$\\()[]{}|+?,;!1209&gIpnd{}\n".split("")),
                    maxLength: 40,
                }),
                fc.string({ unit: fc.constantFrom(..."ab.()*\n".split("")), maxLength: 200 }),
                fc.boolean(),
                (script, text, extended) => {
                    const c = parseSed(script, extended);
                    if (!c) return;
                    assert.equal(applySed(text, c), applySed(text, c));
                },
            ),
            { numRuns: 400 },
        );
    });
});

describe("sed in a boot script: the kubelet reads the edited file", () => {
    const CMD = "command:remote:Command";
    const boot = (edit: string) => ({
        create: `cat <<'EOF' > /etc/kubernetes/kubelet.yaml\n${CFG}EOF\n${edit}\n/usr/bin/kubelet --config=/etc/kubernetes/kubelet.yaml\n`,
    });
    it("a regex edit that hardens the file: no finding", () => {
        const props = boot(
            "sed -i -E -e 's/^(readOnlyPort:).*/\\1 0/' -e '/anonymous:/,/enabled/s/enabled: .*/enabled: false/' /etc/kubernetes/kubelet.yaml",
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "pass");
        assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, props), "pass");
    });
    it("a regex edit that weakens a hardened file: the violation, with the chain", () => {
        const hardened = CFG.replace("10255", "0");
        const props = {
            create: `cat <<'EOF' > /etc/k.yaml\n${hardened}EOF\nsed -Ei 's/^readOnlyPort: [0-9]+/readOnlyPort: 10255/' /etc/k.yaml\n/usr/bin/kubelet --config=/etc/k.yaml\n`,
        };
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "violation");
        const k = normalize(CMD, props).subjects.find((s) => s.component === "kubelet");
        assert.match(k?.settings["kubelet.readOnlyPort"]?.where ?? "", /sed -i \/etc\/k\.yaml/);
    });
    const unknownFile = (props: Record<string, unknown>) => {
        // The whole file is unknown: no rule judges a value from it, and one note says why.
        assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, props), "pass");
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "pass");
        const notes = normalize(CMD, props).notes.map((n) => `${n.where}: ${n.reason}`);
        assert.ok(
            notes.some((n) => /kubelet settings are in \/etc\/kubernetes\/kubelet\.yaml.*not known/.test(n)),
            notes.join("\n"),
        );
    };
    it("a sed script the pack cannot follow (`n`): one advisory, never the file's text before the edit", () => {
        unknownFile(boot("sed -i '/anonymous:/{n;s/enabled: .*/enabled: false/}' /etc/kubernetes/kubelet.yaml"));
    });
    it("options: -n (print only when asked) makes the result unknown; -Ei is extended and in place", () => {
        unknownFile(boot("sed -n -i 's/10255/0/p' /etc/kubernetes/kubelet.yaml"));
        assert.equal(
            verdict(
                "kubelet-read-only-port-disabled",
                CMD,
                boot("sed -Ei 's/(Port:) 10255/\\1 0/' /etc/kubernetes/kubelet.yaml"),
            ),
            "pass",
        );
        assert.equal(
            verdict(
                "kubelet-read-only-port-disabled",
                CMD,
                boot("sed -Ei 's/(Port:) 0/\\1 10255/' /etc/kubernetes/kubelet.yaml"),
            ),
            "violation",
        );
    });
});
