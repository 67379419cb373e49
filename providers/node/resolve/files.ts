// The node's files as the components will read them: what the program wrote (with its edits), over what the
// image or a distribution tool puts there (the EKS AMI's kubelet-config.json, kubeadm's generated
// /var/lib/kubelet/config.yaml and kubelet drop-in). A file the program writes after the tool replaces the
// tool's; one the tool writes later (kubeadm join rewrites config.yaml) replaces the program's.
import { parseDocuments } from "../decode/documents";
import { applyJq, applySed, fieldAssignments, sedInsertedText } from "../decode/shell/edits";
import { FileState, NodeModel, UNKNOWN_MARK } from "../model";

export interface ImageFile {
    /** Text of the file, or its parsed document (config files the distribution renders). */
    text?: string;
    doc?: Record<string, unknown>;
    why: string;
    /** Written by a tool the program runs at this point (kubeadm); undefined: present from the start (image). */
    seq?: number;
    /** The image has the file but the pack does not know its text: edits count by the text they insert. */
    opaque?: boolean;
}

export interface ReadFile {
    path: string;
    /** undefined: the content is not known (downloaded, copied from outside, or not written by the program). */
    text?: string;
    doc?: unknown;
    /** Where it came from, for messages. */
    where: string;
    /** The program (not the image or a tool) decided the content. */
    byProgram: boolean;
}

export class NodeFiles {
    readonly image = new Map<string, ImageFile>();

    constructor(readonly model: NodeModel) {}

    provide(path: string, f: ImageFile): void {
        this.image.set(path, f);
    }

    has(path: string): boolean {
        return this.model.files.has(path) || this.image.has(path);
    }

    /** The file as the component reads it; undefined when neither the program nor the image has it. */
    read(path: string): ReadFile | undefined {
        const written = this.model.files.get(path);
        const img = this.image.get(path);
        if (written && written.content !== undefined && !(img?.seq !== undefined && img.seq > written.seq)) {
            const where = written.history[written.history.length - 1] ?? path;
            if (written.content.includes(UNKNOWN_MARK)) return { path, where, byProgram: true };
            return { path, text: written.content, where, byProgram: true };
        }
        if (img) return this.fromImage(path, img, written);
        if (written) {
            const where = written.history[written.history.length - 1] ?? path;
            // `>>` to a file nobody else provides: the shell creates it with the appended text.
            if (written.edits.length === 0 && written.appended.length)
                return { path, text: written.appended.join(""), where, byProgram: true };
            return { path, where, byProgram: true };
        }
        return undefined;
    }

    /** An image file with the program's edits (jq assignments, sed-inserted fields, appended text) applied. */
    private fromImage(path: string, img: ImageFile, written: FileState | undefined): ReadFile {
        const edits = written && written.content === undefined ? written : undefined;
        let where = img.why;
        const last = edits?.history[edits.history.length - 1];
        if (img.doc) {
            let doc: Record<string, unknown> = img.doc;
            for (const e of edits?.edits ?? []) {
                const assignments = e.kind === "jq" ? e.assignments : fieldAssignments(sedInsertedText(e.commands));
                doc = applyJq(doc, assignments);
            }
            if (last) where = `${img.why}, edited by ${last}`;
            return { path, doc, where, byProgram: false };
        }
        let text = img.text ?? "";
        for (const e of edits?.edits ?? []) {
            if (e.kind !== "sed") continue;
            text = img.opaque ? `${text}\n${sedInsertedText(e.commands).join("\n")}\n` : applySed(text, e.commands);
        }
        for (const a of edits?.appended ?? []) text += `\n${a}`;
        if (last) where = `${img.why}, edited by ${last}`;
        return { path, text, where, byProgram: false };
    }

    /** The first document of a config file (KubeletConfiguration, etcd YAML, ...). */
    document(path: string): { doc?: unknown; where: string; known: boolean; error?: string } | undefined {
        const f = this.read(path);
        if (!f) return undefined;
        if (f.doc !== undefined) return { doc: f.doc, where: f.where, known: true };
        if (f.text === undefined) return { where: f.where, known: false };
        const parsed = parseDocuments(f.text);
        if (parsed.error && parsed.docs.length === 0) return { where: f.where, known: false, error: parsed.error };
        return { doc: parsed.docs[0]?.value, where: f.where, known: true };
    }

    /** Paths of files in a directory (program and image), sorted by name. */
    list(dir: string): string[] {
        const prefix = dir.endsWith("/") ? dir : `${dir}/`;
        const names = new Set<string>();
        for (const p of [...this.model.files.keys(), ...this.image.keys()]) {
            if (p.startsWith(prefix) && !p.slice(prefix.length).includes("/")) names.add(p);
        }
        return [...names].sort();
    }
}
