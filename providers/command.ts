// @pulumi/command remote commands that set nodes up over SSH (kubeadm init/join, kubelet units, config files).
import type { Normalized } from "./model";
import { readCarrier } from "./node";

export const REMOTE_COMMAND = "command:remote:Command";

export function remoteCommand(props: Record<string, unknown>): Normalized {
    return readCarrier(props, [
        { path: "create", encoding: "plain", label: "create command", kind: "shell" },
        { path: "update", encoding: "plain", label: "update command", kind: "shell" },
    ]);
}
