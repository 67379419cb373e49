// The command line kubeadm writes for a component (a static pod manifest's command, kubeadm-flags.env for the
// kubelet) from its own default flags and the user's extraArgs, as cmd/kubeadm/app/util/arguments.go
// ArgumentsToCommand builds it. An extraArgs name replaces every default of that name; v1beta4 allows a name
// more than once, and then the order of the values decides which one a scalar flag keeps (the last, pflag).
//
// That order changed: kubeadm up to the fix sorted the whole list by name, then by value, so of two values the
// larger came last (kubernetes/kubeadm#3173). kubernetes/kubernetes#135400 ("kubeadm: do not sort extraArgs
// alpha-numerically", merged 2025-11, cherry-picked to release-1.32 … 1.35 as #135850-#135853 in January 2026)
// sorts only kubeadm's defaults and keeps the user's extraArgs in the order written. So the order is known for
// kubeadm 1.30 and older (sorted; v1beta3's map cannot repeat a name anyway) and 1.36 and newer (as written);
// for 1.31 to 1.35 it depends on the patch release, which the program does not state. When the two orders give a
// scalar flag different values, that setting is undetermined: one advisory, never a guessed verdict.
import type { ComponentSpec } from "../catalogue";
import type { Arg } from "../model";

export interface UndeterminedFlag {
    flag: string;
    where: string;
    reason: string;
}

export interface KubeadmCommand {
    args: Arg[];
    /** Scalar flags whose value depends on the kubeadm release's ordering of repeated extraArgs. */
    undetermined: UndeterminedFlag[];
}

type Order = "sorted" | "as-written" | "depends";

/** Which ordering the kubeadm that deploys this Kubernetes minor uses (kubeadm is the control plane's minor or newer). */
export function extraArgsOrder(minor: number | undefined): Order {
    if (minor === undefined) return "depends";
    if (minor <= 30) return "sorted";
    if (minor >= 36) return "as-written";
    return "depends";
}

const byNameThenValue = (a: [string, string, string], b: [string, string, string]) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

function isScalar(spec: ComponentSpec | undefined, flag: string): boolean {
    const st = spec?.settings.find((s) => s.flag === flag);
    return st !== undefined && st.repeat !== "append" && st.type !== "map" && st.type !== "list";
}

export function kubeadmCommand(
    defaults: Record<string, string>,
    extra: [string, string][],
    at: string,
    spec?: ComponentSpec,
    minor?: number,
    /** Where the extraArgs were found (the document), for the undetermined flags' location. */
    source = "",
): KubeadmCommand {
    const names = new Set(extra.map(([k]) => k));
    const base = Object.entries(defaults)
        .filter(([k]) => !names.has(k))
        .map(([k, v]) => [k, v, "kubeadm default"] as [string, string, string])
        .sort(byNameThenValue);
    const overrides = extra.map(([k, v]) => [k, v, at] as [string, string, string]);
    const order = extraArgsOrder(minor);
    const sorted = [...base, ...overrides].sort(byNameThenValue);
    const asWritten = [...base, ...overrides];
    const chosen = order === "sorted" ? sorted : asWritten;
    const undetermined: UndeterminedFlag[] = [];
    if (order === "depends") {
        const lastOf = (list: [string, string, string][]) => {
            const m = new Map<string, string>();
            for (const [k, v] of list) m.set(k, v);
            return m;
        };
        const counts = new Map<string, number>();
        for (const [k] of overrides) counts.set(k, (counts.get(k) ?? 0) + 1);
        const a = lastOf(sorted);
        const b = lastOf(asWritten);
        for (const [k, n] of counts) {
            if (n < 2 || !isScalar(spec, k) || a.get(k) === b.get(k)) continue;
            undetermined.push({
                flag: k,
                where: `${source ? `${source}, ` : ""}${at} (--${k} given ${n} times)`,
                reason:
                    minor === undefined
                        ? "kubeadm releases before the January 2026 patches sort repeated extraArgs by value, later ones keep the order written (kubernetes/kubernetes#135400), and the program states no Kubernetes version, so which value wins is not known; give the flag once"
                        : `kubeadm for Kubernetes 1.${minor} sorts repeated extraArgs by value before its January 2026 patch release and keeps the order written after it (kubernetes/kubernetes#135400), so which value wins depends on the patch release; give the flag once`,
            });
        }
    }
    return { args: chosen.map(([k, v, from]) => ({ text: `--${k}=${v}`, from })), undetermined };
}
