// Benchmark input for scripts/bench.ts: a large, realistic node bootstrap script, the kind platform teams keep in
// one user-data file. It is built from the blocks such scripts are made of, repeated with varying names until it
// has the requested number of lines: strict mode and logging helpers, functions with `local` variables, package
// installs with retries, `if`/`case`/`for`/`while` control flow, heredocs writing sysctl, containerd, systemd and
// kubelet files, `sed -i` and `tee` edits, downloads with checksums, `$( )` substitutions, and at the end a kubelet
// started by a systemd drop-in and a `kubeadm join`. Nothing in it is tuned to the pack: it is read as written.
import { AnalyzerClient } from "../client/analyzer";

const HEADER = `#!/bin/bash
# Node bootstrap: packages, kernel settings, container runtime, kubelet, join.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
LOG=/var/log/node-bootstrap.log
CLUSTER_NAME="prod-eu-1"
API_ENDPOINT="https://10.0.0.10:6443"
K8S_VERSION="1.31.2"
ARCH="$(uname -m)"
case "$ARCH" in
  x86_64) GOARCH=amd64 ;;
  aarch64) GOARCH=arm64 ;;
  *) echo "unsupported arch $ARCH" >&2; exit 1 ;;
esac
log() { echo "$(date -Iseconds) [bootstrap] $*" | tee -a "$LOG"; }
retry() {
  local n=0
  local max=5
  until "$@"; do
    n=$((n + 1))
    if [ "$n" -ge "$max" ]; then log "giving up: $*"; return 1; fi
    sleep $((n * 2))
  done
}
`;

function block(i: number): string {
    const pkg = ["jq", "curl", "conntrack", "socat", "ipset", "ebtables", "ethtool", "nfs-common"][i % 8];
    const mod = ["overlay", "br_netfilter", "ip_vs", "ip_vs_rr", "nf_conntrack"][i % 5];
    return `
# --- step ${i}: ${pkg}, ${mod}, sysctl and files
log "step ${i} starting"
if ! dpkg -s ${pkg} >/dev/null 2>&1; then
  retry apt-get install -y --no-install-recommends ${pkg}
else
  log "${pkg} already installed"
fi
modprobe ${mod} || log "module ${mod} not available"
echo "${mod}" >> /etc/modules-load.d/k8s.conf
cat <<EOF > /etc/sysctl.d/90-step-${i}.conf
net.ipv4.ip_forward = 1
net.bridge.bridge-nf-call-iptables = 1
vm.max_map_count = ${262144 + i}
fs.inotify.max_user_watches = ${524288 + i}
EOF
sysctl --system >/dev/null
for d in /var/lib/app-${i} /etc/app-${i} /opt/app-${i}/bin; do
  mkdir -p "$d"
  chmod 0755 "$d"
done
STEP_DIR="/opt/app-${i}"
VERSION_${i}="$(cat /etc/os-release | grep VERSION_ID | cut -d= -f2)"
case "${pkg}" in
  jq|curl) log "tool ${pkg} ready in $STEP_DIR" ;;
  *) log "helper ${pkg} ready" ;;
esac
curl -fsSL --retry 3 "https://artifacts.example.com/app/${i}/app.tar.gz" -o "/tmp/app-${i}.tar.gz"
echo "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef  /tmp/app-${i}.tar.gz" | sha256sum -c -
tar -xzf "/tmp/app-${i}.tar.gz" -C "$STEP_DIR/bin"
sed -i 's/^#\\?MaxSessions.*/MaxSessions ${10 + (i % 5)}/' /etc/ssh/sshd_config
printf '%s\\n' "app-${i}" | tee -a /etc/app-inventory >/dev/null
while read -r line; do
  [ -z "$line" ] && continue
  log "inventory: $line"
done < /etc/app-inventory
log "step ${i} done"
`;
}

const FOOTER = `
# --- container runtime
mkdir -p /etc/containerd
cat <<'EOF' > /etc/containerd/config.toml
version = 2
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = true
EOF
systemctl enable --now containerd
# --- kubelet configuration and unit drop-in
mkdir -p /var/lib/kubelet /etc/systemd/system/kubelet.service.d
cat <<EOF > /var/lib/kubelet/config.yaml
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
authorization:
  mode: Webhook
readOnlyPort: 0
protectKernelDefaults: true
rotateCertificates: true
EOF
cat <<EOF > /etc/systemd/system/kubelet.service.d/20-bootstrap.conf
[Service]
Environment="KUBELET_EXTRA_ARGS=--node-labels=cluster=$CLUSTER_NAME,arch=$GOARCH"
EOF
systemctl daemon-reload
systemctl enable kubelet
log "joining $CLUSTER_NAME at $API_ENDPOINT (kubernetes $K8S_VERSION)"
retry kubeadm join 10.0.0.10:6443 --token abcdef.0123456789abcdef \\
  --discovery-token-ca-cert-hash sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
log "bootstrap complete"
`;

/** A bootstrap script of about `lines` lines (at least the header and footer). */
export function bootstrapScript(lines: number): string {
    const fixed = (HEADER + FOOTER).split("\n").length;
    const per = block(0).split("\n").length - 1;
    const blocks = Math.max(0, Math.round((lines - fixed) / per));
    return HEADER + Array.from({ length: blocks }, (_, i) => block(i)).join("") + FOOTER;
}

export interface ScriptTimes {
    lines: number;
    /** The first Analyze call of a fresh pack process (nothing compiled yet), ms. */
    coldMs: number;
    /** Median of the next calls (each a different resource, so none is answered from the cache), ms. */
    warmMs: number;
    /** The pack's CPU time per warm call, ms. */
    cpuMs?: number;
    findings: number;
    /** The resource was judged, not stopped by the per-resource deadline. */
    judged: boolean;
}

/** Analyze of EC2 instances whose user data is a bootstrap script of `lines` lines, under the real launcher. */
export async function scriptLatency(root: string, lines: number, calls = 7): Promise<ScriptTimes> {
    const script = bootstrapScript(lines);
    const c = await AnalyzerClient.start(root);
    try {
        await c.configure({});
        const times: number[] = [];
        let findings = 0;
        let judged = true;
        let cpu = 0;
        for (let i = 0; i <= calls; i++) {
            const c0 = c.cpuTimeMs() ?? NaN;
            const t0 = process.hrtime.bigint();
            const d = await c.analyze({
                type: "aws:ec2/instance:Instance",
                name: `node-${i}`,
                props: { ami: "ami-1", instanceType: "m5.large", userData: script },
            });
            times.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (i > 0) cpu += (c.cpuTimeMs() ?? NaN) - c0;
            findings = d.length;
            if (d.some((x) => /took longer than/.test(x.message))) judged = false;
        }
        const warm = times.slice(1).sort((a, b) => a - b);
        return {
            lines: script.split("\n").length,
            coldMs: times[0],
            warmMs: warm[Math.floor(warm.length / 2)],
            cpuMs: Number.isFinite(cpu) ? cpu / calls : undefined,
            findings,
            judged,
        };
    } finally {
        await c.stop();
    }
}
