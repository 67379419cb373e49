// The decode stage: from the raw bytes of user data (or a startup script, a remote command, a ConfigMap value)
// to the node model. Undoes base64, gzip and MIME, and hands cloud-config, shell, Bottlerocket TOML and
// documents to their decoders. Every layer is bounded (limits.ts) and every failure becomes a note naming
// where it happened; nothing here throws. A new format is one decoder here and its tests.
import { gunzipSync } from "zlib";
import { parse as parseToml } from "smol-toml";
import { LIMITS } from "../limits";
import { NodeModel, UNKNOWN_MARK } from "../model";
import { decodeCloudConfig } from "./cloudinit";
import { KNOWN_KINDS, parseDocuments } from "./documents";
import { isMime, splitMime } from "./mime";
import { Shell } from "./shell/interp";
import { shownName } from "../../shown";

export interface Hint {
    contentType?: string;
}

function isGzip(b: Buffer): boolean {
    return b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Is this text plausibly base64 of something (and not a word or a short token)? One pass, no regex. */
export function looksBase64(text: string): boolean {
    let n = 0;
    let letters = true;
    let pad = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 32 || c === 9 || c === 10 || c === 13) continue;
        if (c === 61) {
            pad++;
            if (pad > 2) return false;
            n++;
            continue;
        }
        if (pad > 0) return false;
        const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
        if (!(alpha || (c >= 48 && c <= 57) || c === 43 || c === 47)) return false;
        if (!alpha) letters = false;
        n++;
    }
    return n >= 16 && n % 4 === 0 && !letters;
}

export function compactBase64(text: string): string {
    let out = "";
    let run = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === " " || c === "\t" || c === "\n" || c === "\r") {
            if (i > run) out += text.slice(run, i);
            run = i + 1;
        }
    }
    return out + text.slice(run);
}

function isText(b: Buffer): boolean {
    const sample = b.subarray(0, 4096);
    if (sample.includes(0)) return false;
    const s = sample.toString("utf8");
    let bad = 0;
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 0xfffd) bad++;
    return bad <= Math.max(2, s.length / 100);
}

/** gunzip within the limits; a note and undefined when it is corrupt or a bomb. */
export function gunzip(b: Buffer, model: NodeModel, location: string): Buffer | undefined {
    let out: Buffer;
    try {
        out = gunzipSync(b, { maxOutputLength: LIMITS.maxGunzipBytes });
    } catch (e) {
        const tooBig = e instanceof RangeError || (e as { code?: string })?.code === "ERR_BUFFER_TOO_LARGE";
        model.note(
            location,
            tooBig
                ? `gzip content expands beyond ${LIMITS.maxGunzipBytes} bytes (possible gzip bomb); not inspected`
                : "gzip content is corrupt; not inspected",
        );
        return undefined;
    }
    if (out.length > LIMITS.maxGzipRatio * Math.max(b.length, 1024)) {
        model.note(
            location,
            `gzip content expands more than ${LIMITS.maxGzipRatio}x (possible gzip bomb); not inspected`,
        );
        return undefined;
    }
    return out;
}

/** Bytes as a file's text: gunzipped when gzip, unknown when binary. */
export function fileText(b: Buffer, model: NodeModel, location: string): string {
    if (isGzip(b)) {
        const out = gunzip(b, model, location);
        return out ? fileText(out, model, `${location}, gzip`) : UNKNOWN_MARK;
    }
    return isText(b) ? b.toString("utf8").split(UNKNOWN_MARK).join("\uFFFD") : UNKNOWN_MARK;
}

export class Decoder {
    /** Work cloud-init does in its final stage: deferred write_files, then user scripts, then runcmd. */
    private readonly late: { deferred: (() => void)[]; scripts: (() => void)[]; runcmd: (() => void)[] } = {
        deferred: [],
        scripts: [],
        runcmd: [],
    };

    constructor(readonly model: NodeModel) {}

    /** Decodes one carrier value and runs what cloud-init would run late. */
    top(run: () => void): void {
        run();
        const late = [...this.late.deferred, ...this.late.scripts, ...this.late.runcmd];
        this.late.deferred.length = this.late.scripts.length = this.late.runcmd.length = 0;
        for (const f of late) f();
    }

    /** Bytes of unknown form: gzip, text (possibly base64 or MIME). */
    bytes(b: Buffer, location: string, depth: number, hint: Hint = {}): void {
        if (depth > LIMITS.maxDepth)
            return this.model.note(location, `nested more than ${LIMITS.maxDepth} encodings deep; not inspected`);
        if (b.length > LIMITS.maxTextBytes && !isGzip(b))
            return this.model.note(
                location,
                `${b.length} bytes, more than the ${LIMITS.maxTextBytes}-byte limit; not inspected`,
            );
        if (isGzip(b)) {
            const out = gunzip(b, this.model, location);
            if (out) this.bytes(out, `${location}, gzip`, depth + 1, hint);
            return;
        }
        if (!isText(b)) return this.model.note(location, "binary content that is neither gzip nor text; not inspected");
        this.text(b.toString("utf8"), location, depth, hint);
    }

    /** Text of unknown form. */
    text(input: string, location: string, depth: number, hint: Hint = {}): void {
        if (depth > LIMITS.maxDepth)
            return this.model.note(location, `nested more than ${LIMITS.maxDepth} encodings deep; not inspected`);
        if (input.length > LIMITS.maxTextBytes)
            return this.model.note(
                location,
                `${input.length} characters, more than the ${LIMITS.maxTextBytes} limit; not inspected`,
            );
        let text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
        const head = text.trimStart().slice(0, 64);
        if (hint.contentType === "application/node.eks.aws") return this.documents(text, location);
        if (hint.contentType === "text/x-include-url" || head.startsWith("#include")) {
            return this.model.note(location, "includes content from URLs, which cannot be read before deployment");
        }
        if (isMime(text)) return this.mime(text, location, depth);
        if (head.startsWith("## template: jinja")) text = text.slice(text.indexOf("\n") + 1);
        const start = text.trimStart();
        if (start.startsWith("#cloud-config")) return decodeCloudConfig(this, text, location, depth, this.late);
        if (
            start.startsWith("#!") ||
            start.startsWith("#cloud-boothook") ||
            hint.contentType === "text/x-shellscript" ||
            hint.contentType === "text/cloud-boothook"
        ) {
            if (start.startsWith("#cloud-boothook") || hint.contentType === "text/cloud-boothook")
                return this.shell(text, location, depth);
            return void this.late.scripts.push(() => this.shell(text, location, depth));
        }
        if (isBottlerocket(text.slice(0, 4096)) || hint.contentType === "application/toml")
            return this.bottlerocket(text, location);
        if (KNOWN_KINDS.test(text)) return this.documents(text, location);
        if (looksBase64(text)) {
            const decoded = Buffer.from(compactBase64(text), "base64");
            if (isGzip(decoded) || isText(decoded)) return this.bytes(decoded, `${location}, base64`, depth + 1, hint);
        }
        this.shell(text, location, depth);
    }

    documents(text: string, location: string): void {
        const parsed = parseDocuments(text);
        if (parsed.error) this.model.note(location, `${parsed.error}; not inspected`);
        for (const doc of parsed.docs) {
            const at =
                parsed.docs.length > 1
                    ? `${location}, document ${doc.index} (${doc.kind ?? "no kind"})`
                    : `${location}, ${doc.kind ?? "document"}`;
            this.model.documents.push({ doc, at, seq: this.model.next(), stream: location });
        }
    }

    shell(script: string, location: string, depth: number): void {
        new Shell(this.model, location, depth).run(script);
    }

    private mime(text: string, location: string, depth: number): void {
        const { parts, truncated } = splitMime(text);
        if (truncated)
            this.model.note(location, `more than ${LIMITS.maxParts} MIME parts; the rest were not inspected`);
        parts.forEach((p, i) =>
            this.bytes(p.body, `${location}, MIME part ${i + 1} (${shownName(p.contentType)})`, depth + 1, {
                contentType: p.contentType,
            }),
        );
    }

    bottlerocket(text: string, location: string): void {
        let doc: Record<string, unknown>;
        try {
            doc = parseToml(text) as Record<string, unknown>;
        } catch {
            return this.model.note(location, "looks like Bottlerocket TOML settings but does not parse; not inspected");
        }
        const settings = doc.settings;
        if (settings && typeof settings === "object")
            this.model.settings.push({
                kind: "bottlerocket",
                settings: settings as Record<string, unknown>,
                at: `${location}, Bottlerocket`,
            });
    }
}

/** A line `[settings]` or `[settings.x]` near the top: Bottlerocket's TOML user data. One pass over lines. */
function isBottlerocket(text: string): boolean {
    for (const raw of text.split("\n")) {
        const l = raw.trim();
        if (l.startsWith("[settings]") || l.startsWith("[settings.")) return true;
    }
    return false;
}
