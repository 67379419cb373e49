// The resolve stage: each component's effective configuration the way it boots, one hardened and one insecure
// case per rule, written from the upstream documentation or source cited in each test name.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { normalize } from "../../providers";
import type { Normalized, SettingKey, Subject } from "../../providers";
import { verdict } from "../helpers";

const CMD = "command:remote:Command";
const POD = "kubernetes:core/v1:Pod";
const CM = "kubernetes:core/v1:ConfigMap";
const EC2 = "aws:ec2/instance:Instance";

const write = (path: string, body: string) => `cat <<'EOF' > ${path}\n${body}${body.endsWith("\n") ? "" : "\n"}EOF\n`;
const script = (...parts: string[]) => ({ create: parts.join("") });

function only(n: Normalized, component: Subject["component"]): Subject {
    const s = n.subjects.filter((x) => x.component === component);
    assert.equal(
        s.length,
        1,
        `${component} subjects: ${JSON.stringify(
            n.subjects.map((x) => x.settings),
            null,
            1,
        ).slice(0, 2000)}`,
    );
    return s[0];
}
const value = (props: Record<string, unknown>, component: Subject["component"], key: SettingKey, type = CMD) =>
    only(normalize(type, props), component).settings[key];

const UNIT =
    "[Unit]\nDescription=kubelet\n[Service]\nExecStart=/usr/bin/kubelet --config=/etc/kubernetes/kubelet.yaml\n";
const KCFG =
    "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 0\nauthentication:\n  anonymous:\n    enabled: false\nauthorization:\n  mode: Webhook\n";

describe("systemd (systemd.unit(5) load path and drop-ins, systemd.exec(5) environment)", () => {
    it("a unit in /etc/systemd/system overrides the one in /usr/lib/systemd/system", () => {
        const props = script(
            write(
                "/usr/lib/systemd/system/kubelet.service",
                "[Service]\nExecStart=/usr/bin/kubelet --read-only-port=10255",
            ),
            write("/etc/systemd/system/kubelet.service", UNIT),
            write("/etc/kubernetes/kubelet.yaml", KCFG),
        );
        assert.equal(value(props, "kubelet", "kubelet.readOnlyPort").value, 0);
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "pass");
        const insecure = script(
            write("/usr/lib/systemd/system/kubelet.service", UNIT),
            write(
                "/etc/systemd/system/kubelet.service",
                "[Service]\nExecStart=/usr/bin/kubelet --read-only-port=10255",
            ),
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, insecure), "violation");
    });
    it("drop-ins merge in lexical order of file name: an empty ExecStart= resets, the last ExecStart runs", () => {
        const base = write("/etc/systemd/system/kubelet.service", UNIT) + write("/etc/kubernetes/kubelet.yaml", KCFG);
        const insecure = script(
            base,
            write(
                "/etc/systemd/system/kubelet.service.d/20-debug.conf",
                "[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --config=/etc/kubernetes/kubelet.yaml --anonymous-auth=true",
            ),
        );
        assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, insecure), "violation");
        // 10-… sorts before 20-…: the hardened 20- drop-in is the one that runs.
        const hardened = script(
            base,
            write(
                "/etc/systemd/system/kubelet.service.d/20-hardening.conf",
                "[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --config=/etc/kubernetes/kubelet.yaml",
            ),
            write(
                "/etc/systemd/system/kubelet.service.d/10-debug.conf",
                "[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --config=/etc/kubernetes/kubelet.yaml --anonymous-auth=true",
            ),
        );
        assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, hardened), "pass");
    });
    it("a drop-in without ExecStart= reset adds a second command (both are judged)", () => {
        const n = normalize(
            CMD,
            script(
                write("/etc/systemd/system/kubelet.service", UNIT),
                write("/etc/kubernetes/kubelet.yaml", KCFG),
                write(
                    "/etc/systemd/system/kubelet.service.d/30-x.conf",
                    "[Service]\nExecStart=/usr/bin/kubelet --read-only-port=10255",
                ),
            ),
        );
        assert.equal(n.subjects.filter((s) => s.component === "kubelet").length, 2);
    });
    it("a multi-line ExecStart with a commented-out flag inside the continuation is one command with the flags that remain", () => {
        const unit =
            "[Service]\nExecStart=/usr/bin/kubelet \\\n  --config=/etc/kubernetes/kubelet.yaml \\\n#  --anonymous-auth=true \\\n  --read-only-port=0\n";
        const props = script(
            write("/etc/systemd/system/kubelet.service", unit),
            write("/etc/kubernetes/kubelet.yaml", KCFG),
        );
        for (const r of [
            "kubelet-anonymous-auth-disabled",
            "kubelet-read-only-port-disabled",
            "kubelet-authorization-mode-not-always-allow",
        ])
            assert.equal(verdict(r, CMD, props), "pass", r);
        const open = unit.replace("#  --anonymous-auth=true", "  --anonymous-auth=true");
        assert.equal(
            verdict(
                "kubelet-anonymous-auth-disabled",
                CMD,
                script(write("/etc/systemd/system/kubelet.service", open), write("/etc/kubernetes/kubelet.yaml", KCFG)),
            ),
            "violation",
        );
    });
    it("EnvironmentFile= wins over Environment= whatever the order; later files win; '-' makes a file optional", () => {
        const unit =
            '[Service]\nEnvironmentFile=-/etc/sysconfig/missing\nEnvironmentFile=/etc/sysconfig/kubelet\nEnvironment="KUBELET_ARGS=--read-only-port=10255"\nEnvironmentFile=/etc/sysconfig/kubelet-late\nExecStart=/usr/bin/kubelet --config=/etc/kubernetes/kubelet.yaml $KUBELET_ARGS\n';
        const props = (late: string) =>
            script(
                write("/etc/systemd/system/kubelet.service", unit),
                write("/etc/kubernetes/kubelet.yaml", KCFG),
                write("/etc/sysconfig/kubelet", "KUBELET_ARGS=--read-only-port=10255"),
                write("/etc/sysconfig/kubelet-late", late),
            );
        const s = value(props("KUBELET_ARGS=--read-only-port=0"), "kubelet", "kubelet.readOnlyPort");
        assert.equal(s.value, 0);
        assert.match(
            s.where,
            /ExecStart \(line 6\) kubelet, \$KUBELET_ARGS from \/etc\/sysconfig\/kubelet-late: --read-only-port$/,
        );
        assert.equal(
            verdict("kubelet-read-only-port-disabled", CMD, props("KUBELET_ARGS=--read-only-port=10255")),
            "violation",
        );
    });
    it("$VAR splits into several flags, ${VAR} passes one word (so two flags in it are one bad word)", () => {
        const unit = (ref: string) =>
            `[Service]\nEnvironment="A=--anonymous-auth=true --read-only-port=10255"\nExecStart=/usr/bin/kubelet --config=/etc/kubernetes/kubelet.yaml ${ref}\n`;
        const split = normalize(
            CMD,
            script(
                write("/etc/systemd/system/kubelet.service", unit("$A")),
                write("/etc/kubernetes/kubelet.yaml", KCFG),
            ),
        );
        assert.equal(only(split, "kubelet").settings["kubelet.readOnlyPort"].value, 10255);
        const one = normalize(
            CMD,
            script(
                write("/etc/systemd/system/kubelet.service", unit("${A}")),
                write("/etc/kubernetes/kubelet.yaml", KCFG),
            ),
        );
        assert.equal(only(one, "kubelet").settings["kubelet.anonymousAuth"].state, "invalid");
    });
});

describe("kubelet (kubelet-config-file, KEP-3983 --config-dir, kubeadm kubelet-integration)", () => {
    const dropIn = (name: string, body: string) => write(`/etc/kubernetes/kubelet.conf.d/${name}`, body);
    const withDir = (...files: string[]) =>
        script(
            write("/etc/kubernetes/kubelet.yaml", KCFG),
            ...files,
            "kubelet --config=/etc/kubernetes/kubelet.yaml --config-dir=/etc/kubernetes/kubelet.conf.d\n",
        );
    it("--config-dir files (*.conf only) merge over --config in lexical order; other suffixes are ignored", () => {
        const insecure = withDir(
            dropIn(
                "10-a.conf",
                "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n",
            ),
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, insecure), "violation");
        const hardened = withDir(
            dropIn(
                "10-a.conf",
                "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n",
            ),
            dropIn(
                "20-b.conf",
                "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 0\n",
            ),
            dropIn(
                "30-c.yaml",
                "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255\n",
            ),
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, hardened), "pass");
    });
    it("command-line flags override --config and --config-dir", () => {
        const props = script(
            write("/etc/kubernetes/kubelet.yaml", KCFG),
            "kubelet --config=/etc/kubernetes/kubelet.yaml --anonymous-auth=true\n",
        );
        assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, props), "violation");
    });
    it("without --config the flag defaults apply (--anonymous-auth=true, --read-only-port=10255, AlwaysAllow)", () => {
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, script("kubelet --kubeconfig=/k\n")), "violation");
        assert.equal(
            verdict("kubelet-read-only-port-disabled", CMD, script("kubelet --kubeconfig=/k --read-only-port=0\n")),
            "pass",
        );
    });
    it("kubeadm's drop-in: $KUBELET_KUBEADM_ARGS (kubeletExtraArgs) come before $KUBELET_EXTRA_ARGS, which wins", () => {
        const join =
            'apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n  - name: read-only-port\n    value: "10255"\n';
        const fixed = script(
            write("/root/join.yaml", join),
            write("/etc/default/kubelet", "KUBELET_EXTRA_ARGS=--read-only-port=0"),
            "kubeadm join --config /root/join.yaml\n",
        );
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, fixed), "pass");
        assert.equal(
            verdict(
                "kubelet-read-only-port-disabled",
                CMD,
                script(write("/root/join.yaml", join), "kubeadm join --config /root/join.yaml\n"),
            ),
            "violation",
        );
    });
    it("on rpm systems the drop-in reads /etc/sysconfig/kubelet", () => {
        const s = value(
            script(
                write("/etc/sysconfig/kubelet", "KUBELET_EXTRA_ARGS=--anonymous-auth=true"),
                "systemctl restart kubelet\n",
            ),
            "kubelet",
            "kubelet.anonymousAuth",
        );
        assert.equal(s.value, true);
        assert.match(s.where, /\$KUBELET_EXTRA_ARGS from \/etc\/sysconfig\/kubelet: --anonymous-auth$/);
    });
    it("a repeated scalar flag: the last occurrence wins (pflag)", () => {
        assert.equal(
            verdict(
                "kubelet-anonymous-auth-disabled",
                CMD,
                script("kubelet --anonymous-auth=true --anonymous-auth=false --authorization-mode=Webhook\n"),
            ),
            "pass",
        );
        assert.equal(
            verdict(
                "kubelet-anonymous-auth-disabled",
                CMD,
                script("kubelet --anonymous-auth=false --anonymous-auth=true\n"),
            ),
            "violation",
        );
    });
    it("a repeated --tls-cipher-suites appends (pflag StringSlice), so a weak suite given first still counts", () => {
        const weak = script(
            "kubelet --tls-cipher-suites=TLS_RSA_WITH_RC4_128_SHA --tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n",
        );
        assert.equal(verdict("kubelet-tls-cipher-suites-strong", CMD, weak), "violation");
        const strong = script(
            "kubelet --tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 --tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n",
        );
        assert.equal(verdict("kubelet-tls-cipher-suites-strong", CMD, strong), "pass");
    });
    it("--config naming a file the program does not write: one note, no default-based verdict on the file's settings", () => {
        const n = normalize(CMD, script("kubelet --config=/srv/kubelet.yaml --read-only-port=10255\n"));
        const k = only(n, "kubelet");
        assert.equal(k.settings["kubelet.anonymousAuth"], undefined);
        assert.equal(k.settings["kubelet.readOnlyPort"].value, 10255);
        assert.ok(
            n.notes.some((x) =>
                /kubelet settings are in \/srv\/kubelet\.yaml, which this program does not write/.test(x.reason),
            ),
            JSON.stringify(n.notes),
        );
    });
});

describe("etcd (etcd.io op-guide/configuration; etcdmain flags from ETCD_* environment)", () => {
    const etcdYaml = (auth: boolean) =>
        `client-transport-security:\n  cert-file: /p/server.crt\n  key-file: /p/server.key\n  client-cert-auth: ${auth}\npeer-transport-security:\n  cert-file: /p/peer.crt\n  key-file: /p/peer.key\n  client-cert-auth: true\nlisten-client-urls: https://0.0.0.0:2379\nunknown-key: ignored\n`;
    it("--config-file is exclusive: its YAML keys decide, other flags are ignored", () => {
        const hardened = script(
            write("/etc/etcd/etcd.yaml", etcdYaml(true)),
            "etcd --config-file=/etc/etcd/etcd.yaml --client-cert-auth=false\n",
        );
        assert.equal(verdict("etcd-client-cert-auth-enabled", CMD, hardened), "pass");
        const insecure = script(
            write("/etc/etcd/etcd.yaml", etcdYaml(false)),
            "etcd --config-file=/etc/etcd/etcd.yaml --client-cert-auth=true\n",
        );
        assert.equal(verdict("etcd-client-cert-auth-enabled", CMD, insecure), "violation");
    });
    it("ETCD_CONFIG_FILE works like --config-file", () => {
        assert.equal(
            verdict(
                "etcd-client-cert-auth-enabled",
                CMD,
                script(write("/etc/etcd/etcd.yaml", etcdYaml(false)), "ETCD_CONFIG_FILE=/etc/etcd/etcd.yaml etcd\n"),
            ),
            "violation",
        );
    });
    it("a config file the program does not write: one note, no verdict on its settings", () => {
        const n = normalize(POD, {
            spec: {
                containers: [
                    {
                        name: "etcd",
                        image: "quay.io/coreos/etcd:v3.5.9",
                        command: ["etcd", "--config-file=/etc/etcd/etcd.conf.yml"],
                    },
                ],
            },
        });
        assert.deepEqual(Object.keys(only(n, "etcd").settings), []);
        assert.ok(n.notes.some((x) => /etcd settings .* are in \/etc\/etcd\/etcd\.conf\.yml/.test(x.reason)));
    });
    it("ETCD_* from a container's env, a systemd EnvironmentFile (kubespray /etc/etcd.env) or the shell", () => {
        const env = [
            { name: "ETCD_CLIENT_CERT_AUTH", value: "true" },
            { name: "ETCD_CERT_FILE", value: "/c" },
            { name: "ETCD_KEY_FILE", value: "/k" },
        ];
        assert.equal(
            verdict("etcd-client-cert-auth-enabled", POD, {
                spec: { containers: [{ name: "etcd", image: "bitnami/etcd:3.5", env }] },
            }),
            "pass",
        );
        assert.equal(
            verdict("etcd-client-cert-auth-enabled", POD, {
                spec: {
                    containers: [
                        {
                            name: "etcd",
                            image: "bitnami/etcd:3.5",
                            env: [{ name: "ETCD_CLIENT_CERT_AUTH", value: "false" }],
                        },
                    ],
                },
            }),
            "violation",
        );
        const unit = "[Service]\nEnvironmentFile=/etc/etcd.env\nExecStart=/usr/local/bin/etcd\n";
        const s = value(
            script(
                write("/etc/systemd/system/etcd.service", unit),
                write("/etc/etcd.env", "ETCD_CLIENT_CERT_AUTH=true\nETCD_PEER_CLIENT_CERT_AUTH=false"),
            ),
            "etcd",
            "etcd.peerClientCertAuth",
        );
        assert.equal(s.value, false);
        assert.match(s.where, /\$ETCD_PEER_CLIENT_CERT_AUTH from \/etc\/etcd\.env: --peer-client-cert-auth$/);
    });
    it("the same option as flag and environment makes etcd refuse to start: a note", () => {
        const n = normalize(CMD, script("ETCD_CLIENT_CERT_AUTH=false etcd --client-cert-auth=true\n"));
        assert.ok(n.notes.some((x) => /refuses to start/.test(x.reason)));
    });
});

describe("kube-apiserver, scheduler, controller-manager (pflag StringSlice appends; structured authn/authz config)", () => {
    const api = (...flags: string[]) => ({
        spec: {
            containers: [
                { name: "api", image: "registry.k8s.io/kube-apiserver:v1.31.0", command: ["kube-apiserver", ...flags] },
            ],
        },
    });
    it("a repeated --authorization-mode appends: AlwaysAllow given once anywhere allows everything", () => {
        assert.equal(
            verdict(
                "kube-apiserver-authorization-mode-not-always-allow",
                POD,
                api("--authorization-mode=AlwaysAllow", "--authorization-mode=Node,RBAC"),
            ),
            "violation",
        );
        assert.equal(
            verdict(
                "kube-apiserver-authorization-mode-not-always-allow",
                POD,
                api("--authorization-mode=Node", "--authorization-mode=RBAC"),
            ),
            "pass",
        );
        assert.equal(
            verdict(
                "kube-apiserver-authorization-mode-includes-rbac",
                POD,
                api("--authorization-mode=Node", "--authorization-mode=RBAC"),
            ),
            "pass",
        );
    });
    it("--enable-admission-plugins and --disable-admission-plugins append", () => {
        assert.equal(
            verdict(
                "kube-apiserver-admission-node-restriction-enabled",
                POD,
                api("--enable-admission-plugins=NodeRestriction", "--enable-admission-plugins=EventRateLimit"),
            ),
            "pass",
        );
        assert.equal(
            verdict(
                "kube-apiserver-admission-service-account-not-disabled",
                POD,
                api("--disable-admission-plugins=ServiceAccount", "--disable-admission-plugins=X"),
            ),
            "violation",
        );
    });
    it("--authorization-always-allow-paths appends on the controller manager", () => {
        const cm = (...f: string[]) => ({
            spec: {
                containers: [
                    {
                        name: "cm",
                        image: "registry.k8s.io/kube-controller-manager:v1.31.0",
                        command: ["kube-controller-manager", ...f],
                    },
                ],
            },
        });
        assert.equal(
            verdict(
                "kube-controller-manager-authorization-always-allow-paths-health-only",
                POD,
                cm("--authorization-always-allow-paths=/healthz", "--authorization-always-allow-paths=/metrics"),
            ),
            "violation",
        );
        assert.equal(
            verdict(
                "kube-controller-manager-authorization-always-allow-paths-health-only",
                POD,
                cm("--authorization-always-allow-paths=/healthz", "--authorization-always-allow-paths=/livez"),
            ),
            "pass",
        );
    });
    it("--feature-gates merge across occurrences (the later value of a gate wins)", () => {
        const s = only(
            normalize(POD, api("--feature-gates=AdvancedAuditing=false", "--feature-gates=Other=true")),
            "apiserver",
        ).settings["apiserver.featureGates"];
        assert.deepEqual(s.value, ["AdvancedAuditing=false", "Other=true"]);
    });
    const authz = (types: string[]) =>
        `apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers:\n${types.map((t) => `- type: ${t}\n  name: ${t.toLowerCase()}\n`).join("")}`;
    const withAuthz = (types: string[]) =>
        script(
            write("/etc/kubernetes/authz.yaml", authz(types)),
            "kube-apiserver --authorization-config=/etc/kubernetes/authz.yaml --anonymous-auth=false\n",
        );
    it("--authorization-config replaces --authorization-mode: Node and RBAC pass, an AlwaysAllow authorizer fails (StructuredAuthorizationConfiguration)", () => {
        for (const r of ["not-always-allow", "includes-node", "includes-rbac"])
            assert.equal(
                verdict(`kube-apiserver-authorization-mode-${r}`, CMD, withAuthz(["Node", "RBAC"])),
                "pass",
                r,
            );
        assert.equal(
            verdict("kube-apiserver-authorization-mode-not-always-allow", CMD, withAuthz(["Node", "AlwaysAllow"])),
            "violation",
        );
    });
    it("an authorization chain with a webhook in place of RBAC is accepted", () => {
        assert.equal(
            verdict("kube-apiserver-authorization-mode-includes-rbac", CMD, withAuthz(["Node", "Webhook"])),
            "pass",
        );
        assert.equal(verdict("kube-apiserver-authorization-mode-includes-rbac", CMD, withAuthz(["Node"])), "violation");
    });
    it("--authorization-config naming a file the program does not write: a note, no authorization-mode verdict", () => {
        const props = api("--authorization-config=/etc/kubernetes/authz.yaml");
        for (const r of ["not-always-allow", "includes-node", "includes-rbac"])
            assert.equal(verdict(`kube-apiserver-authorization-mode-${r}`, POD, props), "pass", r);
        assert.ok(
            normalize(POD, props).notes.some((n) => /authorizers are in \/etc\/kubernetes\/authz\.yaml/.test(n.reason)),
        );
    });
    it("--authentication-config: anonymous limited to /healthz, /livez, /readyz passes, a wider condition fails", () => {
        const authn = (paths: string[]) =>
            `apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: true\n  conditions:\n${paths.map((p) => `  - path: ${p}\n`).join("")}`;
        const props = (paths: string[]) =>
            script(
                write("/etc/kubernetes/authn.yaml", authn(paths)),
                "kube-apiserver --authentication-config=/etc/kubernetes/authn.yaml --authorization-mode=Node,RBAC\n",
            );
        assert.equal(
            verdict("kube-apiserver-anonymous-auth-disabled", CMD, props(["/healthz", "/livez", "/readyz"])),
            "pass",
        );
        assert.equal(
            verdict("kube-apiserver-anonymous-auth-disabled", CMD, props(["/healthz", "/version"])),
            "violation",
        );
    });
    it("--encryption-provider-config whose first provider is identity stores Secrets unencrypted", () => {
        const enc = (first: string) =>
            `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - ${first}\n  - identity: {}\n`;
        const props = (first: string) =>
            script(
                write("/etc/kubernetes/enc.yaml", enc(first)),
                "kube-apiserver --encryption-provider-config=/etc/kubernetes/enc.yaml\n",
            );
        assert.equal(verdict("kube-apiserver-encryption-provider-config-set", CMD, props("identity: {}")), "violation");
        assert.equal(
            verdict(
                "kube-apiserver-encryption-provider-config-set",
                CMD,
                props("aescbc:\n      keys:\n      - name: k\n        secret: c2VjcmV0"),
            ),
            "pass",
        );
    });
    it("kube-scheduler --config: enableProfiling decides (default true) and --profiling is ignored", () => {
        const sched = (cfg: string, flag: string) =>
            script(
                write(
                    "/etc/kubernetes/sched.yaml",
                    `apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n${cfg}`,
                ),
                `kube-scheduler --config=/etc/kubernetes/sched.yaml ${flag}\n`,
            );
        assert.equal(
            verdict("kube-scheduler-profiling-disabled", CMD, sched("clientConnection: {}\n", "--profiling=false")),
            "violation",
        );
        assert.equal(
            verdict("kube-scheduler-profiling-disabled", CMD, sched("enableProfiling: false\n", "--profiling=true")),
            "pass",
        );
    });
});

describe("kubeadm (v1beta4 extraArgs; patches)", () => {
    const cc = (args: string) =>
        `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n${args}`;
    it("repeated extraArgs names are all passed: a list flag appends whatever the order (kubeadm util/arguments.go)", () => {
        const both = cc(
            "  - name: authorization-mode\n    value: Node,RBAC\n  - name: authorization-mode\n    value: AlwaysAllow\n",
        );
        assert.equal(
            verdict("kube-apiserver-authorization-mode-not-always-allow", CM, { data: { ClusterConfiguration: both } }),
            "violation",
        );
        assert.equal(
            verdict("kube-apiserver-authorization-mode-not-always-allow", CM, {
                data: { ClusterConfiguration: cc('  - name: profiling\n    value: "false"\n') },
            }),
            "pass",
        );
    });
    // kubeadm sorted all arguments by name then value (ArgumentsToCommand, kubernetes/kubeadm#3173: "the larger
    // value wins") until kubernetes/kubernetes#135400 (1.36; cherry-picked to 1.32-1.35 patch releases in January
    // 2026), which keeps the user's extraArgs in the order written.
    const versioned = (version: string | undefined, first: string, second: string) => ({
        data: {
            ClusterConfiguration:
                `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n` +
                (version ? `kubernetesVersion: ${version}\n` : "") +
                `apiServer:\n  extraArgs:\n  - name: profiling\n    value: "${first}"\n  - name: profiling\n    value: "${second}"\n`,
        },
    });
    it("a repeated scalar extraArg: kubeadm 1.30 sorts by value, so of true/false the larger (true) wins", () => {
        assert.equal(
            verdict("kube-apiserver-profiling-disabled", CM, versioned("v1.30.4", "true", "false")),
            "violation",
        );
    });
    it("a repeated scalar extraArg: kubeadm 1.36 keeps the order written (kubernetes#135400), so the last wins", () => {
        assert.equal(verdict("kube-apiserver-profiling-disabled", CM, versioned("v1.36.0", "true", "false")), "pass");
        assert.equal(
            verdict("kube-apiserver-profiling-disabled", CM, versioned("v1.36.0", "false", "true")),
            "violation",
        );
    });
    it("a repeated scalar extraArg on 1.31-1.35 or an unstated version: the patch release decides, so one advisory", () => {
        for (const version of ["v1.33.2", undefined]) {
            const n = normalize(CM, versioned(version, "true", "false"));
            const st = n.subjects.find((x) => x.component === "apiserver")!.settings["apiserver.profiling"];
            assert.equal(st.state, "unknown");
            assert.match(st.reason ?? "", /kubernetes#135400/);
            assert.match(st.where, /apiServer\.extraArgs \(--profiling given 2 times\)/);
            assert.equal(
                verdict("kube-apiserver-profiling-disabled", CM, versioned(version, "true", "false")),
                "unknown",
            );
        }
        // Both orders agree (false written first, true last and larger): the verdict does not depend on the release.
        assert.equal(
            verdict("kube-apiserver-profiling-disabled", CM, versioned("v1.33.2", "false", "true")),
            "violation",
        );
    });
    it("kubeletExtraArgs repeated with different values: kubeadm-flags.env order depends on the release too", () => {
        const init = (version: string) =>
            `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: ${version}\n---\n` +
            `apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n` +
            `  - name: read-only-port\n    value: "10255"\n  - name: read-only-port\n    value: "0"\n`;
        const props = (version: string) =>
            script(write("/root/kubeadm.yaml", init(version)), "kubeadm init --config /root/kubeadm.yaml\n");
        // Sorted: "0" < "10255", so 10255 is last and wins.
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props("v1.29.0")), "violation");
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props("v1.36.1")), "pass");
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props("v1.34.0")), "unknown");
    });
    const init =
        "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\npatches:\n  directory: /etc/kubernetes/patches\n";
    const withPatch = (name: string, body: string) =>
        script(
            write("/root/kubeadm.yaml", init),
            write(`/etc/kubernetes/patches/${name}`, body),
            "kubeadm init --config /root/kubeadm.yaml\n",
        );
    it("a kubeletconfiguration patch (strategic, merge or json) changes the kubelet's config.yaml; other extensions are ignored", () => {
        assert.equal(
            verdict(
                "kubelet-read-only-port-disabled",
                CMD,
                withPatch("kubeletconfiguration.yaml", "readOnlyPort: 10255\n"),
            ),
            "violation",
        );
        assert.equal(
            verdict(
                "kubelet-read-only-port-disabled",
                CMD,
                withPatch("kubeletconfiguration+merge.json", '{"readOnlyPort": 10255}'),
            ),
            "violation",
        );
        assert.equal(
            verdict(
                "kubelet-anonymous-auth-disabled",
                CMD,
                withPatch(
                    "kubeletconfiguration0+json.json",
                    '[{"op": "replace", "path": "/authentication/anonymous/enabled", "value": true}]',
                ),
            ),
            "violation",
        );
        assert.equal(
            verdict(
                "kubelet-read-only-port-disabled",
                CMD,
                withPatch("kubeletconfiguration.txt", "readOnlyPort: 10255\n"),
            ),
            "pass",
        );
        assert.equal(
            verdict(
                "kubelet-read-only-port-disabled",
                CMD,
                withPatch("kubeletconfiguration.yaml", "readOnlyPort: 0\n"),
            ),
            "pass",
        );
    });
    it("a static pod patch (json add to the command) changes the control-plane flags", () => {
        const props = (value: string) =>
            script(
                write(
                    "/root/kubeadm.yaml",
                    `${init}---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n`,
                ),
                write(
                    "/etc/kubernetes/patches/kube-apiserver+json.json",
                    `[{"op": "add", "path": "/spec/containers/0/command/-", "value": "${value}"}]`,
                ),
                "kubeadm init --config /root/kubeadm.yaml\n",
            );
        assert.equal(verdict("kube-apiserver-profiling-disabled", CMD, props("--profiling=false")), "pass");
        assert.equal(
            verdict(
                "kube-apiserver-authorization-mode-not-always-allow",
                CMD,
                props("--authorization-mode=AlwaysAllow"),
            ),
            "violation",
        );
    });
});

describe("unknown values during preview: every setting an unknown could set is unknown, never a default verdict", () => {
    const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    it("an unknown element of a container's command hides every setting it could set, with one note", () => {
        const props = {
            spec: {
                containers: [
                    {
                        name: "etcd",
                        image: "registry.k8s.io/etcd:3.5.9-0",
                        command: ["etcd", "--client-cert-auth=true", U, "--key-file=/k"],
                    },
                ],
            },
        };
        const n = normalize(POD, props);
        const etcd = only(n, "etcd");
        assert.equal(
            etcd.settings["etcd.clientCertAuth"],
            undefined,
            "set before the unknown word, which may override it",
        );
        assert.equal(etcd.settings["etcd.keyFile"].value, "/k", "a scalar flag after the unknown word stands");
        assert.equal(verdict("etcd-cert-file-and-key-file-set", POD, props), "pass");
        assert.equal(n.notes.length, 1);
        assert.match(n.notes[0].reason, /may set any etcd setting/);
    });
    it("unknown containers, cloud-init part content, ConfigMap data: one note each, never silence", () => {
        assert.ok(normalize(POD, { spec: { containers: U } }).notes.length === 1);
        assert.ok(
            normalize("cloudinit:index/config:Config", { parts: [{ contentType: "text/x-shellscript", content: U }] })
                .notes.length === 1,
        );
        assert.ok(normalize(CM, { data: { kubelet: U } }).notes.length === 1);
        assert.ok(normalize(CM, { data: U }).notes.length === 1);
    });
    it("an unknown value inside one flag is unknown for that setting only", () => {
        const k = only(
            normalize(EC2, {
                userData: "#!/bin/bash\nkubelet --anonymous-auth=false --read-only-port=$(curl -s http://x/port)\n",
            }),
            "kubelet",
        );
        assert.equal(k.settings["kubelet.readOnlyPort"].state, "unknown");
        assert.equal(k.settings["kubelet.anonymousAuth"].value, false);
    });
});
