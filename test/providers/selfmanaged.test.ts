// Self-managed sources × encodings: each case says where the setting sits, how it is wrapped, and whether the
// insecure and the hardened variant are told apart, asserting the rule that fires and the provenance path.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { gzipSync } from "zlib";
import { normalize } from "../../providers";
import type { Setting, Subject } from "../../providers";

const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const gz = (s: string) => gzipSync(Buffer.from(s));

function kubeletConfig(o: { anonymous?: boolean; readOnlyPort?: number; mode?: string } = {}): string {
    return (
        [
            "apiVersion: kubelet.config.k8s.io/v1beta1",
            "kind: KubeletConfiguration",
            "authentication:",
            "  anonymous:",
            `    enabled: ${o.anonymous ?? false}`,
            "  webhook:",
            "    enabled: true",
            "  x509:",
            "    clientCAFile: /etc/kubernetes/pki/ca.crt",
            "authorization:",
            `  mode: ${o.mode ?? "Webhook"}`,
            ...(o.readOnlyPort !== undefined ? [`readOnlyPort: ${o.readOnlyPort}`] : []),
        ].join("\n") + "\n"
    );
}
const INSECURE = kubeletConfig({ anonymous: true, readOnlyPort: 10255, mode: "AlwaysAllow" });
const HARDENED = kubeletConfig();

function indent(s: string, n: number): string {
    return s
        .split("\n")
        .map((l) => (l ? " ".repeat(n) + l : l))
        .join("\n");
}

const writeFiles = (content: string, encoding?: string) =>
    `#cloud-config\nwrite_files:\n- path: /var/lib/kubelet/config.yaml\n${encoding ? `  encoding: ${encoding}\n` : ""}  content: |\n${indent(content, 4)}\nruncmd:\n- systemctl restart kubelet\n`;

const mime = (parts: { type: string; body: string; b64?: boolean }[]) => {
    const boundary = "==BOUNDARY==";
    return [
        "MIME-Version: 1.0",
        `Content-Type: multipart/mixed; boundary="${boundary}"`,
        "",
        ...parts.flatMap((p) => [
            `--${boundary}`,
            `Content-Type: ${p.type}; charset="us-ascii"`,
            ...(p.b64 ? ["Content-Transfer-Encoding: base64"] : []),
            "",
            p.b64 ? b64(p.body) : p.body,
        ]),
        `--${boundary}--`,
        "",
    ].join("\n");
};

const heredoc = (content: string) =>
    `#!/bin/bash\nset -e\ncat <<'EOF' > /var/lib/kubelet/config.yaml\n${content}EOF\nsystemctl restart kubelet\n`;

function kubelet(type: string, props: Record<string, unknown>): Subject {
    const n = normalize(type, props);
    const s = n.subjects.find((x) => x.component === "kubelet");
    assert.ok(s, `no kubelet subject; notes: ${JSON.stringify(n.notes)}`);
    return s;
}

function expectSetting(s: Setting, value: unknown, where: RegExp): void {
    assert.deepEqual(s.value, value, `${s.where}`);
    assert.match(s.where, where);
}

interface Case {
    name: string;
    type: string;
    props: (config: string) => Record<string, unknown>;
    where: RegExp;
}

const EC2 = "aws:ec2/instance:Instance";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const LC = "aws:ec2/launchConfiguration:LaunchConfiguration";
const GCE = "gcp:compute/instance:Instance";
const GCE_T = "gcp:compute/instanceTemplate:InstanceTemplate";
const VM = "azure-native:compute:VirtualMachine";
const VM_V = "azure-native:compute/v20240301:VirtualMachine";
const VMSS = "azure-native:compute:VirtualMachineScaleSet";
const AZ_LINUX = "azure:compute/linuxVirtualMachine:LinuxVirtualMachine";
const CMD = "command:remote:Command";
const CI = "cloudinit:index/config:Config";
const CM = "kubernetes:core/v1:ConfigMap";

const cases: Case[] = [
    {
        name: "EC2 Instance userData, cloud-init write_files (plain)",
        type: EC2,
        props: (c) => ({ userData: writeFiles(c) }),
        where: /^user data \(userData\), cloud-init write_files \/var\/lib\/kubelet\/config\.yaml, KubeletConfiguration /,
    },
    {
        name: "EC2 Instance userDataBase64, base64(cloud-init)",
        type: EC2,
        props: (c) => ({ userDataBase64: b64(writeFiles(c)) }),
        where: /^user data \(userDataBase64\), cloud-init write_files/,
    },
    {
        name: "EC2 Instance userData, write_files encoding b64",
        type: EC2,
        props: (c) => ({
            userData: `#cloud-config\nwrite_files:\n- path: /var/lib/kubelet/config.yaml\n  encoding: b64\n  content: ${b64(c)}\n`,
        }),
        where: /write_files \/var\/lib\/kubelet\/config\.yaml, KubeletConfiguration/,
    },
    {
        name: "EC2 Instance userData, write_files encoding gz+b64",
        type: EC2,
        props: (c) => ({
            userData: `#cloud-config\nwrite_files:\n- path: /var/lib/kubelet/config.yaml\n  encoding: gz+b64\n  content: ${gz(c).toString("base64")}\n`,
        }),
        where: /write_files \/var\/lib\/kubelet\/config\.yaml, gzip, KubeletConfiguration/,
    },
    {
        name: "EC2 Instance userData, write_files encoding gzip (!!binary)",
        type: EC2,
        props: (c) => ({
            userData: `#cloud-config\nwrite_files:\n- path: /var/lib/kubelet/config.yaml\n  encoding: gzip\n  content: !!binary |\n    ${gz(c).toString("base64")}\n`,
        }),
        where: /write_files \/var\/lib\/kubelet\/config\.yaml, gzip, KubeletConfiguration/,
    },
    {
        name: "LaunchTemplate userData, base64(MIME(text/cloud-config))",
        type: LT,
        props: (c) => ({ userData: b64(mime([{ type: "text/cloud-config", body: writeFiles(c) }])) }),
        where: /^user data \(userData\), MIME part 1 \(text\/cloud-config\), cloud-init write_files/,
    },
    {
        name: "LaunchTemplate userData, base64(MIME with base64 part(shell heredoc))",
        type: LT,
        props: (c) => ({ userData: b64(mime([{ type: "text/x-shellscript", body: heredoc(c), b64: true }])) }),
        where: /MIME part 1 \(text\/x-shellscript\), line 3 heredoc > \/var\/lib\/kubelet\/config\.yaml, KubeletConfiguration/,
    },
    {
        name: "LaunchTemplate userData, base64(gzip(cloud-init))",
        type: LT,
        props: (c) => ({ userData: gz(writeFiles(c)).toString("base64") }),
        where: /^user data \(userData\), gzip, cloud-init write_files/,
    },
    {
        name: "LaunchConfiguration userData, shell heredoc",
        type: LC,
        props: (c) => ({ userData: heredoc(c) }),
        where: /^user data \(userData\), line 3 heredoc > \/var\/lib\/kubelet\/config\.yaml/,
    },
    {
        name: "GCE Instance metadata user-data, cloud-init",
        type: GCE,
        props: (c) => ({ metadata: { "user-data": writeFiles(c) } }),
        where: /^metadata user-data, cloud-init write_files/,
    },
    {
        name: "GCE Instance metadata startup-script, heredoc",
        type: GCE,
        props: (c) => ({ metadata: { "startup-script": heredoc(c) } }),
        where: /^metadata startup-script, line 3 heredoc > /,
    },
    {
        name: "GCE InstanceTemplate metadataStartupScript, heredoc",
        type: GCE_T,
        props: (c) => ({ metadataStartupScript: heredoc(c) }),
        where: /^metadataStartupScript, line 3 heredoc > /,
    },
    {
        name: "Azure VM osProfile.customData, base64(cloud-init)",
        type: VM,
        props: (c) => ({ osProfile: { customData: b64(writeFiles(c)) } }),
        where: /^custom data \(osProfile\.customData\), cloud-init write_files/,
    },
    {
        name: "Azure VM (API-version token) userData, base64(gzip(cloud-init))",
        type: VM_V,
        props: (c) => ({ userData: gz(writeFiles(c)).toString("base64") }),
        where: /^user data \(userData\), gzip, cloud-init/,
    },
    {
        name: "Azure VMSS virtualMachineProfile.osProfile.customData, base64(MIME)",
        type: VMSS,
        props: (c) => ({
            virtualMachineProfile: {
                osProfile: { customData: b64(mime([{ type: "text/cloud-config", body: writeFiles(c) }])) },
            },
        }),
        where: /^custom data \(virtualMachineProfile\.osProfile\.customData\), MIME part 1/,
    },
    {
        name: "classic azure LinuxVirtualMachine customData, base64(heredoc)",
        type: AZ_LINUX,
        props: (c) => ({ customData: b64(heredoc(c)) }),
        where: /^custom data \(customData\), line 3 heredoc > /,
    },
    {
        name: "remote Command create, heredoc",
        type: CMD,
        props: (c) => ({ connection: { host: "10.0.0.1" }, create: heredoc(c).replace("#!/bin/bash\n", "") }),
        where: /^create command, line 2 heredoc > \/var\/lib\/kubelet\/config\.yaml/,
    },
    {
        name: "cloudinit Config part (text/cloud-config)",
        type: CI,
        props: (c) => ({
            gzip: false,
            base64Encode: false,
            parts: [{ contentType: "text/cloud-config", content: writeFiles(c) }],
        }),
        where: /^cloud-init part 1 \(text\/cloud-config\), cloud-init write_files/,
    },
    {
        name: "kube-system/kubelet-config ConfigMap data.kubelet",
        type: CM,
        props: (c) => ({ metadata: { name: "kubelet-config", namespace: "kube-system" }, data: { kubelet: c } }),
        where: /^ConfigMap data\["kubelet"\], KubeletConfiguration /,
    },
];

describe("kubelet settings from every carrier and encoding", () => {
    for (const c of cases) {
        it(`${c.name}: insecure config is read as anonymous=true, readOnlyPort=10255, AlwaysAllow`, () => {
            const k = kubelet(c.type, c.props(INSECURE));
            expectSetting(k.settings["kubelet.anonymousAuth"], true, c.where);
            expectSetting(k.settings["kubelet.readOnlyPort"], 10255, c.where);
            expectSetting(k.settings["kubelet.authorizationMode"], "AlwaysAllow", c.where);
        });
        it(`${c.name}: hardened config is read as anonymous=false, readOnlyPort=0 (file default), Webhook`, () => {
            const k = kubelet(c.type, c.props(HARDENED));
            expectSetting(k.settings["kubelet.anonymousAuth"], false, c.where);
            assert.equal(k.settings["kubelet.readOnlyPort"].state, "default");
            assert.equal(k.settings["kubelet.readOnlyPort"].value, 0);
            expectSetting(k.settings["kubelet.authorizationMode"], "Webhook", c.where);
        });
    }
});

describe("node bootstrap formats", () => {
    it("EKS bootstrap.sh --kubelet-extra-args overrides the AMI config file (flags win)", () => {
        const script =
            "#!/bin/bash\n/etc/eks/bootstrap.sh prod \\\n  --kubelet-extra-args '--node-labels=a=b --read-only-port=10255'\n";
        const k = kubelet(LT, { userData: b64(script) });
        expectSetting(
            k.settings["kubelet.readOnlyPort"],
            10255,
            /line 2 bootstrap\.sh, --kubelet-extra-args: --read-only-port$/,
        );
        expectSetting(k.settings["kubelet.anonymousAuth"], false, /EKS AMI/);
    });
    it("EKS bootstrap.sh without extra args keeps the AMI's secure config", () => {
        const k = kubelet(EC2, { userData: "#!/bin/bash\n/etc/eks/bootstrap.sh prod --b64-cluster-ca abc\n" });
        assert.equal(k.settings["kubelet.readOnlyPort"].value, 0);
        assert.equal(k.settings["kubelet.authorizationMode"].value, "Webhook");
    });
    it("client-certificate rotation does not apply on EKS images (the kubelet uses an IAM token); it does under kubeadm", () => {
        const eksKubelets = [
            kubelet(EC2, { userData: "#!/bin/bash\n/etc/eks/bootstrap.sh prod\n" }),
            kubelet(LT, {
                userData: b64(
                    mime([
                        {
                            type: "application/node.eks.aws",
                            body: "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    config:\n      maxPods: 58\n",
                        },
                    ]),
                ),
            }),
            kubelet(EC2, { userData: '[settings.kubernetes]\ncluster-name = "c"\n' }),
        ];
        for (const k of eksKubelets) assert.equal(k.settings["kubelet.rotateCertificates"], undefined);
        const kubeadm = kubelet(CMD, {
            create: "echo 'KUBELET_EXTRA_ARGS=\"--rotate-certificates=false\"' > /etc/default/kubelet\n",
        });
        expectSetting(
            kubeadm.settings["kubelet.rotateCertificates"],
            false,
            /10-kubeadm\.conf\), ExecStart \(line 7\) kubelet, \$KUBELET_EXTRA_ARGS from \/etc\/default\/kubelet: --rotate-certificates$/,
        );
    });
    const nodeConfig = (kubeletBlock: string) =>
        `---\napiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster:\n    name: c\n    apiServerEndpoint: https://example.com\n    certificateAuthority: Zm9v\n    cidr: 10.100.0.0/16\n${kubeletBlock}`;
    it("AL2023 nodeadm NodeConfig spec.kubelet.flags override its config", () => {
        const ud = mime([
            {
                type: "application/node.eks.aws",
                body: nodeConfig(
                    "  kubelet:\n    config:\n      readOnlyPort: 0\n      authorization:\n        mode: Webhook\n    flags:\n    - --authorization-mode=AlwaysAllow\n",
                ),
            },
        ]);
        const k = kubelet(LT, { userData: b64(ud) });
        expectSetting(
            k.settings["kubelet.authorizationMode"],
            "AlwaysAllow",
            /MIME part 1 \(application\/node\.eks\.aws\), NodeConfig, spec\.kubelet\.flags: --authorization-mode$/,
        );
    });
    it("nodeadm: a later NodeConfig part overrides an earlier one", () => {
        const ud = mime([
            {
                type: "application/node.eks.aws",
                body: nodeConfig("  kubelet:\n    config:\n      readOnlyPort: 10255\n"),
            },
            {
                type: "application/node.eks.aws",
                body: "---\napiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    config:\n      readOnlyPort: 0\n",
            },
        ]);
        const k = kubelet(LT, { userData: b64(ud) });
        expectSetting(k.settings["kubelet.readOnlyPort"], 0, /MIME part 2/);
    });
    it("Bottlerocket TOML: the standard template is secure; standalone-mode opens the kubelet", () => {
        const std = kubelet(EC2, { userData: '[settings.kubernetes]\napi-server = "https://x"\ncluster-name = "c"\n' });
        assert.equal(std.settings["kubelet.anonymousAuth"].value, false);
        const open = kubelet(EC2, { userData: "[settings.kubernetes]\nstandalone-mode = true\n" });
        expectSetting(
            open.settings["kubelet.anonymousAuth"],
            true,
            /Bottlerocket settings\.kubernetes\.standalone-mode = true/,
        );
        expectSetting(open.settings["kubelet.authorizationMode"], "AlwaysAllow", /standalone-mode/);
    });
    it("kubeadm v1beta3 JoinConfiguration kubeletExtraArgs (map) override kubeadm's config file", () => {
        const doc =
            'apiVersion: kubeadm.k8s.io/v1beta3\nkind: JoinConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    read-only-port: "10255"\n';
        const k = kubelet(GCE, {
            metadata: {
                "user-data": `#cloud-config\nwrite_files:\n- path: /run/kubeadm/kubeadm-join-config.yaml\n  content: |\n${indent(doc, 4)}\nruncmd:\n- kubeadm join --config /run/kubeadm/kubeadm-join-config.yaml\n`,
            },
        });
        expectSetting(
            k.settings["kubelet.readOnlyPort"],
            10255,
            /\$KUBELET_KUBEADM_ARGS from \/var\/lib\/kubelet\/kubeadm-flags\.env \(.*JoinConfiguration nodeRegistration\.kubeletExtraArgs\): --read-only-port$/,
        );
        expectSetting(k.settings["kubelet.authorizationMode"], "Webhook", /kubeadm writes/);
    });
    it("kubeadm v1beta4 kubeletExtraArgs (list of name/value)", () => {
        const doc =
            'apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n  - name: anonymous-auth\n    value: "true"\n';
        const k = kubelet(CMD, {
            create: `cat <<EOF > /tmp/join.yaml\n${doc}EOF\nkubeadm join --config /tmp/join.yaml\n`,
        });
        expectSetting(k.settings["kubelet.anonymousAuth"], true, /kubeletExtraArgs\): --anonymous-auth$/);
    });
    it("kubeletExtraArgs override a KubeletConfiguration in the same kubeadm config (flags win over the file)", () => {
        const docs =
            'apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n  - name: read-only-port\n    value: "10255"\n---\n' +
            kubeletConfig({ readOnlyPort: 0 });
        const k = kubelet(CMD, {
            create: `cat <<EOF > /root/kubeadm.yaml\n${docs}EOF\nkubeadm init --config /root/kubeadm.yaml\n`,
        });
        expectSetting(k.settings["kubelet.readOnlyPort"], 10255, /kubeletExtraArgs\): --read-only-port$/);
        expectSetting(
            k.settings["kubelet.anonymousAuth"],
            false,
            /document 2 \(KubeletConfiguration\) \(kubeadm writes it to \/var\/lib\/kubelet\/config\.yaml\) authentication\.anonymous\.enabled$/,
        );
    });
    it("a kubelet systemd unit without --config runs on flag defaults", () => {
        const unit =
            "[Service]\nExecStart=/usr/local/bin/kubelet --kubeconfig=/var/lib/kubelet/kubeconfig --register-node=true\n";
        const k = kubelet(CMD, {
            create: `sudo tee /etc/systemd/system/kubelet.service > /dev/null <<'EOF'\n${unit}EOF\nsudo systemctl enable --now kubelet\n`,
        });
        assert.equal(k.settings["kubelet.anonymousAuth"].value, true);
        assert.match(k.settings["kubelet.anonymousAuth"].where, /flag default, no config file/);
        assert.equal(k.settings["kubelet.readOnlyPort"].value, 10255);
        assert.equal(k.settings["kubelet.authorizationMode"].value, "AlwaysAllow");
    });
    it("KUBELET_EXTRA_ARGS in /etc/default/kubelet: flags over the kubeadm drop-in's config file", () => {
        const k = kubelet(CMD, {
            create: "echo 'KUBELET_EXTRA_ARGS=\"--read-only-port=10255\"' > /etc/default/kubelet\n",
        });
        expectSetting(
            k.settings["kubelet.readOnlyPort"],
            10255,
            /\$KUBELET_EXTRA_ARGS from \/etc\/default\/kubelet: --read-only-port$/,
        );
        assert.equal(k.settings["kubelet.authorizationMode"].value, "Webhook");
    });
    it("a KubeletConfiguration in JSON (as the EKS AMI writes it) is read like YAML", () => {
        const json = JSON.stringify({
            kind: "KubeletConfiguration",
            apiVersion: "kubelet.config.k8s.io/v1beta1",
            readOnlyPort: 10255,
            authentication: { anonymous: { enabled: false } },
        });
        const k = kubelet(CMD, { create: `cat <<'EOF' > /etc/kubernetes/kubelet/kubelet-config.json\n${json}\nEOF\n` });
        expectSetting(
            k.settings["kubelet.readOnlyPort"],
            10255,
            /line 1 heredoc > \/etc\/kubernetes\/kubelet\/kubelet-config\.json, KubeletConfiguration readOnlyPort$/,
        );
    });
    it('a systemd drop-in Environment="KUBELET_EXTRA_ARGS=…" carries kubelet flags', () => {
        const dropIn = '[Service]\nEnvironment="KUBELET_EXTRA_ARGS=--anonymous-auth=true --node-labels=a=b"\n';
        const k = kubelet(EC2, {
            userData: `#cloud-config\nwrite_files:\n- path: /etc/systemd/system/kubelet.service.d/20-extra.conf\n  content: |\n${indent(dropIn, 4)}\n`,
        });
        expectSetting(
            k.settings["kubelet.anonymousAuth"],
            true,
            /\$KUBELET_EXTRA_ARGS from Environment= in 20-extra\.conf: --anonymous-auth$/,
        );
    });
    it("cloud-init bootcmd (list form) is read like runcmd", () => {
        const k = kubelet(EC2, {
            userData:
                "#cloud-config\nbootcmd:\n- [/usr/bin/kubelet, --read-only-port=10255, --kubeconfig=/etc/k.conf]\n",
        });
        expectSetting(
            k.settings["kubelet.readOnlyPort"],
            10255,
            /cloud-init bootcmd, line 1 kubelet: --read-only-port$/,
        );
    });
    it("a jq edit of the kubelet config file is applied as a config value", () => {
        const script =
            "#!/bin/bash\nKUBELET_CONFIG=/etc/kubernetes/kubelet/kubelet-config.json\necho \"$(jq '.readOnlyPort=10255' $KUBELET_CONFIG)\" > $KUBELET_CONFIG\n/etc/eks/bootstrap.sh prod\n";
        const k = kubelet(LT, { userData: b64(script) });
        expectSetting(
            k.settings["kubelet.readOnlyPort"],
            10255,
            /jq > \/etc\/kubernetes\/kubelet\/kubelet-config\.json readOnlyPort/,
        );
    });
    it("a jq edit of the EKS AMI's kubelet config means the AMI's secure file is the base, even without bootstrap.sh in view", () => {
        const k = kubelet(LT, {
            userData: b64(
                "#!/bin/bash\njq '.readOnlyPort=10255' /etc/kubernetes/kubelet/kubelet-config.json > /tmp/k && mv /tmp/k /etc/kubernetes/kubelet/kubelet-config.json\n",
            ),
        });
        assert.equal(k.settings["kubelet.readOnlyPort"].value, 10255);
        expectSetting(k.settings["kubelet.anonymousAuth"], false, /EKS AMI/);
    });
});

describe("EKS managed node groups: kubelet flags added by editing the AMI's files", () => {
    // Managed node groups run bootstrap.sh themselves, so user data cannot pass --kubelet-extra-args; these
    // are the edits real launch templates use instead (shapes taken from public EKS repositories).
    const mngPart = (body: string) => b64(mime([{ type: "text/x-shellscript", body }]));
    it("a heredoc appended to /etc/eks/bootstrap.sh exporting KUBELET_EXTRA_ARGS (self-reference dropped)", () => {
        const body =
            "#!/bin/bash\nset -ex\ncat <<'EKS_BOOTSTRAP_EOF' >> /etc/eks/bootstrap.sh\nexport KUBELET_EXTRA_ARGS=\"${KUBELET_EXTRA_ARGS} --read-only-port=10255\"\nEKS_BOOTSTRAP_EOF\n";
        const k = kubelet(LT, { userData: mngPart(body) });
        expectSetting(
            k.settings["kubelet.readOnlyPort"],
            10255,
            /^user data \(userData\), MIME part 1 \(text\/x-shellscript\), line \d+ heredoc >> \/etc\/eks\/bootstrap\.sh, KUBELET_EXTRA_ARGS added to \/etc\/eks\/bootstrap\.sh: --read-only-port$/,
        );
        // The script is the EKS AMI's: its config file is the base, not kubeadm's.
        expectSetting(k.settings["kubelet.protectKernelDefaults"], true, /EKS AMI/);
    });
    it("sed -i '/^KUBELET_EXTRA_ARGS=/a KUBELET_EXTRA_ARGS+=\" …\"' /etc/eks/bootstrap.sh", () => {
        const body =
            "sed -i '/^KUBELET_EXTRA_ARGS=/a KUBELET_EXTRA_ARGS+=\" --kube-reserved cpu=500m,memory=9000Mi --anonymous-auth=true\"' /etc/eks/bootstrap.sh\nyum install -y iptables-services\n";
        const k = kubelet(LT, { userData: mngPart(body) });
        expectSetting(
            k.settings["kubelet.anonymousAuth"],
            true,
            /^user data \(userData\), MIME part 1 \(text\/x-shellscript\), line 1 sed -i \/etc\/eks\/bootstrap\.sh, KUBELET_EXTRA_ARGS added to \/etc\/eks\/bootstrap\.sh: --anonymous-auth$/,
        );
        expectSetting(k.settings["kubelet.authorizationMode"], "Webhook", /EKS AMI/);
    });
    it("two edits of bootstrap.sh: the chain starts at the first and names the last one once", () => {
        const body =
            "sed -i '/^KUBELET_EXTRA_ARGS=/a KUBELET_EXTRA_ARGS+=\" --node-labels=a=b\"' /etc/eks/bootstrap.sh\n" +
            "sed -i '/^KUBELET_EXTRA_ARGS=/a KUBELET_EXTRA_ARGS+=\" --read-only-port=10255\"' /etc/eks/bootstrap.sh\n";
        const k = kubelet(LT, { userData: mngPart(body) });
        expectSetting(
            k.settings["kubelet.readOnlyPort"],
            10255,
            /^user data .*line 1 sed -i \/etc\/eks\/bootstrap\.sh, KUBELET_EXTRA_ARGS added to \/etc\/eks\/bootstrap\.sh \(user data .*line 2 sed -i \/etc\/eks\/bootstrap\.sh\): --read-only-port$/,
        );
    });
    it("sed s/// replacing KUBELET_EXTRA_ARGS in an env file, with another delimiter", () => {
        const k = kubelet(EC2, {
            userData:
                "#!/bin/bash\nsed -i -e 's|^KUBELET_EXTRA_ARGS=.*|KUBELET_EXTRA_ARGS=\"--read-only-port=10255\"|' /etc/sysconfig/kubelet\n",
        });
        expectSetting(
            k.settings["kubelet.readOnlyPort"],
            10255,
            /\$KUBELET_EXTRA_ARGS from \/etc\/sysconfig\/kubelet \(.*line 2 sed -i \/etc\/sysconfig\/kubelet\): --read-only-port$/,
        );
    });
    it("sed s/// of a field in the EKS AMI's kubelet-config.json", () => {
        const k = kubelet(LT, {
            userData: b64(
                '#!/bin/bash\nsed -i \'s/"readOnlyPort": 0/"readOnlyPort": 10255/\' /etc/kubernetes/kubelet/kubelet-config.json\n',
            ),
        });
        expectSetting(
            k.settings["kubelet.readOnlyPort"],
            10255,
            /edited by .*line 2 sed -i \/etc\/kubernetes\/kubelet\/kubelet-config\.json readOnlyPort$/,
        );
        expectSetting(k.settings["kubelet.anonymousAuth"], false, /EKS AMI/);
    });
    it("sed that is not an in-place edit, or edits unrelated text, adds nothing", () => {
        assert.equal(
            normalize(EC2, {
                userData: "#!/bin/bash\nsed 's/a/KUBELET_EXTRA_ARGS=--read-only-port=10255/' /etc/sysconfig/kubelet\n",
            }).subjects.length,
            0,
        );
        assert.equal(
            normalize(EC2, { userData: "#!/bin/bash\nsed -i 's/kube-old/kube-new/' /etc/hosts\n" }).subjects.length,
            0,
        );
    });
});

describe("control-plane components", () => {
    const cluster = (apiArgs: string, etcdArgs = "") =>
        `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.31.2\napiServer:\n  extraArgs:\n${apiArgs}etcd:\n  local:\n    extraArgs:\n${etcdArgs || "    []\n"}`;
    it("kubeadm ClusterConfiguration: extraArgs override kubeadm's defaults, which apply otherwise", () => {
        const n = normalize(CM, {
            data: {
                ClusterConfiguration: cluster(
                    "  - name: authorization-mode\n    value: AlwaysAllow\n",
                    '    - name: client-cert-auth\n      value: "false"\n',
                ),
            },
        });
        const api = n.subjects.find((s) => s.component === "apiserver")!;
        expectSetting(
            api.settings["apiserver.authorizationMode"],
            ["AlwaysAllow"],
            /ClusterConfiguration, apiServer\.extraArgs: --authorization-mode$/,
        );
        expectSetting(api.settings["apiserver.enableAdmissionPlugins"], ["NodeRestriction"], /kubeadm default/);
        assert.equal(api.kubernetesMinor, 31);
        const etcd = n.subjects.find((s) => s.component === "etcd")!;
        expectSetting(etcd.settings["etcd.clientCertAuth"], false, /etcd\.local\.extraArgs: --client-cert-auth$/);
        expectSetting(etcd.settings["etcd.peerClientCertAuth"], true, /kubeadm default/);
    });
    it("kubeadm v1beta3 map extraArgs with Jinja-style booleans", () => {
        const doc =
            'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    profiling: "False"\n    anonymous-auth: "True"\n';
        const api = normalize(CM, { data: { ClusterConfiguration: doc } }).subjects.find(
            (s) => s.component === "apiserver",
        )!;
        assert.equal(api.settings["apiserver.profiling"].value, false);
        assert.equal(api.settings["apiserver.anonymousAuth"].value, true);
    });
    it("external etcd is not judged as a kubeadm-managed etcd", () => {
        const doc =
            "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\netcd:\n  external:\n    endpoints: [https://10.0.0.5:2379]\n";
        assert.ok(!normalize(CM, { data: { ClusterConfiguration: doc } }).subjects.some((s) => s.component === "etcd"));
    });
    it("static pod manifests in write_files are read like Pod resources", () => {
        const pod =
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\nspec:\n  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.5.12-0\n    command:\n    - etcd\n    - --client-cert-auth=false\n";
        const n = normalize(GCE, {
            metadata: {
                "user-data": `#cloud-config\nwrite_files:\n- path: /etc/kubernetes/manifests/etcd.yaml\n  content: |\n${indent(pod, 4)}`,
            },
        });
        const etcd = n.subjects.find((s) => s.component === "etcd")!;
        assert.match(etcd.location, /write_files \/etc\/kubernetes\/manifests\/etcd\.yaml, Pod, container "etcd"/);
        assert.equal(etcd.settings["etcd.clientCertAuth"].value, false);
    });
    it("an AuthenticationConfiguration limiting anonymous access to health endpoints is recognised", () => {
        const authn =
            "apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: true\n  conditions:\n  - path: /livez\n  - path: /readyz\n  - path: /healthz\n";
        const cc =
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - name: authentication-config\n    value: /etc/kubernetes/authn.yaml\n";
        const n = normalize(CMD, {
            create: `cat <<EOF > /etc/kubernetes/authn.yaml\n${authn}EOF\ncat <<EOF > /root/kubeadm.yaml\n${cc}EOF\nkubeadm init --config /root/kubeadm.yaml\n`,
        });
        const api = n.subjects.find((s) => s.component === "apiserver")!;
        assert.equal(api.settings["apiserver.anonymousHealthOnly"].value, true);
        const wide = authn.replace("  - path: /healthz\n", "  - path: /version\n");
        const n2 = normalize(CMD, {
            create: `cat <<EOF > /etc/kubernetes/authn.yaml\n${wide}EOF\ncat <<EOF > /root/kubeadm.yaml\n${cc}EOF\n`,
        });
        assert.equal(
            n2.subjects.find((s) => s.component === "apiserver")!.settings["apiserver.anonymousHealthOnly"].value,
            false,
        );
    });
    it("a hyperkube command and an image entrypoint are recognised", () => {
        const n = normalize("kubernetes:core/v1:Pod", {
            spec: {
                containers: [
                    {
                        name: "api",
                        image: "k8s.gcr.io/hyperkube:v1.18.0",
                        command: ["/hyperkube", "kube-apiserver", "--insecure-port=8080"],
                    },
                    { name: "etcd", image: "quay.io/coreos/etcd:v3.5.0", args: ["--auto-tls=true"] },
                ],
            },
        });
        const api = n.subjects.find((s) => s.component === "apiserver")!;
        assert.equal(api.settings["apiserver.insecurePort"].value, 8080);
        assert.equal(api.kubernetesMinor, 18);
        assert.equal(n.subjects.find((s) => s.component === "etcd")!.settings["etcd.autoTls"].value, true);
    });
    it("the insecure-port default follows the stated version", () => {
        const at = (image: string) =>
            normalize("kubernetes:core/v1:Pod", {
                spec: { containers: [{ name: "a", image, command: ["kube-apiserver"] }] },
            }).subjects[0].settings["apiserver.insecurePort"].value;
        assert.equal(at("registry.k8s.io/kube-apiserver:v1.19.3"), 8080);
        assert.equal(at("registry.k8s.io/kube-apiserver:v1.30.0"), 0);
        assert.equal(at("registry.k8s.io/kube-apiserver"), 0);
    });
});

describe("what cannot be inspected is said, not passed over", () => {
    const notes = (type: string, props: Record<string, unknown>) =>
        normalize(type, props)
            .notes.map((n) => `${n.where}: ${n.reason}`)
            .join("\n");
    it("user data that is an output during preview", () => {
        assert.match(
            notes(LT, { userData: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }),
            /user data \(userData\): is not known until/,
        );
    });
    it("a gzip bomb", () => {
        const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x41));
        assert.match(
            notes(EC2, { userDataBase64: bomb.toString("base64") }),
            /expands beyond \d+ bytes \(possible gzip bomb\)/,
        );
    });
    it("a YAML alias bomb", () => {
        const lines = ["#cloud-config", "a: &a [x, x, x, x, x, x, x, x, x, x]"];
        for (let i = 0; i < 14; i++)
            lines.push(
                `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
            );
        assert.match(
            notes(GCE, { metadata: { "user-data": lines.join("\n") } }),
            /YAML aliases expand to more than \d+ nodes \(alias bomb\)/,
        );
    });
    it("binary content", () => {
        assert.match(
            notes(VM, {
                osProfile: {
                    customData: Buffer.from([0, 1, 2, 3, 255, 254, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1]).toString("base64"),
                },
            }),
            /binary content/,
        );
    });
    it("megabytes of text", () => {
        assert.match(
            notes(GCE, { metadata: { "startup-script": "#!/bin/bash\n" + "echo hi\n".repeat(200_000) } }),
            /more than the \d+ limit|lines; the rest were not inspected/,
        );
    });
    it("#include of URLs", () => {
        assert.match(
            notes(EC2, { userData: "#include\nhttps://example.com/bootstrap.sh\n" }),
            /includes content from URLs/,
        );
    });
    it("content that is not base64 where base64 is required", () => {
        assert.match(notes(LT, { userData: "#!/bin/bash\necho not base64\n" }), /should be base64 but is not/);
    });
});
