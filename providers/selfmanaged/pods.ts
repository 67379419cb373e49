// Static pod manifests and workload pod templates: each container whose command starts a Kubernetes
// component (`kube-apiserver`, `/usr/local/bin/etcd`, `hyperkube kubelet`, ...) becomes a subject, its
// flags read from `command` and `args` together, once.
import type { Subject } from "../model";
import { ComponentBuilder } from "./builder";
import { componentOf } from "./components";
import { parseFlags, splitWords } from "./flags";

export function minorFromImage(image: unknown): number | undefined {
    if (typeof image !== "string") return undefined;
    const m = /:v?1\.(\d{1,2})(?:\.\d+)?(?:[-+@][^/]*)?$/.exec(image);
    return m ? Number(m[1]) : undefined;
}

function strings(v: unknown): string[] | undefined {
    return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;
}

/** The argv a container runs: command + args, unwrapping `sh -c "<script>"`. */
export function containerArgv(container: Record<string, unknown>): string[] {
    const command = strings(container.command) ?? [];
    const args = strings(container.args) ?? [];
    if (command.length === 0 && typeof container.image === "string") {
        // No command: the image's entrypoint runs. Component images (etcd, kube-apiserver, ...) start the component.
        const repo = container.image.replace(/@.*$/, "").replace(/:[^/:]*$/, "").split("/").pop() ?? "";
        const binary = repo.replace(/-(amd64|arm64|arm|ppc64le|s390x)$/, "");
        if (componentOf([binary])) return [binary, ...args];
    }
    const argv = [...command, ...args];
    const base = argv[0]?.split("/").pop();
    if ((base === "sh" || base === "bash") && argv[1] === "-c" && typeof argv[2] === "string") {
        const words = splitWords(argv[2]);
        const start = words.findIndex((w) => componentOf([w]) !== undefined || w.endsWith("/hyperkube") || w === "hyperkube");
        return start >= 0 ? words.slice(start) : [];
    }
    return argv;
}

export function subjectsFromPodSpec(spec: unknown, location: string): Subject[] {
    if (typeof spec !== "object" || spec === null) return [];
    const out: Subject[] = [];
    const containers = [
        ...((spec as Record<string, unknown>).initContainers as unknown[] ?? []),
        ...((spec as Record<string, unknown>).containers as unknown[] ?? []),
    ];
    for (const c of Array.isArray(containers) ? containers : []) {
        if (typeof c !== "object" || c === null) continue;
        const container = c as Record<string, unknown>;
        const found = componentOf(containerArgv(container));
        if (!found) continue;
        const name = typeof container.name === "string" ? container.name : found.spec.component;
        const where = `${location}container "${name}"`;
        const b = new ComponentBuilder(found.spec, "self-managed", where);
        b.kubernetesMinor = minorFromImage(container.image);
        b.applyFlags(parseFlags(found.args, found.spec), "");
        if (found.spec.component === "kubelet" && b.has("kubelet.config")) b.useConfigFile("--config is given");
        out.push(b.build());
    }
    return out;
}
