// The decode stage alone: scripts, cloud-config and unit files → the node model (files written in order,
// commands with their environment), with no component knowledge involved. Each case cites the shell or
// cloud-init behaviour it encodes.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { Decoder } from "../../providers/node/decode";
import { runScript, splitWords } from "../../providers/node/decode/shell/interp";
import { execWords, parseEnvFile, parseUnit } from "../../providers/node/decode/systemd";
import { NodeModel, UNKNOWN_MARK } from "../../providers/node/model";

function run(script: string): NodeModel {
    const m = new NodeModel();
    runScript(m, script, "script");
    return m;
}

const argvOf = (m: NodeModel) => m.commands.map((c) => c.argv.map((a) => a.text));

describe("shell: which commands run (POSIX shell grammar, bash wrappers)", () => {
    const started = (script: string) => argvOf(run(script)).filter((a) => a[0].endsWith("kubelet"));
    for (const [name, script] of [
        [
            "if …; then kubelet; fi on one line",
            "if [ -x /usr/bin/kubelet ]; then /usr/bin/kubelet --anonymous-auth=true; fi",
        ],
        ["a subshell in the background ( kubelet & )", "(/usr/bin/kubelet --anonymous-auth=true &)"],
        ["while …; do kubelet; done", "while true; do kubelet --anonymous-auth=true; sleep 5; done"],
        ["until …; do …; done and a brace group", "until false; do { kubelet --anonymous-auth=true; }; done"],
        ["sudo -u root (an option with a value)", "sudo -u root kubelet --anonymous-auth=true"],
        ["timeout 600 (a positional duration)", "timeout -k 5 600 kubelet --anonymous-auth=true"],
        [
            "env A=B, nice -n 10, nohup, setsid, exec chained",
            "exec nohup setsid nice -n 10 env A=B kubelet --anonymous-auth=true",
        ],
        ["! and time before the command", "! time kubelet --anonymous-auth=true"],
        ["a case branch", "case $1 in\n  start) kubelet --anonymous-auth=true ;;\n  *) echo no ;;\nesac"],
        ["for loop body", "for i in 1 2; do kubelet --anonymous-auth=true; done"],
        ["a function body", "start() {\n  kubelet --anonymous-auth=true\n}\nstart"],
        ["sh -c with a quoted script", "sh -c 'cd /; exec kubelet --anonymous-auth=true'"],
        ["&& and || lists", "true && kubelet --anonymous-auth=true || echo failed"],
    ]) {
        it(`${name} starts the kubelet`, () => {
            const k = started(script);
            assert.ok(k.length >= 1, JSON.stringify(argvOf(run(script))));
            assert.deepEqual(k[0].slice(1), ["--anonymous-auth=true"]);
        });
    }
    it("`command -v kubelet` and `kubelet --version` do not start it", () => {
        assert.deepEqual(started("command -v kubelet && kubelet --version"), []);
    });
    it("a prefix assignment is the command's environment only; export reaches later commands", () => {
        const m = run("ETCD_CERT_FILE=/a etcd\nexport ETCD_KEY_FILE=/k\netcd\n");
        assert.equal(m.commands[0].env.get("ETCD_CERT_FILE"), "/a");
        assert.equal(m.commands[1].env.get("ETCD_CERT_FILE"), undefined);
        assert.equal(m.commands[1].env.get("ETCD_KEY_FILE"), "/k");
    });
});

describe("shell: expansion (POSIX 2.6)", () => {
    it('unquoted $VAR splits into fields, "$VAR" stays one', () => {
        const m = run("A='--x=1 --y=2'\nkubelet $A \"$A\"\n");
        assert.deepEqual(argvOf(m)[0], ["kubelet", "--x=1", "--y=2", "--x=1 --y=2"]);
    });
    it("${VAR:-default} and ${VAR} inside a word; an unset variable is empty (2.6.2)", () => {
        assert.deepEqual(argvOf(run("kubelet --port=${PORT:-10250} --a=${UNSET}b\n"))[0], [
            "kubelet",
            "--port=10250",
            "--a=b",
        ]);
    });
    it("backslash-newline joins lines; a quoted heredoc delimiter keeps $ literal, an unquoted one expands", () => {
        const m = run(
            "P=7\nkubelet \\\n  --read-only-port=$P\ncat <<'EOF' > /a\nport=$P\nEOF\ncat <<EOF > /b\nport=$P\nEOF\n",
        );
        assert.deepEqual(argvOf(m)[0], ["kubelet", "--read-only-port=7"]);
        assert.equal(m.read("/a"), "port=$P\n");
        assert.equal(m.read("/b"), "port=7\n");
    });
    it("$( ) is replaced by the output of the commands it runs, when the pack can tell it", () => {
        assert.deepEqual(argvOf(run("kubelet --node-labels=$(echo a=b)\n"))[0], ["kubelet", "--node-labels=a=b"]);
        const unknown = argvOf(
            run("kubelet --hostname-override=$(curl -s http://169.254.169.254/latest/meta-data/local-hostname)\n"),
        )[0];
        assert.ok(unknown[1].startsWith("--hostname-override=") && unknown[1].includes(UNKNOWN_MARK));
    });
    it("a session variable the script does not set ($HOSTNAME) is unknown", () => {
        assert.ok(argvOf(run("kubelet --hostname-override=$HOSTNAME\n"))[0][1].includes(UNKNOWN_MARK));
    });
    it("A=$A$A doubling stops at the variable cap with a note, in linear time", () => {
        const script = `A=x\n${"A=$A$A\n".repeat(40)}kubelet --anonymous-auth=true $A\n`;
        const t0 = Date.now();
        const m = run(script);
        assert.ok(Date.now() - t0 < 1000);
        assert.ok(
            m.notes.some((n) => /grows beyond/.test(n.reason)),
            JSON.stringify(m.notes),
        );
        assert.equal(argvOf(m)[0][1], "--anonymous-auth=true");
    });
    it("splitWords reads a flag string as the shell would", () => {
        assert.deepEqual(splitWords(`--node-labels="a=b c" --x='y z'`), ["--node-labels=a=b c", "--x=y z"]);
    });
});

describe("shell: files written in order", () => {
    it("heredoc, echo, printf, tee -a, cat | tee build one file", () => {
        const m = run(
            "cat <<EOF > /e\nA=1\nEOF\necho 'B=2' >> /e\nprintf 'C=%s\\n' 3 >> /e\necho D=4 | tee -a /e\ncat <<EOF | sudo tee -a /e >/dev/null\nE=5\nEOF\n",
        );
        assert.equal(m.read("/e"), "A=1\nB=2\nC=3\nD=4\nE=5\n");
    });
    it("cp, install -D -m and mv copy what was written earlier; the source is gone after mv", () => {
        const m = run("echo x > /tmp/a\ncp /tmp/a /etc/b\ninstall -D -m 0644 /tmp/a /etc/c\nmv /tmp/a /etc/dir/\n");
        assert.equal(m.read("/etc/b"), "x\n");
        assert.equal(m.read("/etc/c"), "x\n");
        assert.equal(m.read("/etc/dir/a"), "x\n");
        assert.equal(m.read("/tmp/a"), undefined);
    });
    it("sed -i edits the text it targets: a/i/c after a literal address, s/// with any delimiter, d", () => {
        const m = run("printf 'A=1\\nB=2\\nC=3\\n' > /f\nsed -i -e '/^A=/a X=9' -e 's|B=2|B=7|' -e '/^C=/d' /f\n");
        assert.equal(m.read("/f"), "A=1\nX=9\nB=7\n");
    });
    it("jq through a temporary file edits the JSON it reads", () => {
        const m = run(
            "echo '{\"readOnlyPort\": 0}' > /k.json\njq '.readOnlyPort = 10255 | .authentication.anonymous.enabled = true' /k.json > /tmp/k && mv /tmp/k /k.json\n",
        );
        assert.deepEqual(JSON.parse(m.read("/k.json")!), {
            readOnlyPort: 10255,
            authentication: { anonymous: { enabled: true } },
        });
    });
    it("a downloaded file's content is unknown", () => {
        assert.equal(
            run("curl -sLo /etc/kubernetes/kubelet.yaml https://example.com/k.yaml\n").read(
                "/etc/kubernetes/kubelet.yaml",
            ),
            UNKNOWN_MARK,
        );
    });
    it("a script the program wrote runs when invoked by path or with bash", () => {
        const m = run(
            "cat <<'EOF' > /opt/start.sh\nkubelet --anonymous-auth=true\nEOF\nchmod +x /opt/start.sh\n/opt/start.sh\nbash /opt/start.sh\n",
        );
        assert.equal(argvOf(m).length, 2);
    });
});

describe("cloud-init: module order (cloudinit.readthedocs.io boot stages; write_files defer/append)", () => {
    function decode(text: string): NodeModel {
        const m = new NodeModel();
        const d = new Decoder(m);
        d.top(() => d.text(text, "user data", 0));
        return m;
    }
    it("bootcmd runs before write_files; runcmd after; deferred write_files before runcmd; append adds", () => {
        const m = decode(
            [
                "#cloud-config",
                "bootcmd:",
                "- echo boot > /order",
                "write_files:",
                "- path: /order",
                "  content: |",
                "    files",
                "  append: true",
                "- path: /late",
                "  content: |",
                "    deferred",
                "  defer: true",
                "runcmd:",
                "- cat /late >> /order",
            ].join("\n"),
        );
        assert.equal(m.read("/order"), "boot\nfiles\ndeferred\n");
    });
    it("a MIME shell part runs before runcmd (scripts-user runs part-001 before runcmd)", () => {
        const mime = [
            "MIME-Version: 1.0",
            'Content-Type: multipart/mixed; boundary="B"',
            "",
            "--B",
            "Content-Type: text/cloud-config",
            "",
            "#cloud-config",
            "runcmd:",
            "- echo second >> /order",
            "--B",
            "Content-Type: text/x-shellscript",
            "",
            "#!/bin/bash",
            "echo first >> /order",
            "--B--",
            "",
        ].join("\n");
        assert.equal(decode(mime).read("/order"), "first\nsecond\n");
    });
});

describe("systemd unit files (systemd.syntax(7), systemd.service(5))", () => {
    it("a continued ExecStart drops comment lines inside the continuation", () => {
        const d = parseUnit(
            "[Service]\nExecStart=/usr/bin/kubelet \\\n# --anonymous-auth=true \\\n  --read-only-port=0\n",
        );
        assert.deepEqual(
            d.map((x) => [x.key, x.value.split(/\s+/).join(" ")]),
            [["ExecStart", "/usr/bin/kubelet --read-only-port=0"]],
        );
    });
    it("$VAR splits into words, ${VAR} stays one word, unset is empty, prefixes are dropped", () => {
        const env = new Map([["A", { value: "--x=1 --y=2", from: "A" }]]);
        assert.deepEqual(
            execWords("-/usr/bin/kubelet $A ${A} $UNSET", env).map((w) => w.text),
            ["/usr/bin/kubelet", "--x=1", "--y=2", "--x=1 --y=2"],
        );
    });
    it("environment files: quotes removed, comments skipped, continuations joined", () => {
        assert.deepEqual(
            parseEnvFile("# c\nA=\"1 2\"\nB='x'\nC=a \\\nb\n").map(([k, v]) => [k, v.split(/\s+/).join(" ")]),
            [
                ["A", "1 2"],
                ["B", "x"],
                ["C", "a b"],
            ],
        );
    });
});

describe("properties of the decoders", () => {
    const word = fc.string({ minLength: 1, maxLength: 12 });
    const singleQuote = (w: string) => `'${w.split("'").join("'\\''")}'`;
    const doubleQuote = (w: string) => `"${w.replace(/["\\$`]/g, (c) => `\\${c}`)}"`;
    it("quoting any words and splitting them again gives the same words (single, double, ANSI-C-free)", () => {
        fc.assert(
            fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.boolean(), (words, dq) => {
                const line = words.map(dq ? doubleQuote : singleQuote).join(" ");
                assert.deepEqual(splitWords(line), words);
            }),
            { numRuns: 300 },
        );
    });
    it("a file written by a quoted heredoc holds exactly its body, whatever the body", () => {
        fc.assert(
            fc.property(
                fc.array(
                    fc.string({ maxLength: 30 }).filter((l) => !l.includes("\n") && l !== "EOF" && !l.includes("\r")),
                    { maxLength: 10 },
                ),
                (lines) => {
                    const m = run(`cat <<'EOF' > /f\n${lines.map((l) => `${l}\n`).join("")}EOF\n`);
                    assert.equal(m.read("/f"), lines.map((l) => `${l}\n`).join(""));
                },
            ),
            { numRuns: 200 },
        );
    });
    it("a unit's Environment= value passed as ${VAR} is one word, as $VAR the words of the value", () => {
        const simple = fc.stringMatching(/^[A-Za-z0-9=,.-]{1,10}$/);
        fc.assert(
            fc.property(fc.array(simple, { minLength: 1, maxLength: 6 }), (words) => {
                const env = new Map([["V", { value: words.join(" "), from: "V" }]]);
                assert.deepEqual(
                    execWords("/bin/x $V", env)
                        .slice(1)
                        .map((w) => w.text),
                    words,
                );
                assert.deepEqual(
                    execWords("/bin/x ${V}", env)
                        .slice(1)
                        .map((w) => w.text),
                    [words.join(" ")],
                );
            }),
            { numRuns: 200 },
        );
    });
    it("echo of any words appended line by line builds the file in order", () => {
        fc.assert(
            fc.property(
                fc.array(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_=.-]{0,11}$/), { minLength: 1, maxLength: 10 }),
                (lines) => {
                    const m = run(lines.map((l) => `echo ${l} >> /log\n`).join(""));
                    assert.equal(m.read("/log"), lines.map((l) => `${l}\n`).join(""));
                },
            ),
            { numRuns: 100 },
        );
    });
});
