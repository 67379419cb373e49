// Pod specs (static pod manifests, workload templates, Pod documents in user data): each container becomes a
// container record: `command` + `args` (the image's entrypoint when `command` is absent), `env`, the image.
// `sh -c "<script>"` is run through the shell decoder, so `exec etcd …` or `cmd && kube-apiserver …` is read as
// the shell would. Elements that are preview outputs stay in place as unknown words; an unknown list of
// containers, command or env is a note, never a silent pass.
import type { InspectionNote } from "../../model";
import { isUnknownValue } from "../../props";
import { componentOf } from "../catalogue";
import { Arg, ContainerRecord, NodeModel, UNKNOWN_MARK } from "../model";
import { Shell } from "./shell/interp";
import { shownName } from "../../shown";

function words(v: unknown, what: string, at: string, notes: InspectionNote[]): Arg[] | undefined {
    if (v === undefined || v === null) return [];
    if (isUnknownValue(v)) {
        notes.push({
            where: `${at} ${what}`,
            reason: "is not known until the resources it depends on exist; it is inspected when the update runs",
        });
        return undefined;
    }
    if (!Array.isArray(v)) return [];
    return v.map((x) => ({
        text:
            typeof x === "string" && !isUnknownValue(x)
                ? x.split(UNKNOWN_MARK).join("\uFFFD")
                : typeof x === "number"
                  ? String(x)
                  : UNKNOWN_MARK,
    }));
}

function envOf(v: unknown): { env: Map<string, string>; unknown: boolean } {
    const env = new Map<string, string>();
    if (v === undefined || v === null) return { env, unknown: false };
    if (!Array.isArray(v)) return { env, unknown: true };
    let unknown = false;
    for (const e of v) {
        if (typeof e !== "object" || e === null) {
            unknown = true;
            continue;
        }
        const { name, value } = e as { name?: unknown; value?: unknown };
        if (typeof name !== "string" || isUnknownValue(name)) {
            unknown = true;
            continue;
        }
        env.set(
            name,
            typeof value === "string" && !isUnknownValue(value)
                ? value
                : value === undefined
                  ? UNKNOWN_MARK
                  : UNKNOWN_MARK,
        );
    }
    return { env, unknown };
}

/** The containers of a pod spec as container records in `model`; `location` prefixes each ("pod template, "). */
export function decodePodSpec(model: NodeModel, spec: unknown, location: string): void {
    if (spec === undefined || spec === null) return;
    if (isUnknownValue(spec))
        return model.note(
            `${location}spec`,
            "is not known until the resources it depends on exist; it is inspected when the update runs",
        );
    if (typeof spec !== "object" || Array.isArray(spec)) return;
    const s = spec as Record<string, unknown>;
    for (const key of ["initContainers", "containers"]) {
        const list = s[key];
        if (list === undefined || list === null) continue;
        if (!Array.isArray(list)) {
            model.note(
                `${location}${key}`,
                isUnknownValue(list)
                    ? "is not known until the resources it depends on exist; it is inspected when the update runs"
                    : "is not a list; not inspected",
            );
            continue;
        }
        list.forEach((c, i) => {
            if (isUnknownValue(c))
                return model.note(
                    `${location}${key}[${i}]`,
                    "is not known until the resources it depends on exist; it is inspected when the update runs",
                );
            if (typeof c !== "object" || c === null) return;
            container(model, c as Record<string, unknown>, location);
        });
    }
}

function container(model: NodeModel, c: Record<string, unknown>, location: string): void {
    const name = typeof c.name === "string" ? shownName(c.name) : "(no name)";
    const at = `${location}container "${name}"`;
    const notes: InspectionNote[] = [];
    const command = words(c.command, "command", at, notes);
    const args = words(c.args, "args", at, notes);
    const image = typeof c.image === "string" && !isUnknownValue(c.image) ? c.image : undefined;
    const { env, unknown } = envOf(c.env);
    const envUnknown = unknown || (c.envFrom !== undefined && c.envFrom !== null);
    for (const n of notes) model.note(n.where, n.reason);
    if (!command || !args) {
        // The command line is not known: if the image or the known part names a component, say so once.
        return;
    }
    let argv = [...command, ...args];
    if (command.length === 0 && image) {
        // No command: the image's entrypoint runs. Component images (etcd, kube-apiserver, ...) start the component.
        const repo = image.split("@")[0].split("/").pop() ?? "";
        const colon = repo.indexOf(":");
        const binary = (colon >= 0 ? repo.slice(0, colon) : repo).replace(/-(amd64|arm64|arm|ppc64le|s390x)$/, "");
        if (componentOf([binary])) argv = [{ text: binary }, ...args];
    }
    const base = argv[0]?.text.split("/").pop();
    const c2 = argv[1]?.text;
    if (
        (base === "sh" || base === "bash" || base === "ash" || base === "dash") &&
        c2 !== undefined &&
        c2.length < 8 &&
        /^-[a-z]*c[a-z]*$/.test(c2) &&
        argv[2] !== undefined
    ) {
        const sub = new NodeModel();
        new Shell(sub, at, 1).run(argv[2].text);
        for (const cmd of sub.commands) {
            const merged = new Map(env);
            for (const [k, v] of cmd.env) merged.set(k, v);
            model.containers.push({ argv: cmd.argv, env: merged, envUnknown, at, image });
        }
        for (const n of sub.notes) model.note(n.where, n.reason);
        return;
    }
    const record: ContainerRecord = { argv, env, envUnknown, at, image };
    if (componentOf(argv.map((a) => a.text))) model.containers.push(record);
    else if (argv[0]?.text.includes(UNKNOWN_MARK))
        model.note(
            `${at} command`,
            "names a program that is not known until the resources it depends on exist; it is inspected when the update runs",
        );
}
