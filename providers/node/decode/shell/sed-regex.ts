// sed's regular expressions (POSIX BRE, or ERE with -E/-r, with the GNU extensions `\+ \? \|`, `\w \s \b`)
// evaluated by re2js, a port of RE2: matching is linear in the text whatever the pattern, so a user's pattern
// never runs in a backtracking engine. A pattern is translated to RE2 syntax first (GNU sed manual, "BRE
// syntax" and "ERE syntax"); what RE2 cannot express (back-references `\1` in a pattern, word boundaries `\<`
// `\>`, case conversion `\U` in a replacement) is reported as not understood, and the edit's result is unknown.
import { RE2JS } from "re2js";
import { checkBudget } from "../../../budget";

/** Longest pattern compiled; a longer one is not understood (compile cost grows with its size). */
export const MAX_SED_PATTERN = 512;

const RE2_SPECIAL = "\\.+*?()|[]{}^$";

/** A sed pattern in RE2 syntax, or undefined when it uses what RE2 cannot express or is malformed. */
export function toRe2(p: string, extended: boolean): string | undefined {
    if (p.length > MAX_SED_PATTERN) return undefined;
    let out = "";
    // In a BRE, `*` at the start of the pattern or of a group, and `^`/`$` away from the ends, are literal.
    const atStart = () => out === "" || out === "^" || out.endsWith("(") || out.endsWith("|");
    for (let i = 0; i < p.length; i++) {
        const c = p[i];
        if (c === "[") {
            const cls = bracket(p, i);
            if (!cls) return undefined;
            out += cls.text;
            i = cls.end;
            continue;
        }
        if (c === "\\") {
            const n = p[++i];
            if (n === undefined) return undefined;
            if (!extended && n === "{" && !smallInterval(p, i + 1)) return undefined;
            if (!extended && "(){}+?|".includes(n)) out += n;
            else if (n === "n") out += "\\n";
            else if (n === "t") out += "\\t";
            else if ("wWsSbB".includes(n)) out += `\\${n}`;
            else if (/[A-Za-z0-9<>`']/.test(n))
                return undefined; // back-references, \< \>, \` \', unknown escapes
            else out += RE2_SPECIAL.includes(n) ? `\\${n}` : n;
            continue;
        }
        if (extended && c === "{" && !smallInterval(p, i + 1)) return undefined;
        if (!extended && "(){}+?|".includes(c)) out += `\\${c}`;
        else if (!extended && c === "*" && atStart()) out += "\\*";
        else if (!extended && c === "^" && i > 0 && !atStart()) out += "\\^";
        else if (!extended && c === "$" && i < p.length - 1 && !(p[i + 1] === "\\" && ")|".includes(p[i + 2])))
            out += "\\$";
        else out += c;
    }
    return out;
}

/** Largest count in an interval `{n,m}`: RE2 unrolls a repetition, so large counts make a large program. */
export const MAX_SED_REPEAT = 100;

function smallInterval(p: string, i: number): boolean {
    let n = "";
    for (; i < p.length && n.length < 8; i++) {
        const c = p[i];
        if (c >= "0" && c <= "9") n += c;
        else if (c === ",") {
            if (Number(n) > MAX_SED_REPEAT) return false;
            n = "";
        } else break;
    }
    return Number(n) <= MAX_SED_REPEAT && n.length < 8;
}

/** A bracket expression from `[` at i: backslash is literal inside (POSIX), classes `[:alpha:]` kept. */
function bracket(p: string, i: number): { text: string; end: number } | undefined {
    let j = i + 1;
    let text = "[";
    if (p[j] === "^") {
        text += "^";
        j++;
    }
    if (p[j] === "]") {
        text += "\\]";
        j++;
    }
    for (; j < p.length; j++) {
        const c = p[j];
        if (c === "]") return { text: text + "]", end: j };
        if (c === "[" && (p[j + 1] === ":" || p[j + 1] === "." || p[j + 1] === "=")) {
            if (p[j + 1] !== ":") return undefined; // collating symbols and equivalence classes
            const close = p.indexOf(":]", j + 2);
            if (close < 0) return undefined;
            text += p.slice(j, close + 2);
            j = close + 1;
            continue;
        }
        if (c === "\\") {
            // GNU sed reads \n, \t and \\ in brackets too; any other backslash is itself.
            const n = p[j + 1];
            if (n === "n" || n === "t") {
                text += `\\${n}`;
                j++;
            } else if (n === "\\") {
                text += "\\\\";
                j++;
            } else text += "\\\\";
            continue;
        }
        text += c === "[" ? "\\[" : c;
    }
    return undefined;
}

const compiled = new Map<string, RE2JS | null>();

/** The compiled pattern (cached), or undefined when it cannot be compiled. */
export function sedMatcher(source: string, icase: boolean): RE2JS | undefined {
    const key = `${icase ? "i" : "-"}${source}`;
    let re = compiled.get(key);
    if (re === undefined) {
        try {
            re = RE2JS.compile(source, (icase ? RE2JS.CASE_INSENSITIVE : 0) | RE2JS.LONGEST_MATCH);
        } catch {
            re = null;
        }
        if (compiled.size > 256) compiled.clear();
        compiled.set(key, re);
    }
    return re ?? undefined;
}

/** One piece of an s replacement: text, or a group (0 for `&`). */
export type ReplacementPart = string | number;

/** The replacement of `s/…/REPLACEMENT/`, or undefined for case conversion (`\U \L \u \l \E`) and others. */
export function parseReplacement(r: string): ReplacementPart[] | undefined {
    const out: ReplacementPart[] = [];
    let text = "";
    const flush = () => {
        if (text) out.push(text);
        text = "";
    };
    for (let i = 0; i < r.length; i++) {
        const c = r[i];
        if (c === "&") {
            flush();
            out.push(0);
            continue;
        }
        if (c !== "\\") {
            text += c;
            continue;
        }
        const n = r[++i];
        if (n === undefined) text += "\\";
        else if (n >= "0" && n <= "9") {
            flush();
            out.push(Number(n));
        } else if (n === "n") text += "\n";
        else if (n === "t") text += "\t";
        else if ("ULulE".includes(n)) return undefined;
        else text += n;
    }
    flush();
    return out;
}

/** The text an RE2 source matches when it has no operators (the common `s/old/new/`), else undefined. */
function literalOf(source: string): string | undefined {
    let out = "";
    for (let i = 0; i < source.length; i++) {
        const c = source[i];
        if (c === "\\") {
            const n = source[++i];
            if (n === undefined || !RE2_SPECIAL.includes(n)) return undefined; // \n \t \w ...
            out += n;
        } else if (RE2_SPECIAL.includes(c)) return undefined;
        else out += c;
    }
    return out === "" ? undefined : out;
}

/** An `s` command ready to run: its compiled pattern, and a string search when the pattern is plain text. */
export interface Substitution {
    re: RE2JS;
    template: ReplacementPart[];
    global: boolean;
    nth: number;
    /** A pattern without operators (the common `s/old/new/`) and a replacement of text and `&` only, as strings. */
    literal?: { find: string; text: string };
}

/** Prepares `s/source/template/` once for every line it runs on; undefined when the pattern cannot be compiled. */
export function substitution(
    source: string,
    icase: boolean,
    template: ReplacementPart[],
    global: boolean,
    nth: number,
): Substitution | undefined {
    const re = sedMatcher(source, icase);
    if (!re) return undefined;
    const find = icase ? undefined : literalOf(source);
    const literal =
        find !== undefined && template.every((p) => typeof p === "string" || p === 0)
            ? { find, text: template.map((p) => (p === 0 ? find : p)).join("") }
            : undefined;
    return { re, template, global, nth, literal };
}

/** Applies `s` to one line: the first match, the nth, or every one (`g`), matches not overlapping. */
export function substitute(line: string, s: Substitution): string {
    const { re, template, global, nth, literal } = s;
    if (literal) {
        const { find, text } = literal;
        if (global && nth === 1) return line.split(find).join(text);
        let at = -1;
        for (let k = 0; k < nth; k++) {
            at = line.indexOf(find, at < 0 ? 0 : at + find.length);
            if (at < 0) return line;
        }
        if (!global) return line.slice(0, at) + text + line.slice(at + find.length);
        return line.slice(0, at) + line.slice(at).split(find).join(text);
    }
    const m = re.matcher(line);
    let out = "";
    let last = 0;
    let count = 0;
    while (last <= line.length && m.find()) {
        if ((++count & 4095) === 0) checkBudget();
        if (count >= nth) {
            out += line.slice(last, m.start());
            for (const part of template) out += typeof part === "number" ? (m.group(part) ?? "") : part;
            last = m.end();
            if (!global) break;
        }
        if (count > line.length + 1) break;
    }
    return count >= nth ? out + line.slice(last) : line;
}
