// EKS managed node groups joined with their launch templates at stack level: the template is judged again with the
// kubelet its user data and the node group's AMI make together; a node group and its template share one finding,
// reported on the template (whose user data its owner edits), and the stack adds one only where the verdict differs.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { effectiveConfig } from "../../pack/config";
import { judgeResource, judgeStack } from "../../pack/judge";
import type { StackResource } from "../../providers/stack";
import { rule, verdict } from "../helpers";

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const NG = "aws:eks/nodeGroup:NodeGroup";
const CTX = effectiveConfig({}, {});
const urn = (type: string, name: string) => `urn:pulumi:dev::demo::${type}::${name}`;
const b64 = (s: string) => Buffer.from(s).toString("base64");

const mimeShell = (body: string) =>
    b64(
        [
            "MIME-Version: 1.0",
            'Content-Type: multipart/mixed; boundary="//"',
            "",
            "--//",
            'Content-Type: text/x-shellscript; charset="us-ascii"',
            "",
            body,
            "--//--",
            "",
        ].join("\n"),
    );

/** Kubelet flags in an env file: on its own, the content does not say which distribution runs the kubelet. */
const EXTRA_ARGS = mimeShell(
    "#!/bin/bash\necho 'KUBELET_EXTRA_ARGS=\"--read-only-port=10255 --node-labels=team=a\"' >> /etc/sysconfig/kubelet\n",
);

function template(name: string, props: Record<string, unknown>): StackResource {
    return { type: LT, name, urn: urn(LT, name), props, dependencies: [], propertyDependencies: {} };
}

function nodeGroup(name: string, props: Record<string, unknown>, lt?: StackResource): StackResource {
    const deps = lt ? [lt.urn] : [];
    return {
        type: NG,
        name,
        urn: urn(NG, name),
        props,
        dependencies: deps,
        propertyDependencies: lt ? { launchTemplate: deps } : {},
    };
}

function stackFindings(policy: string, stack: StackResource[]) {
    return judgeStack(rule(policy), stack, CTX).filter((f) => f.level === "policy");
}

/** Every mandatory-level finding the pack gives for the stack: per resource (Analyze) and stack (AnalyzeStack). */
function allFindings(policy: string, stack: StackResource[]) {
    const perResource = stack.flatMap((r) =>
        judgeResource(rule(policy), r, r.props, CTX).map((f) => ({ ...f, urn: r.urn })),
    );
    return [...perResource, ...judgeStack(rule(policy), stack, CTX)].filter((f) => f.level === "policy");
}

describe("EKS node group ↔ launch template (stack level)", () => {
    const lt = template("workers-lt", { userData: EXTRA_ARGS });

    it("a node group and its template share one finding, reported on the template whose user data sets it", () => {
        const ng = nodeGroup(
            "workers",
            { clusterName: "prod", amiType: "AL2_x86_64", launchTemplate: { id: "lt-1", version: "1" } },
            lt,
        );
        const f = allFindings("kubelet-read-only-port-disabled", [lt, ng]);
        assert.equal(f.length, 1);
        assert.equal(f[0].urn, lt.urn);
        assert.match(
            f[0].message,
            /^aws:ec2\/launchTemplate:LaunchTemplate "workers-lt": .*user data \(userData\), MIME part 1 \(text\/x-shellscript\).*\/etc\/sysconfig\/kubelet.*--read-only-port = 10255/,
        );
        assert.doesNotMatch(f[0].message, /team=a/, "other flag values are not echoed");
        assert.equal(
            stackFindings("kubelet-read-only-port-disabled", [lt, ng]).length,
            0,
            "the joined verdict is the same: no second finding",
        );
    });

    it("the AMI EKS supplies is the kubelet's base: settings the content leaves open come from it (verdicts differ from the template alone)", () => {
        const ng = nodeGroup("workers", { amiType: "AL2_x86_64", launchTemplate: { id: "lt-1", version: "1" } }, lt);
        // Alone, KUBELET_EXTRA_ARGS reads as the kubeadm drop-in, whose config file does not protect kernel defaults.
        assert.equal(
            verdict("kubelet-protect-kernel-defaults-enabled", LT, lt.props as Record<string, unknown>),
            "violation",
        );
        // On the node group, the EKS AMI's kubelet-config.json (protectKernelDefaults: true) is the base.
        assert.equal(stackFindings("kubelet-protect-kernel-defaults-enabled", [lt, ng]).length, 0);
        const tls = judgeStack(rule("kubelet-tls-cert-file-and-key-set"), [lt, ng], CTX);
        assert.equal(tls.length, 0, "the EKS AMI sets serverTLSBootstrap");
    });

    it("every EKS-supplied AMI gives the kubelet a secure file; the template's own flags still override it", () => {
        // Joined by launchTemplate.name (no dependency recorded), content that names no distribution.
        const joined = (policy: string, ngProps: Record<string, unknown>, args: string) =>
            stackFindings(policy, [
                template("t", {
                    name: "t",
                    userData: mimeShell(`#!/bin/bash\necho 'KUBELET_EXTRA_ARGS="${args}"' > /etc/sysconfig/kubelet\n`),
                }),
                nodeGroup("g", { ...ngProps, launchTemplate: { name: "t", version: "$Latest" } }),
            ]);
        for (const ngProps of [
            { amiType: "AL2023_x86_64_STANDARD" },
            { amiType: "AL2_ARM_64" },
            { amiType: "BOTTLEROCKET_x86_64" },
            { version: "1.29" },
            {},
        ]) {
            const label = JSON.stringify(ngProps);
            for (const policy of [
                "kubelet-protect-kernel-defaults-enabled",
                "kubelet-read-only-port-disabled",
                "kubelet-anonymous-auth-disabled",
                "kubelet-authorization-mode-not-always-allow",
            ]) {
                assert.equal(joined(policy, ngProps, "--node-labels=a=b").length, 0, `${label} ${policy}`);
            }
            // The template's own flags override the AMI's file: the same verdict as the template alone, so one finding.
            for (const [policy, args] of [
                ["kubelet-anonymous-auth-disabled", "--anonymous-auth=true"],
                ["kubelet-protect-kernel-defaults-enabled", "--protect-kernel-defaults=false"],
                ["kubelet-read-only-port-disabled", "--read-only-port=10255"],
            ]) {
                assert.equal(joined(policy, ngProps, args).length, 0, `${label} ${policy}: no stack duplicate`);
                const all = allFindings(policy, [
                    template("t", {
                        name: "t",
                        userData: mimeShell(
                            `#!/bin/bash\necho 'KUBELET_EXTRA_ARGS="${args}"' > /etc/sysconfig/kubelet\n`,
                        ),
                    }),
                    nodeGroup("g", { ...ngProps, launchTemplate: { name: "t", version: "$Latest" } }),
                ]);
                assert.deepEqual(
                    all.map((f) => f.urn),
                    [urn(LT, "t")],
                    `${label} ${policy}`,
                );
            }
            // Client-certificate rotation does not apply: EKS kubelets authenticate with an IAM token.
            assert.equal(
                judgeStack(
                    rule("kubelet-rotate-certificates-enabled"),
                    [
                        template("t", {
                            name: "t",
                            userData: mimeShell(
                                "#!/bin/bash\necho 'KUBELET_EXTRA_ARGS=\"--node-labels=a=b\"' > /etc/sysconfig/kubelet\n",
                            ),
                        }),
                        nodeGroup("g", { ...ngProps, launchTemplate: { name: "t", version: "$Latest" } }),
                    ],
                    CTX,
                ).length,
                0,
                label,
            );
            // What the AL2/AL2023 images do not set is still reported, with the base named as the reason; Bottlerocket's
            // template renders a PID limit of its own (below).
            if (label.includes("BOTTLEROCKET")) continue;
            const pids = allFindings("kubelet-pod-pids-limit-set", [
                template("t", {
                    name: "t",
                    userData: mimeShell(
                        "#!/bin/bash\necho 'KUBELET_EXTRA_ARGS=\"--node-labels=a=b\"' > /etc/sysconfig/kubelet\n",
                    ),
                }),
                nodeGroup("g", { ...ngProps, launchTemplate: { name: "t", version: "$Latest" } }),
            ]);
            assert.equal(pids.length, 1, label);
            assert.match(pids[0].message, /podPidsLimit \(not set: config-file default, /);
        }
    });

    // bottlerocket-core-kit packages/kubernetes-1.33/kubelet-config renders podPidsLimit {{default 1048576 ...}},
    // seccompDefault from settings.kubernetes.seccomp-default (default false) and serverTLSBootstrap from
    // settings.kubernetes.server-tls-bootstrap, true on aws-k8s variants (bottlerocket sources/shared-defaults/kubernetes-aws.toml).
    it("Bottlerocket TOML: the template's defaults and the settings it renders (pod-pids-limit, seccomp-default, server-tls-bootstrap)", () => {
        const br = (toml: string) => ({ userData: b64(`[settings.kubernetes]\ncluster-name = "c"\n${toml}`) });
        const ng = () =>
            nodeGroup("g", { amiType: "BOTTLEROCKET_ARM_64", launchTemplate: { name: "t", version: "1" } });
        const on = (policy: string, toml: string) => {
            const t = template("t", { name: "t", ...br(toml) });
            return {
                alone: verdict(policy, LT, t.props as Record<string, unknown>),
                total: allFindings(policy, [t, ng()]).length,
            };
        };
        // Defaults of the template: a PID limit, serverTLSBootstrap on AWS, no RuntimeDefault seccomp.
        assert.deepEqual(on("kubelet-pod-pids-limit-set", ""), { alone: "pass", total: 0 });
        assert.deepEqual(on("kubelet-tls-cert-file-and-key-set", ""), { alone: "pass", total: 0 });
        assert.deepEqual(on("kubelet-seccomp-default-enabled", ""), { alone: "violation", total: 1 });
        // The settings the template reads.
        assert.deepEqual(on("kubelet-seccomp-default-enabled", "seccomp-default = true\n"), {
            alone: "pass",
            total: 0,
        });
        assert.deepEqual(on("kubelet-tls-cert-file-and-key-set", "server-tls-bootstrap = false\n"), {
            alone: "violation",
            total: 1,
        });
        assert.deepEqual(on("kubelet-pod-pids-limit-set", "pod-pids-limit = -1\n"), { alone: "violation", total: 1 });
        const seccomp = allFindings("kubelet-seccomp-default-enabled", [
            template("t", { name: "t", ...br("seccomp-default = false\n") }),
            ng(),
        ]);
        assert.match(seccomp[0].message, /Bottlerocket settings\.kubernetes\.seccomp-default = false/);
    });

    it("the base is named in the setting it supplies", async () => {
        const { linkStack } = await import("../../providers/stack");
        const bases: [Record<string, unknown>, RegExp][] = [
            [
                { amiType: "AL2023_x86_64_STANDARD" },
                /^nodeadm's generated kubelet config \(amiType AL2023_x86_64_STANDARD of EKS node group "g"\)/,
            ],
            [
                { amiType: "AL2_ARM_64" },
                /^the EKS AMI's \/etc\/kubernetes\/kubelet\/kubelet-config\.json \(amiType AL2_ARM_64 of EKS node group "g"\)/,
            ],
            [
                { amiType: "BOTTLEROCKET_x86_64" },
                /^Bottlerocket's kubelet config template \(aws-k8s variant defaults\) \(amiType BOTTLEROCKET_x86_64/,
            ],
            [
                { version: "1.29" },
                /^the EKS AMI's .*\(EKS node group "g" \(amiType not set: EKS picks AL2 for its Kubernetes version\)\)/,
            ],
            [{}, /^nodeadm's .*amiType not set: EKS picks AL2023/],
        ];
        for (const [ngProps, base] of bases) {
            const subjects = linkStack([
                template("t", { name: "t", userData: EXTRA_ARGS }),
                nodeGroup("g", { ...ngProps, launchTemplate: { name: "t", version: "$Latest" } }),
            ]);
            assert.equal(subjects.length, 1);
            assert.match(subjects[0].subject.settings["kubelet.anonymousAuth"].where, base);
        }
    });

    it("a custom AMI (imageId in the template, or amiType CUSTOM) supplies nothing known: the template's content is all there is", () => {
        const custom = template("custom-lt", { imageId: "ami-123", userData: EXTRA_ARGS });
        const ng = nodeGroup("custom", { amiType: "AL2_x86_64", launchTemplate: { id: "x", version: "1" } }, custom);
        const f = allFindings("kubelet-protect-kernel-defaults-enabled", [custom, ng]);
        assert.deepEqual(
            f.map((x) => x.urn),
            [custom.urn],
        );
        assert.match(f[0].message, /kubeadm/);
        const ngCustom = nodeGroup("custom2", { amiType: "CUSTOM", launchTemplate: { id: "x", version: "1" } }, lt);
        assert.deepEqual(
            allFindings("kubelet-protect-kernel-defaults-enabled", [lt, ngCustom]).map((x) => x.urn),
            [lt.urn],
        );
    });

    it("a flags-only kubelet unit in the template is not given the AMI's config file", () => {
        const unit = template("unit-lt", {
            userData: mimeShell(
                "#!/bin/bash\ncat <<'EOF' > /etc/systemd/system/kubelet.service\n[Service]\nExecStart=/usr/bin/kubelet --kubeconfig=/var/lib/kubelet/kubeconfig\nEOF\n",
            ),
        });
        const ng = nodeGroup("unit", { amiType: "AL2_x86_64", launchTemplate: { id: "x", version: "1" } }, unit);
        const f = allFindings("kubelet-anonymous-auth-disabled", [unit, ng]);
        assert.deepEqual(
            f.map((x) => x.urn),
            [unit.urn],
        );
        assert.match(f[0].message, /flag default, no config file/);
    });

    it("nothing is joined without a launch template, with one outside the stack, or when the template has no kubelet content", async () => {
        const { linkStack } = await import("../../providers/stack");
        const plain = template("plain", { userData: mimeShell("#!/bin/bash\nyum install -y amazon-ssm-agent\n") });
        const stacks: StackResource[][] = [
            [lt, nodeGroup("no-lt", { amiType: "AL2_x86_64" })],
            [lt, nodeGroup("elsewhere", { amiType: "AL2_x86_64", launchTemplate: { name: "other", version: "1" } })],
            [plain, nodeGroup("plain", { amiType: "AL2_x86_64", launchTemplate: { id: "x", version: "1" } }, plain)],
        ];
        for (const stack of stacks) {
            assert.deepEqual(
                linkStack(stack).filter((x) => /as EKS node group/.test(x.subject.location)),
                [],
                stack[1].name,
            );
        }
    });

    it("unknown imageId or amiType during preview: no base is assumed", () => {
        const unknownImage = template("u", { imageId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", userData: EXTRA_ARGS });
        const ng = nodeGroup("u", { amiType: "AL2_x86_64", launchTemplate: { id: "x", version: "1" } }, unknownImage);
        assert.deepEqual(
            allFindings("kubelet-read-only-port-disabled", [unknownImage, ng]).map((x) => x.urn),
            [unknownImage.urn],
        );
        const unknownType = nodeGroup(
            "t",
            { amiType: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", launchTemplate: { id: "x", version: "1" } },
            lt,
        );
        // Without a known image the content alone decides: here the kubeadm drop-in reading, which leaves kernel defaults unprotected.
        assert.deepEqual(
            allFindings("kubelet-protect-kernel-defaults-enabled", [lt, unknownType]).map((x) => x.urn),
            [lt.urn],
        );
    });
});
