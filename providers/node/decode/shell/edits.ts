// In-place edits a script makes to files it (or the image) holds: `sed` scripts (a/i/c/d/s commands with line,
// `$` and /regex/ addresses) and `jq` assignment filters. Parsed by hand in one pass; applied to the text the
// edit targets. A sed regular expression is matched only when it is literal (optionally anchored with ^ and $):
// user-supplied patterns are never compiled into JavaScript regular expressions.
import { LIMITS } from "../../limits";
import { FileEdit, SedAddress, SedCommand, UNKNOWN_MARK } from "../../model";

/** A BRE/ERE pattern as literal text, or undefined when it uses operators (., *, [ ], groups, ...). */
export function literalPattern(
    p: string,
    extended: boolean,
): { text: string; start: boolean; end: boolean } | undefined {
    let start = false;
    let end = false;
    let i = 0;
    let j = p.length;
    if (p.startsWith("^")) {
        start = true;
        i = 1;
    }
    if (j > i && p[j - 1] === "$" && p[j - 2] !== "\\") {
        end = true;
        j--;
    }
    let out = "";
    for (; i < j; i++) {
        const c = p[i];
        if (c === "\\") {
            const n = p[i + 1];
            if (n === undefined) return undefined;
            if (n === "n") out += "\n";
            else if (n === "t") out += "\t";
            else if (/[A-Za-z0-9(){}|+?<>`'bBwWsS]/.test(n))
                return undefined; // \(, \{, \w, \b ...: operators
            else out += n;
            i++;
            continue;
        }
        if (c === "." || c === "*" || c === "[" || c === "^" || c === "$") return undefined;
        if (extended && "+?(){}|".includes(c)) return undefined;
        out += c;
    }
    return { text: out, start, end };
}

/** Reads one delimited field (s/…/…/ or /…/) from i; returns it and the index after its closing delimiter. */
function delimited(s: string, i: number, d: string): { text: string; end: number } | undefined {
    let out = "";
    for (; i < s.length; i++) {
        const c = s[i];
        if (c === "\\" && i + 1 < s.length) {
            out += s[i + 1] === d ? (d === "/" ? "\\/" : d) : c + s[i + 1];
            i++;
            continue;
        }
        if (c === d) return { text: out, end: i + 1 };
        if (c === "\n") return undefined;
        out += c;
    }
    return undefined;
}

function address(s: string, i: number, extended: boolean): { addr?: SedAddress; end: number } | undefined {
    const c = s[i];
    if (c === "$") return { addr: { kind: "last" }, end: i + 1 };
    if (c >= "0" && c <= "9") {
        let j = i;
        while (j < s.length && s[j] >= "0" && s[j] <= "9") j++;
        return { addr: { kind: "line", n: Number(s.slice(i, j)) }, end: j };
    }
    if (c === "/" || c === "\\") {
        const d = c === "/" ? "/" : s[i + 1];
        const f = delimited(s, c === "/" ? i + 1 : i + 2, d);
        if (!f) return undefined;
        const lit = literalPattern(f.text, extended);
        return {
            addr: {
                kind: "match",
                text: lit?.text ?? f.text,
                anchoredStart: lit?.start ?? false,
                anchoredEnd: lit?.end ?? false,
                literal: lit !== undefined,
            },
            end: f.end,
        };
    }
    return { end: i };
}

/** Parses a sed script into the commands the pack applies; others (p, n, y, ...) are skipped. */
export function parseSed(script: string, extended: boolean): SedCommand[] | undefined {
    const out: SedCommand[] = [];
    let i = 0;
    const s = script;
    while (i < s.length && out.length < 256) {
        while (
            i < s.length &&
            (s[i] === " " || s[i] === "\t" || s[i] === "\n" || s[i] === ";" || s[i] === "{" || s[i] === "}")
        )
            i++;
        if (i >= s.length) break;
        const a = address(s, i, extended);
        if (!a) return undefined;
        i = a.end;
        if (s[i] === ",") {
            const b = address(s, i + 1, extended);
            if (!b) return undefined;
            i = b.end;
        }
        while (s[i] === " " || s[i] === "!") i++;
        const cmd = s[i];
        i++;
        if (cmd === "a" || cmd === "i" || cmd === "c") {
            if (s[i] === "\\") {
                i++;
                if (s[i] === "\n") i++;
            }
            while (s[i] === " " || s[i] === "\t") i++;
            let nl = s.indexOf("\n", i);
            if (nl < 0) nl = s.length;
            out.push({ op: cmd, address: a.addr, text: s.slice(i, nl) });
            i = nl;
            continue;
        }
        if (cmd === "s") {
            const d = s[i];
            if (d === undefined || d === "\\" || d === "\n") return undefined;
            const pat = delimited(s, i + 1, d);
            if (!pat) return undefined;
            const rep = delimited(s, pat.end, d);
            if (!rep) return undefined;
            i = rep.end;
            let flags = "";
            while (i < s.length && s[i] !== ";" && s[i] !== "\n" && s[i] !== "}") flags += s[i++];
            const lit = literalPattern(pat.text, extended);
            const replacement = rep.text.replace(/\\(.)/g, (_, x: string) => (x === "n" ? "\n" : x));
            out.push({
                op: "s",
                address: a.addr,
                pattern: lit?.text ?? pat.text,
                replacement,
                global: flags.includes("g"),
                literal: lit !== undefined && !replacement.includes("&"),
            });
            continue;
        }
        if (cmd === "d") {
            out.push({ op: "c", address: a.addr, text: "\u0000delete" });
            continue;
        }
        // Other commands: skip to the end of the command.
        while (i < s.length && s[i] !== ";" && s[i] !== "\n") i++;
    }
    return out;
}

function matches(addr: SedAddress | undefined, line: string, n: number, last: boolean): boolean | undefined {
    if (!addr) return true;
    if (addr.kind === "line") return n === addr.n;
    if (addr.kind === "last") return last;
    if (!addr.literal) return undefined;
    if (addr.anchoredStart && addr.anchoredEnd) return line === addr.text;
    if (addr.anchoredStart) return line.startsWith(addr.text);
    if (addr.anchoredEnd) return line.endsWith(addr.text);
    return line.includes(addr.text);
}

/**
 * Applies sed commands to a text line by line. Where the pack cannot evaluate an address or pattern (a regular
 * expression), text the edit would insert is appended at the end instead, so flags it adds are still read.
 */
export function applySed(text: string, commands: SedCommand[]): string {
    const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
    const out: string[] = [];
    const tail: string[] = [];
    let size = 0;
    for (let idx = 0; idx < lines.length; idx++) {
        let cur: string | undefined = lines[idx];
        const after: string[] = [];
        const before: string[] = [];
        for (const c of commands) {
            if (cur === undefined) break;
            const m = matches(c.address, cur, idx + 1, idx === lines.length - 1);
            if (m === undefined) {
                if (idx === lines.length - 1 && (c.op !== "s" ? c.text !== "\u0000delete" : true))
                    tail.push(c.op === "s" ? c.replacement : c.text);
                continue;
            }
            if (!m) continue;
            if (c.op !== "s") {
                if (c.op === "a") after.push(c.text);
                else if (c.op === "i") before.push(c.text);
                else cur = c.text === "\u0000delete" ? undefined : c.text;
            } else if (!c.literal) {
                if (idx === lines.length - 1) tail.push(c.replacement);
            } else if (c.pattern !== "") {
                const { pattern, replacement } = c;
                cur = c.global ? cur.split(pattern).join(replacement) : cur.replace(pattern, () => replacement);
                // s/1/11/g repeated doubles a line each time: past the text limit the result is not known.
                if (cur.length > LIMITS.maxTextBytes) return UNKNOWN_MARK;
            }
        }
        size += (cur?.length ?? 0) + before.length + after.length;
        if (size > LIMITS.maxTextBytes) return UNKNOWN_MARK;
        out.push(...before);
        if (cur !== undefined) out.push(cur);
        out.push(...after);
    }
    return [...out, ...tail].join("\n") + "\n";
}

/** Text a sed edit adds (a/i/c text and s replacements), for files whose content the program did not write. */
export function sedInsertedText(commands: SedCommand[]): string[] {
    return commands.map((c) => (c.op === "s" ? c.replacement : c.text)).filter((t) => t !== "\u0000delete");
}

function skipSpace(s: string, i: number): number {
    while (i < s.length && (s[i] === " " || s[i] === "\t" || s[i] === "\n")) i++;
    return i;
}

/** `.a.b = 1 | .c["d"] = "x"` → [[["a","b"],1],[["c","d"],"x"]]; undefined when any part is not an assignment. */
export function parseJq(filter: string): [string[], unknown][] | undefined {
    const out: [string[], unknown][] = [];
    let i = 0;
    const s = filter;
    while (i < s.length) {
        i = skipSpace(s, i);
        if (s[i] !== ".") return out.length ? out : undefined;
        const path: string[] = [];
        while (s[i] === "." || s[i] === "[") {
            if (s[i] === ".") i++;
            if (s[i] === "[" || s[i] === '"') {
                const open = s[i] === "[";
                if (open) i++;
                if (s[i] !== '"') return undefined;
                const end = s.indexOf('"', i + 1);
                if (end < 0) return undefined;
                path.push(s.slice(i + 1, end));
                i = end + 1;
                if (open) {
                    if (s[i] !== "]") return undefined;
                    i++;
                }
                continue;
            }
            const st = i;
            while (i < s.length && /[A-Za-z0-9_-]/.test(s[i])) i++;
            if (i === st) break;
            path.push(s.slice(st, i));
        }
        i = skipSpace(s, i);
        if (s[i] === "|" && s[i + 1] === "=") i++;
        if (s[i] !== "=" || s[i + 1] === "=") return undefined;
        i = skipSpace(s, i + 1);
        // The value runs to the next top-level `|`.
        const st = i;
        let depth = 0;
        for (; i < s.length; i++) {
            const c = s[i];
            if (c === '"') {
                i++;
                while (i < s.length && s[i] !== '"') i += s[i] === "\\" ? 2 : 1;
                continue;
            }
            if (c === "[" || c === "{" || c === "(") depth++;
            else if (c === "]" || c === "}" || c === ")") depth--;
            else if (c === "|" && depth === 0) break;
        }
        const raw = s.slice(st, i).trim();
        let value: unknown;
        try {
            value = JSON.parse(raw);
        } catch {
            return undefined;
        }
        if (path.length) out.push([path, value]);
        if (s[i] === "|") i++;
    }
    return out;
}

/** Applies jq assignments to a JSON/YAML object (copied). */
export function applyJq(doc: unknown, assignments: [string[], unknown][]): Record<string, unknown> {
    const root: Record<string, unknown> =
        typeof doc === "object" && doc !== null && !Array.isArray(doc)
            ? (structuredClone(doc) as Record<string, unknown>)
            : {};
    for (const [path, value] of assignments) {
        let cur = root;
        path.forEach((k, idx) => {
            if (idx === path.length - 1) {
                cur[k] = value;
                return;
            }
            if (typeof cur[k] !== "object" || cur[k] === null || Array.isArray(cur[k])) cur[k] = {};
            cur = cur[k] as Record<string, unknown>;
        });
    }
    return root;
}

/**
 * `"readOnlyPort": 10255` or `readOnlyPort: 10255` in text an edit inserts into a config file whose content the
 * program did not write → [["readOnlyPort"], 10255] (top-level fields with scalar values; one pass, no regex).
 */
export function fieldAssignments(texts: string[]): [string[], unknown][] {
    const out: [string[], unknown][] = [];
    for (const t of texts) {
        for (const piece of t.split(",")) {
            const colon = piece.indexOf(":");
            if (colon < 0) continue;
            const key = piece.slice(0, colon).trim().replace(/^"|"$/g, "");
            if (!/^[A-Za-z]{1,64}$/.test(key)) continue;
            let raw = piece.slice(colon + 1).trim();
            let e = raw.length;
            while (e > 0 && (raw[e - 1] === "}" || raw[e - 1] === "]")) e--;
            raw = raw.slice(0, e).trim();
            try {
                const v = JSON.parse(raw);
                if (typeof v !== "object") out.push([[key], v]);
            } catch {
                continue;
            }
        }
    }
    return out;
}

/** Applies an edit to text the program wrote: sed to the lines, jq to the parsed JSON. */
export function applyEdit(content: string, edit: FileEdit, parse: (text: string) => unknown): string {
    if (edit.kind === "sed") return applySed(content, edit.commands);
    let doc: unknown;
    try {
        doc = JSON.parse(content);
    } catch {
        doc = parse(content);
    }
    return JSON.stringify(applyJq(doc, edit.assignments), null, 2);
}
