// The node model: what a machine does when it boots from one resource's user data, remote command or manifest,
// in order. Decoders (decode/*) fill it; the resolver (resolve/*) reads each component's effective invocation
// out of it. It holds no Kubernetes knowledge beyond the words "file", "command", "container", "document".
import type { InspectionNote } from "../model";
import type { Doc } from "./decode/documents";
import type { ComponentSpec } from "./catalogue";
import { LIMITS } from "./limits";
import type { UndeterminedFlag } from "./resolve/kubeadm-args";
import { BranchPlan } from "./branches";
import type { SedCommand } from "./decode/shell/sed";

/**
 * Marks text whose value is not known before the node runs (a preview output, `$(curl …)`, a file the program
 * does not write). Input text never contains it: decoders replace it on entry.
 */
export const UNKNOWN_MARK = "\uE000";

export function hasUnknown(s: string): boolean {
    return s.includes(UNKNOWN_MARK);
}

/** One argv element with where its words came from (a variable, an env file), for messages. */
export interface Arg {
    text: string;
    from?: string;
}

/** An edit applied to a file's content in place (sed -i, jq through a temporary file). */
export type FileEdit = { kind: "sed"; commands: SedCommand[] } | { kind: "jq"; assignments: [string[], unknown][] };

export interface FileState {
    path: string;
    /** Text written by the program; undefined: the file comes with the image (or from outside) and is only edited. */
    content?: string;
    /** Edits applied to a file whose content the program did not write (the image's), in order. */
    edits: FileEdit[];
    /** Text appended to a file whose content the program did not write. */
    appended: string[];
    /** Who wrote or edited it, in order: "user data, cloud-init write_files", "line 7 sed -i". */
    history: string[];
    /** Order of the last write, to sort drop-ins and find "written after". */
    seq: number;
    /** Written by the image or a distribution module, not by the program. */
    image?: boolean;
}

/** A command run by a script (runcmd, bootcmd, a shell user-data part, a remote command). */
export interface CommandRecord {
    argv: Arg[];
    /** Variables in the command's environment (exported shell variables and `A=b cmd` prefixes). */
    env: Map<string, string>;
    at: string;
    seq: number;
}

/** A container of a Pod or workload template. */
export interface ContainerRecord {
    argv: Arg[];
    env: Map<string, string>;
    /** `env` entries whose value the pack cannot know (valueFrom, preview outputs): any of them may be set. */
    envUnknown: boolean;
    at: string;
    image?: string;
}

/** A document that is not a file on the node: a ConfigMap value, a nodeadm MIME part, `kubeadm --config -` stdin. */
export interface DocRecord {
    doc: Doc;
    at: string;
    seq: number;
    /** The stream it came from (a MIME part, a ConfigMap key): documents of one stream go together. */
    stream: string;
}

/** A distribution tool the node runs, with its arguments: the resolver's distribution modules read these. */
export interface ToolRecord {
    tool: string;
    argv: Arg[];
    stdin?: string;
    /** Variables in the tool's environment (INSTALL_K3S_EXEC, K3S_URL for the k3s install script). */
    env?: Map<string, string>;
    at: string;
    seq: number;
}

/** Settings a distribution reads as one document: Bottlerocket TOML user data, a Talos machine configuration. */
export interface SettingsRecord {
    kind: "bottlerocket" | "talos";
    settings: Record<string, unknown>;
    at: string;
    /**
     * The base the settings were merged over is not known (a Talos machine configuration that is a preview
     * output, with patches the program states): only what they set is known; this says where the base is.
     */
    unknownBase?: string;
}

export class NodeModel {
    readonly files = new Map<string, FileState>();
    readonly commands: CommandRecord[] = [];
    readonly containers: ContainerRecord[] = [];
    readonly documents: DocRecord[] = [];
    readonly tools: ToolRecord[] = [];
    readonly settings: SettingsRecord[] = [];
    readonly notes: InspectionNote[] = [];
    /** Flags a tool writes for a component whose value the program does not decide (resolve/kubeadm-args.ts). */
    readonly undetermined: (UndeterminedFlag & { spec: ComponentSpec })[] = [];
    private seq = 0;
    private variables = 0;

    /** `plan`: which branch of each if/else or case the scripts take (default: every branch, in order). */
    constructor(readonly branches: BranchPlan = new BranchPlan()) {}

    next(): number {
        return ++this.seq;
    }

    /** A shell variable was set (it may reach a command later). */
    variableSet(): void {
        this.variables++;
    }

    /** Grows with every effect the node records (files, commands, tools, documents, variables set). */
    get effects(): number {
        return this.seq + this.variables;
    }

    /** Grows with every file, command, tool or document recorded (not with variables). */
    get writes(): number {
        return this.seq;
    }

    note(where: string, reason: string): void {
        if (this.notes.length < 20 && !this.notes.some((n) => n.where === where && n.reason === reason))
            this.notes.push({ where, reason });
    }

    private state(path: string): FileState | undefined {
        let f = this.files.get(path);
        if (!f) {
            if (this.files.size >= LIMITS.maxFiles) {
                this.note(path, `more than ${LIMITS.maxFiles} files written; the rest were not tracked`);
                return undefined;
            }
            f = { path, edits: [], appended: [], history: [], seq: 0 };
            this.files.set(path, f);
        }
        return f;
    }

    /** A file written (or appended to) at this point of the boot. */
    write(path: string, content: string, at: string, append = false, image = false): void {
        const f = this.state(path);
        if (!f) return;
        if (append && f.content === undefined && f.history.length > 0) f.appended.push(content);
        else if (append && f.content !== undefined) f.content = (f.content + content).slice(0, LIMITS.maxTextBytes);
        else if (append) f.appended.push(content);
        else {
            f.content = content.slice(0, LIMITS.maxTextBytes);
            f.edits = [];
            f.appended = [];
            f.image = image;
        }
        f.history.push(at);
        f.seq = this.next();
    }

    /** An in-place edit; applied at once to text the program wrote, kept for the resolver otherwise. */
    edit(path: string, edit: FileEdit, at: string, apply: (content: string, edit: FileEdit) => string): void {
        const f = this.state(path);
        if (!f) return;
        if (f.content !== undefined) f.content = apply(f.content, edit).slice(0, LIMITS.maxTextBytes);
        else f.edits.push(edit);
        f.history.push(at);
        f.seq = this.next();
    }

    /** The current text of a file the program wrote (undefined when it did not, or only edited it). */
    read(path: string): string | undefined {
        const f = this.files.get(path);
        if (!f) return undefined;
        // Only appended to: the shell created it (or appended to an image file whose start the pack cannot see).
        if (f.content === undefined && f.edits.length === 0 && f.appended.length) return f.appended.join("");
        return f.content;
    }

    copy(from: string, to: string, at: string, move: boolean): void {
        const src = this.files.get(from);
        const f = this.state(to);
        if (!f) return;
        if (src) {
            f.content = src.content;
            f.edits = [...src.edits];
            f.appended = [...src.appended];
            f.history.push(...src.history, at);
            if (move) this.files.delete(from);
        } else {
            // A file the program did not write: its content is not known.
            f.content = UNKNOWN_MARK;
            f.edits = [];
            f.appended = [];
            f.history.push(`${at} (copied from ${from}, which this program does not write)`);
        }
        f.seq = this.next();
    }

    remove(path: string): void {
        this.files.delete(path);
    }

    /** Files under a directory (non-recursive), by name. */
    filesIn(dir: string): FileState[] {
        const prefix = dir.endsWith("/") ? dir : `${dir}/`;
        return [...this.files.values()].filter(
            (f) => f.path.startsWith(prefix) && !f.path.slice(prefix.length).includes("/"),
        );
    }
}
