// systemd units on the node → the commands they start. systemd.unit(5): a unit is looked up in
// /etc/systemd/system before /run/systemd/system, /usr/local/lib/systemd/system and /usr/lib/systemd/system
// (/lib/systemd/system on older layouts); drop-ins `<unit>.d/*.conf` from all of them merge in lexical order of
// their file names (a drop-in in /etc hides one of the same name in /usr/lib). In the merged [Service]
// section an empty `ExecStart=` resets the list; `Environment=` assignments apply in order and
// `EnvironmentFile=` files override them whatever the order, later files over earlier ones, a `-` prefix
// making the file optional (systemd.exec(5): "Settings from these files override settings made with
// Environment=. If the same variable is set twice from these files, the files will be read in the order they
// are specified and the later setting will override the earlier setting.").
import { Arg, UNKNOWN_MARK } from "../model";
import { environmentAssignments, execWords, parseEnvFile, parseUnit } from "../decode/systemd";
import type { NodeFiles } from "./files";
import { shownName } from "../../shown";

export const UNIT_DIRS = [
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
];

export interface UnitExec {
    unit: string;
    argv: Arg[];
    /** Where the ExecStart line is: "…write_files /etc/systemd/system/kubelet.service.d/20-x.conf, ExecStart (line 3)". */
    at: string;
    /** Variables the unit's environment holds, with where each came from. */
    env: Map<string, { value: string; from: string }>;
}

function base(path: string): string {
    return path.slice(path.lastIndexOf("/") + 1);
}

/** Names of service units that have a unit file or a drop-in on the node. */
function unitNames(files: NodeFiles): string[] {
    const names = new Set<string>();
    for (const p of [...files.model.files.keys(), ...files.image.keys()]) {
        for (const dir of UNIT_DIRS) {
            if (!p.startsWith(`${dir}/`)) continue;
            const rest = p.slice(dir.length + 1);
            const slash = rest.indexOf("/");
            const name = slash < 0 ? rest : rest.slice(0, slash);
            if (slash < 0 && name.endsWith(".service")) names.add(name);
            else if (slash > 0 && name.endsWith(".service.d") && rest.endsWith(".conf")) names.add(name.slice(0, -2));
        }
    }
    return [...names].sort();
}

/** The unit file and its drop-ins, in the order systemd applies them. */
export function unitSources(files: NodeFiles, unit: string): { main?: string; dropIns: string[] } {
    const main = UNIT_DIRS.map((d) => `${d}/${unit}`).find((p) => files.has(p));
    const byName = new Map<string, string>();
    for (const dir of [...UNIT_DIRS].reverse()) {
        for (const p of files.list(`${dir}/${unit}.d`)) if (p.endsWith(".conf")) byName.set(base(p), p);
    }
    return { main, dropIns: [...byName.keys()].sort().map((k) => byName.get(k)!) };
}

/** The ExecStart commands of every service unit on the node, with their environment expanded. */
export function unitCommands(files: NodeFiles): UnitExec[] {
    const out: UnitExec[] = [];
    for (const unit of unitNames(files)) {
        const { main, dropIns } = unitSources(files, unit);
        const env = new Map<string, { value: string; from: string }>();
        const envFiles: { path: string; optional: boolean; from: string }[] = [];
        let exec: { value: string; at: string }[] = [];
        for (const path of [...(main ? [main] : []), ...dropIns]) {
            const f = files.read(path);
            if (!f || f.text === undefined) continue;
            const label =
                path === main ? `${f.where} (${unit})` : `${f.where} (${unit} drop-in ${shownName(base(path))})`;
            for (const d of parseUnit(f.text)) {
                if (d.section !== "Service") continue;
                if (d.key === "ExecStart") {
                    if (d.value === "") exec = [];
                    else exec.push({ value: d.value, at: `${label}, ExecStart (line ${d.line})` });
                } else if (d.key === "Environment") {
                    for (const [k, v] of environmentAssignments(d.value))
                        env.set(k, {
                            value: v,
                            from: `$${shownName(k)} from Environment= in ${shownName(base(path))}`,
                        });
                } else if (d.key === "EnvironmentFile") {
                    const optional = d.value.startsWith("-");
                    envFiles.push({
                        path: optional ? d.value.slice(1) : d.value,
                        optional,
                        from: shownName(base(path)),
                    });
                }
            }
        }
        for (const ef of envFiles) {
            const f = files.read(ef.path);
            if (!f) continue;
            // A file whose content the pack cannot know may set any variable.
            if (f.text === undefined) {
                env.set("*", { value: UNKNOWN_MARK, from: `${shownName(ef.path)} (content not known)` });
                continue;
            }
            const how = f.byProgram ? shownName(ef.path) : `${shownName(ef.path)} (${f.where})`;
            for (const [k, v] of parseEnvFile(f.text)) env.set(k, { value: v, from: `$${shownName(k)} from ${how}` });
        }
        for (const e of exec) out.push({ unit, argv: execWords(e.value, env), at: e.at, env });
    }
    return out;
}
