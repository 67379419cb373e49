// k3s, RKE2, Talos and Rancher: each distribution's hardened defaults pass, and each way of opening a setting
// fails, written from the distributions' documentation and source cited in each test name. The same rules
// judge these settings as any other node's.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { normalize } from "../../providers";
import type { SettingKey, Subject } from "../../providers";
import { UNKNOWN_STRING, verdict } from "../helpers";

const CMD = "command:remote:Command";
const EC2 = "aws:ec2/instance:Instance";
const TALOS = "talos:machine/configurationApply:ConfigurationApply";
const RANCHER = "rancher2:index/clusterV2:ClusterV2";

const write = (path: string, body: string) => `cat <<'EOF' > ${path}\n${body}${body.endsWith("\n") ? "" : "\n"}EOF\n`;
const script = (...parts: string[]) => ({ create: parts.join("") });
const cloudConfig = (files: [string, string][], runcmd: string[]) => ({
    userData: [
        "#cloud-config",
        "write_files:",
        ...files.flatMap(([path, content]) => [
            `  - path: ${path}`,
            "    content: |",
            ...content.split("\n").map((l) => `      ${l}`),
        ]),
        "runcmd:",
        ...runcmd.map((c) => `  - ${JSON.stringify(c)}`),
        "",
    ].join("\n"),
});

function components(type: string, props: Record<string, unknown>): string[] {
    return normalize(type, props)
        .subjects.map((s) => s.component)
        .sort();
}
function subjectOf(type: string, props: Record<string, unknown>, component: Subject["component"]): Subject {
    const s = normalize(type, props).subjects.filter((x) => x.component === component);
    assert.equal(s.length, 1, `${component}: ${s.length} subjects`);
    return s[0];
}
const where = (type: string, props: Record<string, unknown>, component: Subject["component"], key: SettingKey) =>
    subjectOf(type, props, component).settings[key]?.where ?? "";

const K3S_INSTALL = "curl -sfL https://get.k3s.io | sh -s - server\n";

/** The settings k3s hardens by default (pkg/daemons/control/server.go, pkg/daemons/agent/agent.go). */
const K3S_HARDENED = [
    "kube-apiserver-anonymous-auth-disabled",
    "kube-apiserver-authorization-mode-not-always-allow",
    "kube-apiserver-authorization-mode-includes-node",
    "kube-apiserver-authorization-mode-includes-rbac",
    "kube-apiserver-admission-node-restriction-enabled",
    "kube-apiserver-profiling-disabled",
    "kube-apiserver-kubelet-certificate-authority-set",
    "kube-apiserver-client-ca-file-set",
    "kube-controller-manager-profiling-disabled",
    "kube-controller-manager-bind-address-localhost",
    "kube-controller-manager-use-service-account-credentials-enabled",
    "kube-controller-manager-root-ca-file-set",
    "kube-controller-manager-service-account-private-key-file-set",
    "kube-scheduler-profiling-disabled",
    "kube-scheduler-bind-address-localhost",
    "kubelet-anonymous-auth-disabled",
    "kubelet-authorization-mode-not-always-allow",
    "kubelet-read-only-port-disabled",
    "kubelet-webhook-authentication-enabled",
    "kubelet-client-ca-file-set",
    "kube-proxy-metrics-bind-address-localhost",
];

describe("k3s (docs/installation/configuration.md; pkg/daemons/control/server.go, pkg/daemons/agent)", () => {
    it("the install script's server with no options runs the control plane and kubelet with k3s's hardened defaults", () => {
        const props = script(K3S_INSTALL);
        assert.deepEqual(components(CMD, props), [
            "apiserver",
            "controller-manager",
            "kube-proxy",
            "kubelet",
            "scheduler",
        ]);
        for (const id of K3S_HARDENED) assert.equal(verdict(id, CMD, props), "pass", id);
        assert.match(
            where(CMD, props, "apiserver", "apiserver.anonymousAuth"),
            /k3s default \(pkg\/daemons\/control\/server\.go apiServer\): --anonymous-auth/,
        );
        assert.match(where(CMD, props, "kubelet", "kubelet.anonymousAuth"), /00-k3s-defaults\.conf/);
    });
    it("SQLite (kine, the default datastore) runs no etcd and the API server's etcd client certificates are not judged", () => {
        const s = subjectOf(CMD, script(K3S_INSTALL), "apiserver");
        assert.equal(s.settings["apiserver.etcdCertfile"], undefined);
        assert.equal(verdict("kube-apiserver-etcd-certfile-and-keyfile-set", CMD, script(K3S_INSTALL)), "pass");
    });
    it("cluster-init runs embedded etcd with client and peer certificate auth (pkg/etcd/etcd.go cluster)", () => {
        const props = script(write("/etc/rancher/k3s/config.yaml", "cluster-init: true"), K3S_INSTALL);
        assert.ok(components(CMD, props).includes("etcd"));
        for (const id of ["etcd-client-cert-auth-enabled", "etcd-peer-client-cert-auth-enabled"])
            assert.equal(verdict(id, CMD, props), "pass", id);
        assert.equal(verdict("kube-apiserver-etcd-certfile-and-keyfile-set", CMD, props), "pass");
    });
    it("kube-apiserver-arg anonymous-auth=true in config.yaml (written by cloud-init) fails, naming the file", () => {
        const props = cloudConfig(
            [["/etc/rancher/k3s/config.yaml", "kube-apiserver-arg:\n  - anonymous-auth=true"]],
            ["curl -sfL https://get.k3s.io | sh -"],
        );
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", EC2, props), "violation");
        assert.match(
            where(EC2, props, "apiserver", "apiserver.anonymousAuth"),
            /write_files \/etc\/rancher\/k3s\/config\.yaml.*kube-apiserver-arg: --anonymous-auth/,
        );
    });
    it("curl | sh -s - server --kubelet-arg=read-only-port=10255 fails (GetArgs: a user arg replaces k3s's --read-only-port=0)", () => {
        const props = script("curl -sfL https://get.k3s.io | sh -s - server --kubelet-arg=read-only-port=10255\n");
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, props), "violation");
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, script(K3S_INSTALL)), "pass");
    });
    it('INSTALL_K3S_EXEC flags reach k3s (install.sh: the service runs k3s $INSTALL_K3S_EXEC "$@")', () => {
        const props = script(
            'curl -sfL https://get.k3s.io | INSTALL_K3S_EXEC="server --kube-scheduler-arg=profiling=true" sh -\n',
        );
        assert.equal(verdict("kube-scheduler-profiling-disabled", CMD, props), "violation");
        assert.match(where(CMD, props, "scheduler", "scheduler.profiling"), /INSTALL_K3S_EXEC/);
    });
    it("an install script downloaded to a file and run with arguments is the install script", () => {
        const viaO = script(
            "curl -sfL -o /tmp/k3s.sh https://get.k3s.io\nsh /tmp/k3s.sh server --kubelet-arg=anonymous-auth=true\n",
        );
        assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, viaO), "violation");
        const viaRedirect = script(
            "curl -sfL https://get.k3s.io > k3s.sh\nchmod +x k3s.sh\n./k3s.sh server --kubelet-arg=anonymous-auth=true\n",
        );
        assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, viaRedirect), "violation");
        assert.deepEqual(components(CMD, script("curl -sfL https://example.com/x.sh | sh -s - server\n")), []);
    });
    it("K3S_URL without server or agent makes the install script run an agent: only the kubelet and kube-proxy", () => {
        const props = script(
            'export K3S_URL=https://10.0.0.1:6443\ncurl -sfL https://get.k3s.io | INSTALL_K3S_EXEC="--kube-apiserver-arg=anonymous-auth=true" sh -\n',
        );
        assert.deepEqual(components(CMD, props), ["kube-proxy", "kubelet"]);
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", CMD, props), "pass");
    });
    it("`k3s agent` judges the kubelet: kubelet-arg anonymous-auth=true fails", () => {
        const props = script("k3s agent --server https://10.0.0.1:6443 --kubelet-arg anonymous-auth=true\n");
        assert.deepEqual(components(CMD, props), ["kube-proxy", "kubelet"]);
        assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, props), "violation");
    });
    it("config.yaml.d drop-ins load alphabetically and the last value wins (configuration.md, Multiple Config Files)", () => {
        const open = "kube-controller-manager-arg:\n  - profiling=true";
        const close = "kube-controller-manager-arg:\n  - profiling=false";
        const insecure = script(
            write("/etc/rancher/k3s/config.yaml.d/10-base.yaml", close),
            write("/etc/rancher/k3s/config.yaml.d/20-debug.yaml", open),
            K3S_INSTALL,
        );
        assert.equal(verdict("kube-controller-manager-profiling-disabled", CMD, insecure), "violation");
        const hardened = script(
            write("/etc/rancher/k3s/config.yaml.d/20-hardening.yaml", close),
            write("/etc/rancher/k3s/config.yaml.d/10-debug.yaml", open),
            K3S_INSTALL,
        );
        assert.equal(verdict("kube-controller-manager-profiling-disabled", CMD, hardened), "pass");
    });
    it("`key+:` in a drop-in appends to the file's list; a plain key replaces it", () => {
        const base = write("/etc/rancher/k3s/config.yaml", "kube-apiserver-arg:\n  - anonymous-auth=true");
        const appended = script(
            base,
            write("/etc/rancher/k3s/config.yaml.d/50-x.yaml", "kube-apiserver-arg+:\n  - profiling=false"),
            K3S_INSTALL,
        );
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", CMD, appended), "violation");
        const replaced = script(
            base,
            write("/etc/rancher/k3s/config.yaml.d/50-x.yaml", "kube-apiserver-arg:\n  - profiling=false"),
            K3S_INSTALL,
        );
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", CMD, replaced), "pass");
    });
    it("a command-line list replaces the config file's list (configuration.md: CLI arguments overwrite all values)", () => {
        const props = script(
            write("/etc/rancher/k3s/config.yaml", "kube-apiserver-arg:\n  - anonymous-auth=true"),
            "k3s server --kube-apiserver-arg=profiling=false\n",
        );
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", CMD, props), "pass");
    });
    it("enable-admission-plugins= replaces k3s's NodeRestriction; enable-admission-plugins+= appends to it (GetArgs)", () => {
        const replaced = script(
            "curl -sfL https://get.k3s.io | sh -s - server --kube-apiserver-arg=enable-admission-plugins=AlwaysPullImages\n",
        );
        assert.equal(verdict("kube-apiserver-admission-node-restriction-enabled", CMD, replaced), "violation");
        assert.equal(verdict("kube-apiserver-admission-always-pull-images-enabled", CMD, replaced), "pass");
        const appended = script(
            "curl -sfL https://get.k3s.io | sh -s - server --kube-apiserver-arg=enable-admission-plugins+=AlwaysPullImages\n",
        );
        assert.equal(verdict("kube-apiserver-admission-node-restriction-enabled", CMD, appended), "pass");
        assert.equal(verdict("kube-apiserver-admission-always-pull-images-enabled", CMD, appended), "pass");
    });
    it("authorization-mode-=AlwaysAllow prepends to Node,RBAC (GetArgs `-`): the first authorizer allows everything", () => {
        const props = script(
            "curl -sfL https://get.k3s.io | sh -s - server --kube-apiserver-arg=authorization-mode-=AlwaysAllow\n",
        );
        const s = subjectOf(CMD, props, "apiserver");
        assert.deepEqual(s.settings["apiserver.authorizationMode"].value, ["AlwaysAllow", "Node", "RBAC"]);
        assert.equal(verdict("kube-apiserver-authorization-mode-not-always-allow", CMD, props), "violation");
    });
    it("authorization-mode=AlwaysAllow in kube-apiserver-arg replaces Node,RBAC and fails", () => {
        const props = script(
            write("/etc/rancher/k3s/config.yaml", "kube-apiserver-arg: [authorization-mode=AlwaysAllow]"),
            K3S_INSTALL,
        );
        assert.equal(verdict("kube-apiserver-authorization-mode-not-always-allow", CMD, props), "violation");
    });
    it("with authentication-config, k3s does not pass --anonymous-auth=false: the AuthenticationConfiguration decides", () => {
        const authn = (paths: string[]) =>
            `apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\nanonymous:\n  enabled: true\n  conditions:\n${paths.map((p) => `  - path: ${p}`).join("\n")}\n`;
        const cfg = "kube-apiserver-arg:\n  - authentication-config=/etc/rancher/k3s/authn.yaml";
        const health = script(
            write("/etc/rancher/k3s/authn.yaml", authn(["/livez", "/readyz"])),
            write("/etc/rancher/k3s/config.yaml", cfg),
            K3S_INSTALL,
        );
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", CMD, health), "pass");
        const open = script(
            write("/etc/rancher/k3s/authn.yaml", authn(["/livez", "/api"])),
            write("/etc/rancher/k3s/config.yaml", cfg),
            K3S_INSTALL,
        );
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", CMD, open), "violation");
    });
    it("secrets-encryption: true sets the API server's encryption provider config (server.go apiServer)", () => {
        assert.equal(verdict("kube-apiserver-encryption-provider-config-set", CMD, script(K3S_INSTALL)), "violation");
        const props = script(write("/etc/rancher/k3s/config.yaml", "secrets-encryption: true"), K3S_INSTALL);
        assert.equal(verdict("kube-apiserver-encryption-provider-config-set", CMD, props), "pass");
    });
    it("protect-kernel-defaults: true reaches the kubelet config (agent.go defaultKubeletConfig ProtectKernelDefaults)", () => {
        assert.equal(verdict("kubelet-protect-kernel-defaults-enabled", CMD, script(K3S_INSTALL)), "violation");
        const props = script("curl -sfL https://get.k3s.io | sh -s - server --protect-kernel-defaults\n");
        assert.equal(verdict("kubelet-protect-kernel-defaults-enabled", CMD, props), "pass");
    });
    it("a kubelet drop-in in k3s's kubelet.conf.d merges over 00-k3s-defaults.conf (configuration.md, Kubelet configuration)", () => {
        const props = script(
            write(
                "/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/50-open.conf",
                "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true",
            ),
            K3S_INSTALL,
        );
        assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, props), "violation");
    });
    it("kubelet-arg config=FILE is copied to 10-cli-config.conf and merges over the defaults (agent.go extractConfigArgs)", () => {
        const props = script(
            write(
                "/etc/rancher/k3s/kubelet.yaml",
                "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthorization:\n  mode: AlwaysAllow",
            ),
            "curl -sfL https://get.k3s.io | sh -s - server --kubelet-arg=config=/etc/rancher/k3s/kubelet.yaml\n",
        );
        assert.equal(verdict("kubelet-authorization-mode-not-always-allow", CMD, props), "violation");
    });
    it("the k3s.service unit's ExecStart is read (the install script writes it)", () => {
        const props = script(
            write(
                "/etc/systemd/system/k3s.service",
                "[Service]\nExecStart=/usr/local/bin/k3s server --kube-controller-manager-arg=bind-address=0.0.0.0",
            ),
        );
        assert.equal(verdict("kube-controller-manager-bind-address-localhost", CMD, props), "violation");
    });
    it("a config file alone (k3s installed by the image) is judged; server-only keys make it a server", () => {
        const props = script(write("/etc/rancher/k3s/config.yaml", "kube-apiserver-arg:\n  - profiling=true"));
        assert.equal(verdict("kube-apiserver-profiling-disabled", CMD, props), "violation");
        const nodeOnly = script(write("/etc/rancher/k3s/config.yaml", "kubelet-arg:\n  - read-only-port=10255"));
        assert.deepEqual(components(CMD, nodeOnly), ["kube-proxy", "kubelet"]);
        assert.equal(verdict("kubelet-read-only-port-disabled", CMD, nodeOnly), "violation");
    });
    it("a config file downloaded at boot is one advisory, never a mandatory verdict", () => {
        const props = script("curl -o /etc/rancher/k3s/config.yaml https://example.com/c.yaml\n", K3S_INSTALL);
        assert.notEqual(verdict("kube-apiserver-anonymous-auth-disabled", CMD, props), "violation");
        const n = normalize(CMD, props);
        assert.equal(
            n.subjects.find((s) => s.component === "apiserver")?.settings["apiserver.anonymousAuth"],
            undefined,
        );
        assert.ok(
            n.notes.some((x) => x.where.includes("/etc/rancher/k3s/config.yaml")),
            JSON.stringify(n.notes),
        );
    });
    it("a value in config.yaml that is not known before boot ($(…) in the heredoc) is judged at update, not guessed", () => {
        const props = script(
            "cat <<EOF > /etc/rancher/k3s/config.yaml\nkube-apiserver-arg:\n  - anonymous-auth=$(curl -s http://meta/anon)\nEOF\n",
            K3S_INSTALL,
        );
        assert.notEqual(verdict("kube-apiserver-anonymous-auth-disabled", CMD, props), "violation");
        const n = normalize(CMD, props);
        assert.equal(
            n.subjects.find((s) => s.component === "apiserver")?.settings["apiserver.anonymousAuth"],
            undefined,
        );
        assert.ok(
            n.notes.every((x) => x.where.includes("/etc/rancher/k3s/config.yaml")),
            JSON.stringify(n.notes),
        );
    });
    it("etcd-arg TLS keys land at the top level of etcd's config file: judged at update, not guessed (executor ToConfigFile)", () => {
        const props = script(
            write("/etc/rancher/k3s/config.yaml", "cluster-init: true\netcd-arg:\n  - client-cert-auth=false"),
            K3S_INSTALL,
        );
        assert.equal(verdict("etcd-client-cert-auth-enabled", CMD, props), "unknown");
        const http = script(
            write(
                "/etc/rancher/k3s/config.yaml",
                "cluster-init: true\netcd-arg:\n  - listen-client-urls=http://0.0.0.0:2379",
            ),
            K3S_INSTALL,
        );
        assert.equal(verdict("etcd-listen-client-urls-https-only", CMD, http), "violation");
    });
});

describe("RKE2 (pkg/podexecutor/staticpod.go, pkg/rke2/rke2.go, pkg/cli/cmds/profile_linux.go)", () => {
    const RKE2_INSTALL = "curl -sfL https://get.rke2.io | sh -\nsystemctl enable --now rke2-server\n";
    it("a server with no options: k3s's hardened defaults, etcd with client certificates, secrets encryption always on", () => {
        const props = script(RKE2_INSTALL);
        assert.deepEqual(components(CMD, props), [
            "apiserver",
            "controller-manager",
            "etcd",
            "kube-proxy",
            "kubelet",
            "scheduler",
        ]);
        for (const id of [
            ...K3S_HARDENED,
            "etcd-client-cert-auth-enabled",
            "kube-apiserver-encryption-provider-config-set",
        ])
            assert.equal(verdict(id, CMD, props), "pass", id);
        assert.match(where(CMD, props, "apiserver", "apiserver.anonymousAuth"), /RKE2 default/);
    });
    it("profile: cis turns on audit logging (30 days, 10 files, 100 MB) and protect-kernel-defaults", () => {
        const plain = script(RKE2_INSTALL);
        const cis = script(write("/etc/rancher/rke2/config.yaml", "profile: cis"), RKE2_INSTALL);
        for (const id of [
            "kube-apiserver-audit-log-path-set",
            "kube-apiserver-audit-log-maxage-at-least-30",
            "kubelet-protect-kernel-defaults-enabled",
        ]) {
            assert.equal(verdict(id, CMD, plain), "violation", id);
            assert.equal(verdict(id, CMD, cis), "pass", id);
        }
        assert.match(where(CMD, cis, "apiserver", "apiserver.auditLogMaxAge"), /staticpod\.go APIServer, profile cis/);
    });
    it("the CIS profile's default audit policy records nothing (staticpod.go writeDefaultPolicyFile: level None); a policy the program writes is used instead", () => {
        const cis = script(write("/etc/rancher/rke2/config.yaml", "profile: cis"), RKE2_INSTALL);
        assert.equal(verdict("kube-apiserver-audit-policy-file-set", CMD, cis), "pass");
        assert.equal(verdict("kube-apiserver-audit-policy-logs-requests", CMD, cis), "violation");
        const own = script(
            write("/etc/rancher/rke2/config.yaml", "profile: cis"),
            write(
                "/etc/rancher/rke2/audit-policy.yaml",
                "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata",
            ),
            RKE2_INSTALL,
        );
        assert.equal(verdict("kube-apiserver-audit-policy-logs-requests", CMD, own), "pass");
    });
    it("kube-apiserver-arg audit-log-maxage=7 overrides the CIS profile's 30 (the user's flags come later)", () => {
        const props = script(
            write("/etc/rancher/rke2/config.yaml", "profile: cis\nkube-apiserver-arg:\n  - audit-log-maxage=7"),
            RKE2_INSTALL,
        );
        assert.equal(verdict("kube-apiserver-audit-log-maxage-at-least-30", CMD, props), "violation");
    });
    it("legacy CIS profile names (cis-1.6, cis-1.23; current releases accept only cis) count as the CIS profile", () => {
        const props = script(write("/etc/rancher/rke2/config.yaml", "profile: cis-1.6"), RKE2_INSTALL);
        assert.equal(verdict("kube-apiserver-audit-log-path-set", CMD, props), "pass");
    });
    it("INSTALL_RKE2_TYPE=agent installs an agent: only the kubelet and kube-proxy", () => {
        const props = script(
            write(
                "/etc/rancher/rke2/config.yaml",
                "server: https://10.0.0.1:9345\nkubelet-arg:\n  - anonymous-auth=true",
            ),
            "curl -sfL https://get.rke2.io | INSTALL_RKE2_TYPE=agent sh -\n",
        );
        assert.deepEqual(components(CMD, props), ["kube-proxy", "kubelet"]);
        assert.equal(verdict("kubelet-anonymous-auth-disabled", CMD, props), "violation");
    });
    it("flags in INSTALL_RKE2_EXEC never reach rke2 (install.sh: an alias of INSTALL_RKE2_TYPE): a note, not a verdict", () => {
        const props = script(
            "curl -sfL https://get.rke2.io | INSTALL_RKE2_EXEC='server --kube-apiserver-arg=anonymous-auth=true' sh -\n",
        );
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", CMD, props), "pass");
        assert.ok(normalize(CMD, props).notes.some((n) => /INSTALL_RKE2_EXEC/.test(n.where)));
    });
    it("terminated-pod-gc-threshold defaults to 1000 on RKE2 (staticpod.go ControllerManager)", () => {
        const s = subjectOf(CMD, script(RKE2_INSTALL), "controller-manager");
        assert.equal(s.settings["controller-manager.terminatedPodGcThreshold"].value, 1000);
    });
});

const TALOS_BASE = [
    "version: v1alpha1",
    "machine:",
    "  type: controlplane",
    "  kubelet:",
    "    image: ghcr.io/siderolabs/kubelet:v1.31.1",
    "    defaultRuntimeSeccompProfileEnabled: true",
    "cluster:",
    "  apiServer:",
    "    image: registry.k8s.io/kube-apiserver:v1.31.1",
    "",
].join("\n");

describe("Talos (control_plane_static_pod.go, kubelet_spec.go, services/etcd.go; configpatcher)", () => {
    it("a control-plane machine configuration passes with Talos's defaults (anonymous auth off, audit logging, etcd mTLS)", () => {
        const props = { machineConfigurationInput: TALOS_BASE, configPatches: [] };
        assert.deepEqual(components(TALOS, props), ["apiserver", "controller-manager", "etcd", "kubelet", "scheduler"]);
        for (const id of [
            "kube-apiserver-anonymous-auth-disabled",
            "kube-apiserver-authorization-mode-not-always-allow",
            "kube-apiserver-profiling-disabled",
            "kube-apiserver-audit-log-maxage-at-least-30",
            "kube-apiserver-encryption-provider-config-set",
            "kube-controller-manager-profiling-disabled",
            "kube-scheduler-profiling-disabled",
            "etcd-client-cert-auth-enabled",
            "etcd-peer-client-cert-auth-enabled",
            "kubelet-anonymous-auth-disabled",
            "kubelet-read-only-port-disabled",
            "kubelet-protect-kernel-defaults-enabled",
            "kubelet-seccomp-default-enabled",
            "kubelet-rotate-certificates-enabled",
        ])
            assert.equal(verdict(id, TALOS, props), "pass", id);
        assert.match(where(TALOS, props, "apiserver", "apiserver.anonymousAuth"), /Talos default/);
    });
    it("cluster.apiServer.auditPolicy is the policy Talos passes to --audit-policy-file (default: level Metadata, APIServerDefaultAuditPolicy)", () => {
        const policy = (level: string) =>
            `cluster:\n  apiServer:\n    auditPolicy:\n      apiVersion: audit.k8s.io/v1\n      kind: Policy\n      rules:\n      - level: ${level}\n`;
        const byDefault = { machineConfigurationInput: TALOS_BASE, configPatches: [] };
        assert.equal(verdict("kube-apiserver-audit-policy-logs-requests", TALOS, byDefault), "pass");
        assert.equal(verdict("kube-apiserver-audit-policy-secrets-metadata-only", TALOS, byDefault), "pass");
        const none = { machineConfigurationInput: TALOS_BASE, configPatches: [policy("None")] };
        assert.equal(verdict("kube-apiserver-audit-policy-logs-requests", TALOS, none), "violation");
        const metadata = { machineConfigurationInput: TALOS_BASE, configPatches: [policy("Metadata")] };
        assert.equal(verdict("kube-apiserver-audit-policy-logs-requests", TALOS, metadata), "pass");
    });
    it("a worker runs only the kubelet", () => {
        const props = { machineConfigurationInput: "version: v1alpha1\nmachine:\n  type: worker\n" };
        assert.deepEqual(components(TALOS, props), ["kubelet"]);
    });
    it("a strategic merge patch with cluster.apiServer.extraArgs anonymous-auth: true fails, naming extraArgs", () => {
        const props = {
            machineConfigurationInput: TALOS_BASE,
            configPatches: ["cluster:\n  apiServer:\n    extraArgs:\n      anonymous-auth: true\n"],
        };
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", TALOS, props), "violation");
        assert.match(where(TALOS, props, "apiserver", "apiserver.anonymousAuth"), /cluster\.apiServer\.extraArgs/);
    });
    it("a JSON patch string (JSON.stringify of a strategic patch) opening the kubelet read-only port via extraConfig fails", () => {
        const props = {
            machineConfigurationInput: TALOS_BASE,
            configPatches: [JSON.stringify({ machine: { kubelet: { extraConfig: { readOnlyPort: 10255 } } } })],
        };
        assert.equal(verdict("kubelet-read-only-port-disabled", TALOS, props), "violation");
    });
    it("an RFC 6902 patch adding extraArgs is applied (configpatcher JSON patches)", () => {
        const props = {
            machineConfigurationInput: `${TALOS_BASE.replace("cluster:\n", "cluster:\n  controllerManager:\n    extraArgs: {}\n")}`,
            configPatches: [
                JSON.stringify([{ op: "add", path: "/cluster/controllerManager/extraArgs/profiling", value: "true" }]),
            ],
        };
        assert.equal(verdict("kube-controller-manager-profiling-disabled", TALOS, props), "violation");
    });
    it("authorization-mode in extraArgs is additive (MergeAdditive): AlwaysAllow joins Node,RBAC and fails", () => {
        const props = {
            machineConfigurationInput: TALOS_BASE,
            configPatches: ["cluster:\n  apiServer:\n    extraArgs:\n      authorization-mode: AlwaysAllow\n"],
        };
        assert.equal(verdict("kube-apiserver-authorization-mode-not-always-allow", TALOS, props), "violation");
        assert.equal(verdict("kube-apiserver-authorization-mode-includes-rbac", TALOS, props), "pass");
    });
    it("machine.kubelet.extraArgs anonymous-auth=true fails (flags override the config file)", () => {
        const props = {
            machineConfigurationInput: TALOS_BASE,
            configPatches: ['machine:\n  kubelet:\n    extraArgs:\n      anonymous-auth: "true"\n'],
        };
        assert.equal(verdict("kubelet-anonymous-auth-disabled", TALOS, props), "violation");
    });
    it("extraConfig may not override authentication (ProtectedConfigurationFields): a note, the default stands", () => {
        const props = {
            machineConfigurationInput: TALOS_BASE,
            configPatches: [
                "machine:\n  kubelet:\n    extraConfig:\n      authentication:\n        anonymous:\n          enabled: true\n",
            ],
        };
        assert.equal(verdict("kubelet-anonymous-auth-disabled", TALOS, props), "pass");
        assert.ok(normalize(TALOS, props).notes.some((n) => /ProtectedConfigurationFields/.test(n.reason)));
    });
    it("etcd extraArgs cannot weaken client certificate auth (etcd.go deny list): a note, the default stands", () => {
        const props = {
            machineConfigurationInput: TALOS_BASE,
            configPatches: ['cluster:\n  etcd:\n    extraArgs:\n      client-cert-auth: "false"\n'],
        };
        assert.equal(verdict("etcd-client-cert-auth-enabled", TALOS, props), "pass");
        assert.ok(normalize(TALOS, props).notes.some((n) => /deny list/.test(n.reason)));
    });
    it("a patch that is a preview output may change anything: an advisory, never a mandatory verdict", () => {
        const props = { machineConfigurationInput: TALOS_BASE, configPatches: [UNKNOWN_STRING] };
        assert.notEqual(verdict("kube-apiserver-anonymous-auth-disabled", TALOS, props), "violation");
        const n = normalize(TALOS, props);
        assert.equal(n.subjects.find((s) => s.component === "kubelet")?.settings["kubelet.anonymousAuth"], undefined);
        assert.ok(n.notes.some((x) => x.where === "configPatches[0]"));
    });
    it("an unknown machineConfigurationInput: the patches' settings are judged, the rest is one advisory", () => {
        const insecure = {
            machineConfigurationInput: UNKNOWN_STRING,
            configPatches: ["cluster:\n  apiServer:\n    extraArgs:\n      anonymous-auth: true\n"],
        };
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", TALOS, insecure), "violation");
        const n = normalize(TALOS, insecure);
        assert.equal(n.subjects.find((s) => s.component === "apiserver")?.settings["apiserver.profiling"], undefined);
        const plain = { machineConfigurationInput: UNKNOWN_STRING, configPatches: [] };
        assert.notEqual(verdict("kubelet-anonymous-auth-disabled", TALOS, plain), "violation");
        const k = normalize(TALOS, plain);
        assert.equal(k.subjects.find((s) => s.component === "kubelet")?.settings["kubelet.readOnlyPort"], undefined);
        assert.ok(k.notes.some((x) => x.where === "machineConfigurationInput"));
    });
});

describe("Rancher ClusterV2 (rkeConfig.machineGlobalConfig and machineSelectorConfigs, judged as the node's config.yaml)", () => {
    const cluster = (
        global: string,
        selectors: { config: string; machineLabelSelector?: unknown }[] = [],
        v = "v1.30.4+rke2r1",
    ) => ({
        kubernetesVersion: v,
        rkeConfig: { machineGlobalConfig: global, machineSelectorConfigs: selectors },
    });
    it("an RKE2 cluster with profile: cis passes audit and kernel-defaults rules; RKE2's etcd and encryption apply", () => {
        const props = cluster("cni: calico\nprofile: cis\n");
        for (const id of [
            ...K3S_HARDENED,
            "kube-apiserver-audit-log-path-set",
            "kube-apiserver-encryption-provider-config-set",
            "etcd-client-cert-auth-enabled",
            "kubelet-protect-kernel-defaults-enabled",
        ])
            assert.equal(verdict(id, RANCHER, props), "pass", id);
    });
    it("machineGlobalConfig kube-apiserver-arg anonymous-auth=true fails, naming machineGlobalConfig", () => {
        const props = cluster("kube-apiserver-arg:\n  - anonymous-auth=true\n");
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", RANCHER, props), "violation");
        assert.match(where(RANCHER, props, "apiserver", "apiserver.anonymousAuth"), /rkeConfig\.machineGlobalConfig/);
    });
    it("a machineSelectorConfigs config without a selector applies to every machine, over machineGlobalConfig", () => {
        const props = cluster("kubelet-arg:\n  - read-only-port=0\n", [
            { config: "kubelet-arg:\n  - read-only-port=10255\n" },
        ]);
        assert.equal(verdict("kubelet-read-only-port-disabled", RANCHER, props), "violation");
    });
    it("a labelled machineSelectorConfigs config is judged for the machines it selects", () => {
        const props = cluster("cni: calico\n", [
            {
                config: "kubelet-arg:\n  - anonymous-auth=true\n",
                machineLabelSelector: { matchLabels: { pool: "gpu" } },
            },
        ]);
        assert.equal(verdict("kubelet-anonymous-auth-disabled", RANCHER, props), "violation");
        assert.match(
            normalize(RANCHER, props)
                .subjects.filter((s) => s.component === "kubelet")
                .map((s) => s.settings["kubelet.anonymousAuth"].where)
                .join(" | "),
            /machineSelectorConfigs\[0\]\.config/,
        );
    });
    it("a k3s cluster (+k3s1) gets k3s's defaults: no implied secrets encryption", () => {
        const props = cluster("cluster-init: true\n", [], "v1.30.4+k3s1");
        assert.equal(verdict("kube-apiserver-encryption-provider-config-set", RANCHER, props), "violation");
        assert.equal(verdict("kube-apiserver-anonymous-auth-disabled", RANCHER, props), "pass");
    });
    it("an unknown machineGlobalConfig is an advisory, never a mandatory verdict", () => {
        const props = { kubernetesVersion: "v1.30.4+rke2r1", rkeConfig: { machineGlobalConfig: UNKNOWN_STRING } };
        assert.notEqual(verdict("kube-apiserver-anonymous-auth-disabled", RANCHER, props), "violation");
        const n = normalize(RANCHER, props);
        assert.equal(
            n.subjects.find((s) => s.component === "apiserver")?.settings["apiserver.anonymousAuth"],
            undefined,
        );
        assert.ok(
            n.notes.some((x) => x.where.includes("machineGlobalConfig")),
            JSON.stringify(n.notes),
        );
    });
});
