// In-place edits a script makes to files it (or the image) holds: `sed` scripts (sed.ts: s/a/i/c/d with line, `$`
// and /regex/ addresses, ranges, `!`, blocks; patterns run by a linear-time engine, never by JavaScript's
// backtracking RegExp) and `jq` assignment filters (parsed by hand in one pass). Applied to the text they edit.
import type { FileEdit } from "../../model";
import { applySed } from "./sed";

export { applySed, parseSed, sedInsertedText } from "./sed";

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
