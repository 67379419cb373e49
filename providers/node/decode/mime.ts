// MIME multipart user data (cloud-init and EKS launch templates): splits parts and undoes their transfer
// encoding. A small, bounded, synchronous reader: the MIME libraries on npm are streaming or asynchronous
// and built for e-mail, while user data needs only multipart/* splitting with base64, quoted-printable and
// 7bit/8bit bodies. Never throws; anything it cannot split is returned as one part.
import { LIMITS } from "../limits";
import { checkBudget } from "../../budget";

export interface MimePart {
    contentType: string;
    /** The part's body after the transfer encoding is undone, as bytes. */
    body: Buffer;
    /** Filename from Content-Disposition, when given. */
    filename?: string;
}

function headerBlock(text: string): { headers: Map<string, string>; body: string } {
    const headers = new Map<string, string>();
    const m = /\r?\n\r?\n/.exec(text);
    const head = m ? text.slice(0, m.index) : text;
    const body = m ? text.slice(m.index + m[0].length) : "";
    let last = "";
    for (const line of head.split(/\r?\n/)) {
        if (/^[ \t]/.test(line) && last) {
            headers.set(last, `${headers.get(last)} ${line.trim()}`);
            continue;
        }
        const c = line.indexOf(":");
        if (c <= 0) continue;
        last = line.slice(0, c).trim().toLowerCase();
        headers.set(last, line.slice(c + 1).trim());
    }
    return { headers, body };
}

function param(header: string | undefined, name: string): string | undefined {
    if (!header) return undefined;
    const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(header);
    return m ? (m[1] ?? m[2]) : undefined;
}

function decodeQuotedPrintable(s: string): Buffer {
    const soft = s.replace(/=\r?\n/g, "");
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
        const ch = soft[i];
        if (ch === "=" && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
            bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
            i += 2;
        } else {
            bytes.push(...Buffer.from(ch, "utf8"));
        }
    }
    return Buffer.from(bytes);
}

/** Does this text look like a MIME message (cloud-init's multipart user data)? */
export function isMime(text: string): boolean {
    return (
        /^(MIME-Version:|Content-Type:\s*multipart\/)/im.test(text.slice(0, 2048)) &&
        /content-type:\s*multipart\//i.test(text.slice(0, 4096))
    );
}

/** Splits a multipart message into parts (nested multiparts are flattened in order). */
export function splitMime(text: string, depth = 0): { parts: MimePart[]; truncated: boolean } {
    const { headers, body } = headerBlock(text);
    const ctype = headers.get("content-type") ?? "";
    const boundary = param(ctype, "boundary");
    if (!/^multipart\//i.test(ctype) || !boundary) {
        return { parts: [partFrom(headers, body)], truncated: false };
    }
    const delimiter = `--${boundary}`;
    const chunks = body.split(new RegExp(`^${delimiter.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(--)?[ \\t]*\\r?$`, "m"));
    // chunks[0] is the preamble; the last chunk after the closing delimiter is the epilogue.
    const parts: MimePart[] = [];
    let truncated = false;
    for (let i = 1; i < chunks.length; i++) {
        checkBudget();
        const chunk = chunks[i];
        if (chunk === undefined || chunk === "--") continue;
        const trimmed = chunk.replace(/^\r?\n/, "");
        if (trimmed.trim() === "" && i === chunks.length - 1) continue;
        if (parts.length >= LIMITS.maxParts) {
            truncated = true;
            break;
        }
        const ph = headerBlock(trimmed);
        const pct = ph.headers.get("content-type") ?? "text/plain";
        if (/^multipart\//i.test(pct) && depth < LIMITS.maxDepth) {
            const nested = splitMime(trimmed, depth + 1);
            parts.push(...nested.parts);
            truncated ||= nested.truncated;
        } else {
            parts.push(partFrom(ph.headers, ph.body));
        }
    }
    return { parts, truncated };
}

function partFrom(headers: Map<string, string>, body: string): MimePart {
    const contentType = (headers.get("content-type") ?? "text/plain").split(";")[0].trim().toLowerCase();
    const cte = (headers.get("content-transfer-encoding") ?? "").toLowerCase();
    const raw = body.replace(/\r?\n$/, "");
    const decoded =
        cte === "base64"
            ? Buffer.from(raw.replace(/\s+/g, ""), "base64")
            : cte === "quoted-printable"
              ? decodeQuotedPrintable(raw)
              : Buffer.from(raw, "utf8");
    const filename = param(headers.get("content-disposition"), "filename");
    return { contentType, body: decoded, filename };
}
