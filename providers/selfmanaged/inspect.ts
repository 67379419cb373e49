// From the raw bytes of user data (or a startup script, a remote command, a ConfigMap value) to evidence in an
// Assembly: undoes base64, gzip and MIME, reads cloud-config, shell, Bottlerocket TOML, nodeadm and kubeadm
// documents, recursing into files those write. Every layer is bounded (see limits.ts) and every failure
// becomes a note naming where it happened; nothing here throws.
import { gunzipSync } from "zlib";
import { parse as parseToml } from "smol-toml";
import type { Assembly } from "./assembly";
import { KUBELET, componentOf } from "./components";
import { KNOWN_KINDS, parseDocuments } from "./documents";
import { parseFlags, splitWords } from "./flags";
import { LIMITS } from "./limits";
import { isMime, splitMime } from "./mime";
import { EKS_BOOTSTRAP_SCRIPT, fieldAssignments, jqAssignments, kubeletFlagLines, scanShell } from "./shell";

const GZIP_MAGIC = [0x1f, 0x8b];

function isGzip(b: Buffer): boolean {
    return b.length > 2 && b[0] === GZIP_MAGIC[0] && b[1] === GZIP_MAGIC[1];
}

const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;

/** Is this text plausibly base64 of something (and not a word or a short token)? */
export function looksBase64(text: string): boolean {
    const t = text.trim();
    return t.length >= 16 && BASE64.test(t) && t.replace(/\s+/g, "").length % 4 === 0 && !/^[A-Za-z]+$/.test(t);
}

function isText(b: Buffer): boolean {
    const sample = b.subarray(0, 4096);
    if (sample.includes(0)) return false;
    const s = sample.toString("utf8");
    const bad = (s.match(/\uFFFD/g) ?? []).length;
    return bad <= Math.max(2, s.length / 100);
}

export class Inspector {
    constructor(private readonly asm: Assembly) {}

    /** Bytes of unknown form: gzip, text (possibly base64 or MIME). */
    bytes(b: Buffer, location: string, depth: number, hint: { contentType?: string; path?: string } = {}): void {
        if (depth > LIMITS.maxDepth) return this.asm.note(location, `nested more than ${LIMITS.maxDepth} encodings deep; not inspected`);
        if (b.length > LIMITS.maxTextBytes && !isGzip(b)) return this.asm.note(location, `${b.length} bytes, more than the ${LIMITS.maxTextBytes}-byte limit; not inspected`);
        if (isGzip(b)) {
            let out: Buffer;
            try {
                out = gunzipSync(b, { maxOutputLength: LIMITS.maxGunzipBytes });
            } catch (e) {
                const tooBig = e instanceof RangeError || (e as { code?: string })?.code === "ERR_BUFFER_TOO_LARGE";
                return this.asm.note(location, tooBig ? `gzip content expands beyond ${LIMITS.maxGunzipBytes} bytes (possible gzip bomb); not inspected` : "gzip content is corrupt; not inspected");
            }
            if (out.length > LIMITS.maxGzipRatio * Math.max(b.length, 1024)) {
                return this.asm.note(location, `gzip content expands more than ${LIMITS.maxGzipRatio}x (possible gzip bomb); not inspected`);
            }
            return this.bytes(out, `${location}, gzip`, depth + 1, hint);
        }
        if (!isText(b)) return this.asm.note(location, "binary content that is neither gzip nor text; not inspected");
        this.text(b.toString("utf8"), location, depth, hint);
    }

    /** Text of unknown form. */
    text(input: string, location: string, depth: number, hint: { contentType?: string; path?: string } = {}): void {
        if (depth > LIMITS.maxDepth) return this.asm.note(location, `nested more than ${LIMITS.maxDepth} encodings deep; not inspected`);
        if (input.length > LIMITS.maxTextBytes) return this.asm.note(location, `${input.length} characters, more than the ${LIMITS.maxTextBytes} limit; not inspected`);
        let text = input.replace(/^\uFEFF/, "");
        const head = text.trimStart().slice(0, 64);
        if (hint.contentType === "application/node.eks.aws") return this.documents(text, location);
        if (hint.contentType === "text/x-include-url" || head.startsWith("#include")) {
            return this.asm.note(location, "includes content from URLs, which cannot be read before deployment");
        }
        if (isMime(text)) return this.mime(text, location, depth);
        if (head.startsWith("## template: jinja")) text = text.slice(text.indexOf("\n") + 1);
        const start = text.trimStart();
        if (start.startsWith("#cloud-config")) return this.cloudConfig(text, location, depth);
        if (start.startsWith("#!") || start.startsWith("#cloud-boothook") || hint.contentType === "text/x-shellscript") return this.shell(text, location, depth);
        if (/^\s*\[settings(\.|\])/m.test(text.slice(0, 4096)) || hint.contentType === "application/toml") return this.bottlerocket(text, location);
        if (KNOWN_KINDS.test(text)) return this.documents(text, location);
        if (looksBase64(text)) {
            const decoded = Buffer.from(text.replace(/\s+/g, ""), "base64");
            if (isGzip(decoded) || isText(decoded)) return this.bytes(decoded, `${location}, base64`, depth + 1, hint);
        }
        this.shell(text, location, depth);
    }

    documents(text: string, location: string): void {
        const parsed = parseDocuments(text);
        if (parsed.error) this.asm.note(location, `${parsed.error}; not inspected`);
        this.asm.documents(parsed.docs, location);
    }

    private mime(text: string, location: string, depth: number): void {
        const { parts, truncated } = splitMime(text);
        if (truncated) this.asm.note(location, `more than ${LIMITS.maxParts} MIME parts; the rest were not inspected`);
        parts.forEach((p, i) => {
            const at = `${location}, MIME part ${i + 1} (${p.contentType})`;
            this.bytes(p.body, at, depth + 1, { contentType: p.contentType });
        });
    }

    private cloudConfig(text: string, location: string, depth: number): void {
        const parsed = parseDocuments(text);
        if (parsed.error) this.asm.note(location, `cloud-config: ${parsed.error}; not inspected`);
        const cfg = parsed.docs[0]?.value;
        if (!cfg || typeof cfg !== "object" || Array.isArray(cfg)) return;
        const c = cfg as Record<string, unknown>;
        const files = Array.isArray(c.write_files) ? c.write_files : [];
        if (files.length > LIMITS.maxParts) this.asm.note(location, `more than ${LIMITS.maxParts} write_files entries; the rest were not inspected`);
        for (const f of files.slice(0, LIMITS.maxParts)) {
            if (!f || typeof f !== "object") continue;
            const entry = f as Record<string, unknown>;
            const path = typeof entry.path === "string" ? entry.path : "(no path)";
            const at = `${location}, cloud-init write_files ${path}`;
            const content = this.writeFileContent(entry, at);
            if (content !== undefined) this.file(path, content, at, depth + 1);
        }
        for (const key of ["bootcmd", "runcmd"]) {
            const list = Array.isArray(c[key]) ? c[key] as unknown[] : [];
            const script = list.map((item) => Array.isArray(item) ? item.map((w) => shellQuote(String(w))).join(" ") : typeof item === "string" ? item : "").join("\n");
            if (script.trim()) this.shell(script, `${location}, cloud-init ${key}`, depth + 1);
        }
    }

    /** write_files content after its `encoding` (b64, gzip, gz+b64, ...). */
    private writeFileContent(entry: Record<string, unknown>, at: string): Buffer | undefined {
        const enc = typeof entry.encoding === "string" ? entry.encoding.toLowerCase() : "text/plain";
        const raw = entry.content;
        let buf: Buffer;
        if (raw instanceof Uint8Array) buf = Buffer.from(raw);
        else if (typeof raw === "string") buf = Buffer.from(raw, "utf8");
        else if (raw === undefined || raw === null) return Buffer.alloc(0);
        else { this.asm.note(at, "content is not text; not inspected"); return undefined; }
        const isB64 = /(^|\+)(b64|base64)$/.test(enc);
        if (isB64) buf = Buffer.from(buf.toString("utf8").replace(/\s+/g, ""), "base64");
        // gzip (gz, gzip, gz+b64, gzip+base64): the bytes are gunzipped by bytes().
        return buf;
    }

    /** A file written by cloud-init or a script: documents, env files with kubelet flags, unit files, scripts. */
    file(path: string, content: Buffer | string, location: string, depth: number): void {
        const b = typeof content === "string" ? Buffer.from(content, "utf8") : content;
        if (isGzip(b)) return this.bytes(b, location, depth, { path });
        if (!isText(b)) return this.asm.note(location, "binary content; not inspected");
        const text = b.toString("utf8");
        if (KNOWN_KINDS.test(text)) return this.documents(text, location);
        if (this.kubeletLines(text, `${location} `)) {
            // Lines added to the EKS AMI's bootstrap script: bootstrap.sh runs the kubelet with the AMI's file.
            if (path === EKS_BOOTSTRAP_SCRIPT) this.asm.setKubeletBase("eks-ami", `${location}`);
            return;
        }
        if (text.trimStart().startsWith("#!")) return this.shell(text, location, depth);
        if (/kubelet[^/]*config[^/]*\.(ya?ml|json)$/.test(path) && /readOnlyPort|authentication|authorization/.test(text)) {
            // A kubelet config file without `kind` is still read by the kubelet as its config.
            const parsed = parseDocuments(text);
            for (const d of parsed.docs) this.asm.kubeletDocument(d.value, `${location}, kubelet config`);
        }
    }

    /** Env-file and unit lines that carry kubelet flags (KUBELET_*ARGS=…, ExecStart=…kubelet). True when any did. */
    private kubeletLines(text: string, prefix: string): boolean {
        const lines = kubeletFlagLines(text);
        for (const l of lines) {
            if (l.execStart) this.asm.command(["kubelet", ...l.words], KUBELET, `${prefix}ExecStart`);
            else this.asm.kubeletFlags(parseFlags(l.words, KUBELET), `${prefix}${l.label}`, l.label === "KUBELET_EXTRA_ARGS" ? "extra-args" : "other");
        }
        return lines.length > 0;
    }

    shell(script: string, location: string, depth: number): void {
        const scan = scanShell(script);
        if (scan.truncated) this.asm.note(location, `more than ${LIMITS.maxShellLines} lines; the rest were not inspected`);
        const kubeletConfigPaths: string[] = [];
        for (const f of scan.files) {
            if (f.path === "(environment)") {
                this.kubeletLines(f.content, `${location}, `);
                continue;
            }
            const at = f.path === "(stdin)" ? `${location}, ${f.how}` : `${location}, ${f.how} ${f.path}`;
            this.file(f.path, f.content, at, depth + 1);
            if (/kubelet/.test(f.path) && /config/.test(f.path)) kubeletConfigPaths.push(f.path);
        }
        for (const c of scan.commands) {
            const at = `${location}, line ${c.line}`;
            switch (c.kind) {
                case "component": {
                    const argv = c.argv;
                    const name = argv[0].split("/").pop();
                    this.asm.command(argv.slice(name === "hyperkube" ? 2 : 1), componentSpecOf(argv), `${at} ${name}`);
                    break;
                }
                case "kubeadm":
                    if (c.sub === "init" || c.sub === "join") this.asm.setKubeletBase("kubeadm", `${at} kubeadm ${c.sub}`);
                    break;
                case "eks-bootstrap":
                    this.asm.setKubeletBase("eks-ami", `${at} bootstrap.sh`);
                    if (c.kubeletArgs) this.asm.kubeletFlags(parseFlags(safeSplit(c.kubeletArgs), KUBELET), `${at} bootstrap.sh --kubelet-extra-args`);
                    break;
                case "sed":
                    this.sedEdit(c.texts, c.target, `${at} sed edit of ${c.target}`, depth);
                    break;
                case "jq":
                    if (/kubelet/i.test(c.target) && /config/i.test(c.target)) {
                        this.kubeletConfigEdit(c.target, jqAssignments(c.filter), `${at} jq edit of ${c.target}`, `${at} jq edit of ${c.target.split("/").pop()}`);
                    }
                    break;
            }
        }
    }

    /**
     * Text a `sed -i` puts into a file: kubelet flag lines for env files, units and the EKS bootstrap script,
     * `"field": value` pairs for a kubelet config file (top-level fields only: a nested one is ambiguous).
     */
    private sedEdit(texts: string[], target: string, at: string, depth: number): void {
        if (/kubelet/i.test(target) && /config/i.test(target) && /\.(json|ya?ml)$/.test(target)) {
            return this.kubeletConfigEdit(target, fieldAssignments(texts), at, at);
        }
        this.file(target, texts.join("\n"), at, depth + 1);
    }

    /**
     * Field assignments made to a kubelet config file by a jq or sed edit. Editing the EKS AMI's file means the
     * AMI's secure file is the base. `fieldsAt` prefixes each field's provenance.
     */
    private kubeletConfigEdit(target: string, assignments: [string, unknown][], at: string, fieldsAt: string): void {
        if (target === EKS_AMI_KUBELET_CONFIG) this.asm.setKubeletBase("eks-ami", at);
        for (const [field, value] of assignments) {
            const spec = KUBELET.settings.find((s) => s.config === field);
            if (spec) this.asm.kubeletValue(spec.key, value, `${fieldsAt}: ${field}`, "document");
        }
    }

    bottlerocket(text: string, location: string): void {
        let doc: Record<string, unknown>;
        try {
            doc = parseToml(text) as Record<string, unknown>;
        } catch {
            return this.asm.note(location, "looks like Bottlerocket TOML settings but does not parse; not inspected");
        }
        const settings = doc.settings as Record<string, unknown> | undefined;
        const k8s = settings && typeof settings.kubernetes === "object" ? settings.kubernetes as Record<string, unknown> : undefined;
        if (k8s) this.asm.bottlerocket(k8s, `${location}, Bottlerocket`);
    }
}

/** Where the EKS AL2 AMI keeps the kubelet config file that bootstrap.sh completes. */
const EKS_AMI_KUBELET_CONFIG = "/etc/kubernetes/kubelet/kubelet-config.json";

function safeSplit(s: string): string[] {
    try { return splitWords(s); } catch { return []; }
}

function shellQuote(w: string): string {
    return /^[A-Za-z0-9_./:=,@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`;
}

function componentSpecOf(argv: string[]) {
    return componentOf(argv)!.spec;
}
