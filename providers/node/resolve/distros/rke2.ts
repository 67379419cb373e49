// RKE2's additions to k3s's component flags. RKE2 runs the control plane as static pods through its pod
// executor, which puts its own flags before the ones k3s computes (pkg/podexecutor/staticpod.go; the user's
// `*-arg` values come later on the command line, so they win). `profile: cis` (older releases also took
// cis-1.5, cis-1.6 and cis-1.23, which current ones reject) turns on what the CIS profile needs.
import type { Arg } from "../../model";
import type { Context } from "./index";
import { View, dataDir } from "./k3s-config";

export interface Rke2Additions {
    /** The CIS profile is on (`profile: cis`). */
    cis: boolean;
    apiserver: Arg[];
    controllerManager: Arg[];
}

const STATICPOD = "RKE2 default (pkg/podexecutor/staticpod.go";

export function rke2Additions(ctx: Context, view: View): Rke2Additions {
    const o = view.options;
    const profile = o.last("profile");
    const cis = profile !== undefined && profile.value.startsWith("cis");
    // pkg/cli/cmds/profile_linux.go setCISFlags: "--protect-kernel-defaults must be true when using --profile".
    const pkd = o.last("protect-kernel-defaults");
    if (cis && pkd && pkd.value === "false")
        ctx.model.note(
            pkd.where,
            "is false with the CIS profile, so RKE2 refuses to start (profile_linux.go setCISFlags)",
        );
    const apiserver: Arg[] = [];
    // StaticPodConfig.APIServer: with the CIS profile (policy file /etc/rancher/rke2/audit-policy.yaml) or a
    // user-given audit-policy-file, audit logging with 30 days, 10 backups and 100 MB files, and a log path
    // (server/logs/audit.log) unless kube-apiserver-arg gives one.
    const policy = o.last("audit-policy-file");
    // writeDefaultPolicyFile: when the policy file does not exist, RKE2 writes one whose only rule is level None
    // (it records nothing); a file the program writes there is used instead (writeIfNotExists).
    const policyPath = policy?.value ?? "/etc/rancher/rke2/audit-policy.yaml";
    if (cis || policy)
        ctx.files.provide(policyPath, {
            doc: { apiVersion: "audit.k8s.io/v1", kind: "Policy", rules: [{ level: "None" }] },
            why: `RKE2's default audit policy ${policyPath} (pkg/podexecutor/staticpod.go writeDefaultPolicyFile: one rule, level None)`,
        });
    if (cis || policy) {
        const why = cis
            ? `${STATICPOD} APIServer, profile ${profile!.value} at ${profile!.where})`
            : `${STATICPOD} APIServer, audit-policy-file at ${policy!.where})`;
        apiserver.push(
            { text: `--audit-policy-file=${policyPath}`, from: why },
            { text: "--audit-log-maxage=30", from: why },
            { text: "--audit-log-maxbackup=10", from: why },
            { text: "--audit-log-maxsize=100", from: why },
            { text: `--audit-log-path=${dataDir("rke2", o)}/server/logs/audit.log`, from: why },
        );
    }
    // StaticPodConfig.ControllerManager prepends --terminated-pod-gc-threshold=1000.
    const controllerManager: Arg[] = [
        { text: "--terminated-pod-gc-threshold=1000", from: `${STATICPOD} ControllerManager)` },
    ];
    return { cis, apiserver, controllerManager };
}
