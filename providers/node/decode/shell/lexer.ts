// A POSIX shell lexer in one pass: words (literal, single/double/ANSI-C quoted parts, `$VAR`, `${VAR}`,
// `${VAR:-word}`, `$( )` and backquote substitutions), operators, redirections and heredoc bodies (read at
// the end of their line, as the shell does). Backslash-newline continuations are removed as they are met, so
// a long continued line costs its length once. No regular expression runs on the script.
//
// Why not a library: shell-quote (a dependency) splits one command line with a regular-expression chunker
// and knows no newlines, heredocs, `$( )` or reserved words; mvdan-sh is deprecated in favour of sh-syntax,
// whose WebAssembly parser is asynchronous (providers are synchronous) and 1.2 MB. The grammar the pack needs
// (which commands run, with which words, writing which files) is this lexer plus the interpreter beside it.
import { checkBudget } from "../../../budget";

export type Part =
    /** `q`: quoted, so not split into fields. */
    | { k: "lit"; v: string; q: boolean }
    | { k: "var"; name: string; q: boolean; alt?: { op: string; word: Part[] } }
    | { k: "sub"; script: string; q: boolean }
    /** An expansion the pack does not evaluate ($(( )), ${#x}, ${x%y}, ...): its value is unknown. */
    | { k: "opaque"; q: boolean };

export interface Word {
    parts: Part[];
    line: number;
}

export interface Heredoc {
    body: Part[];
    quoted: boolean;
    strip: boolean;
    delimiter?: string;
}

export type Token =
    | { t: "word"; w: Word }
    | { t: "op"; op: string; line: number }
    | { t: "redir"; op: string; fd?: number; line: number; heredoc?: Heredoc };

export interface Lexed {
    tokens: Token[];
    truncated: boolean;
}

const OPS2 = ["&&", "||", ";;", "|&", ">>", ">|", ">&", "<&", "<>", "&>"];

// Scans for the next character that matters are single character classes run by the regular expression engine, which
// is native code however cold the lexer is (a script is often lexed once per process): linear, no backtracking.
/** The next character the lexer's loop treats specially inside a word (a `#` inside a word is a literal). */
const SPECIAL = /[ \t\r\n\\'"$`<>&;|()]/g;
/** The next character that is not a blank. */
const NOT_BLANK = /[^ \t\r]/g;
/** The next character that matters inside double quotes. */
const IN_DOUBLE_QUOTES = /["\\$`]/g;
/** The next character that matters in text read as inside double quotes (no closing quote). */
const IN_TEXT = /[\\$`]/g;

/** The index of the next match of `re` (a global single-character class) at or after `from`; `s.length` if none. */
function nextOf(re: RegExp, s: string, from: number): number {
    re.lastIndex = from;
    const m = re.exec(s);
    return m ? m.index : s.length;
}

/** Newlines in s[from, to). */
function newlines(s: string, from: number, to: number): number {
    let n = 0;
    for (let k = s.indexOf("\n", from); k >= 0 && k < to; k = s.indexOf("\n", k + 1)) n++;
    return n;
}

function isNameStart(c: number): boolean {
    return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
    return isNameStart(c) || (c >= 48 && c <= 57);
}

export function isName(s: string): boolean {
    if (s.length === 0 || !isNameStart(s.charCodeAt(0))) return false;
    for (let i = 1; i < s.length; i++) if (!isNameChar(s.charCodeAt(i))) return false;
    return true;
}

/** Index of the `)` closing a `(` whose content starts at i, skipping quotes; -1 when unterminated. */
function matchParen(s: string, i: number): number {
    let depth = 1;
    while (i < s.length) {
        const c = s[i];
        if (c === "\\") {
            i += 2;
            continue;
        }
        if (c === "'") {
            const j = s.indexOf("'", i + 1);
            if (j < 0) return -1;
            i = j + 1;
            continue;
        }
        if (c === '"') {
            i++;
            while (i < s.length && s[i] !== '"') i += s[i] === "\\" ? 2 : 1;
            i++;
            continue;
        }
        if (c === "(") depth++;
        else if (c === ")" && --depth === 0) return i;
        i++;
    }
    return -1;
}

/** Index of the `}` closing a `${` whose content starts at i; -1 when unterminated. */
function matchBrace(s: string, i: number): number {
    let depth = 1;
    while (i < s.length) {
        const c = s[i];
        if (c === "\\") {
            i += 2;
            continue;
        }
        if (c === "{") depth++;
        else if (c === "}" && --depth === 0) return i;
        else if (c === "\n") return -1;
        i++;
    }
    return -1;
}

const ALT_OPS = [":-", ":=", ":+", ":?", "-", "=", "+", "?"];

/**
 * Reads a `$` expansion at s[i] === "$". Returns the part and the index after it, or undefined when the `$` is
 * literal (followed by nothing a shell expands).
 */
function dollar(s: string, i: number, q: boolean, depth = 0): { part: Part; end: number } | undefined {
    const n = s[i + 1];
    if (n === "(") {
        if (s[i + 2] === "(") {
            const close = matchParen(s, i + 3);
            if (close < 0) return { part: { k: "opaque", q }, end: s.length };
            return { part: { k: "opaque", q }, end: Math.min(s.length, close + 2) };
        }
        const close = matchParen(s, i + 2);
        if (close < 0) return { part: { k: "opaque", q }, end: s.length };
        return { part: { k: "sub", script: s.slice(i + 2, close), q }, end: close + 1 };
    }
    if (n === "{") {
        const close = matchBrace(s, i + 2);
        // An unterminated `${` is a syntax error to the shell: the rest of the line is read as literal text (so a
        // line of many `${` costs its length once, not once per `${`).
        if (close < 0) {
            const nl = s.indexOf("\n", i);
            const end = nl < 0 ? s.length : nl;
            return { part: { k: "lit", v: s.slice(i, end), q }, end };
        }
        const body = s.slice(i + 2, close);
        let j = 0;
        while (j < body.length && isNameChar(body.charCodeAt(j))) j++;
        const name = body.slice(0, j);
        if (j === body.length && isName(name)) return { part: { k: "var", name, q }, end: close + 1 };
        if (isName(name)) {
            const rest = body.slice(j);
            const op = ALT_OPS.find((o) => rest.startsWith(o));
            if (op && !op.includes("?") && depth < 4) {
                return {
                    part: {
                        k: "var",
                        name,
                        q,
                        alt: { op, word: wordParts(rest.slice(op.length), q, false, depth + 1) },
                    },
                    end: close + 1,
                };
            }
        }
        return { part: { k: "opaque", q }, end: close + 1 };
    }
    if (n === "'" && !q) {
        let j = i + 2;
        let v = "";
        while (j < s.length && s[j] !== "'") {
            if (s[j] === "\\" && j + 1 < s.length) {
                const e = s[j + 1];
                v += e === "n" ? "\n" : e === "t" ? "\t" : e;
                j += 2;
            } else v += s[j++];
        }
        return { part: { k: "lit", v, q: true }, end: Math.min(s.length, j + 1) };
    }
    if (n !== undefined && isNameStart(n.charCodeAt(0))) {
        let j = i + 1;
        while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
        return { part: { k: "var", name: s.slice(i + 1, j), q }, end: j };
    }
    if (n !== undefined && "0123456789@*#?$!-".includes(n)) return { part: { k: "opaque", q }, end: i + 2 };
    return undefined;
}

/** Parts of a text read as inside double quotes (heredoc bodies, `${x:-word}` words). */
export function wordParts(s: string, q: boolean, heredoc = false, depth = 0): Part[] {
    const parts: Part[] = [];
    let lit = "";
    const flush = () => {
        if (lit) {
            parts.push({ k: "lit", v: lit, q });
            lit = "";
        }
    };
    for (let i = 0; i < s.length;) {
        const c = s[i];
        if (c === "\\" && i + 1 < s.length) {
            const e = s[i + 1];
            if (e === "\n") {
                i += 2;
                continue;
            }
            if (e === "$" || e === "`" || e === "\\" || (!heredoc && e === '"')) {
                lit += e;
                i += 2;
                continue;
            }
            lit += c;
            i++;
            continue;
        }
        if (c === "$") {
            const d = dollar(s, i, q, depth);
            if (d) {
                flush();
                parts.push(d.part);
                i = d.end;
                continue;
            }
        }
        if (c === "`") {
            const j = s.indexOf("`", i + 1);
            flush();
            if (j < 0) {
                parts.push({ k: "opaque", q });
                break;
            }
            parts.push({ k: "sub", script: s.slice(i + 1, j), q });
            i = j + 1;
            continue;
        }
        const j = nextOf(IN_TEXT, s, i + 1);
        lit += j === i + 1 ? c : s.slice(i, j);
        i = j;
    }
    flush();
    return parts;
}

/** Lexes a script; stops (truncated) after `maxLines` physical lines or `maxTokens` tokens. */
export function lex(s: string, maxLines: number, maxTokens: number, maxWords = 4096): Lexed {
    const tokens: Token[] = [];
    /** Words since the last operator: one command keeps at most maxWords (the rest is scanned, not kept). */
    let words = 0;
    let parts: Part[] = [];
    let lit = "";
    let litQuoted = false;
    let line = 1;
    let wordLine = 1;
    let inWord = false;
    const pending: { tok: Token & { t: "redir" }; strip: boolean }[] = [];
    let awaitingDelimiter: { tok: Token & { t: "redir" }; strip: boolean } | undefined;
    let truncated = false;

    const flushLit = () => {
        if (lit !== "" || litQuoted) {
            parts.push({ k: "lit", v: lit, q: litQuoted });
            lit = "";
            litQuoted = false;
        }
    };
    const endWord = () => {
        flushLit();
        if (!inWord) return;
        inWord = false;
        const w: Word = { parts, line: wordLine };
        parts = [];
        if (awaitingDelimiter) {
            const quoted = w.parts.some((p) => p.q);
            const delimiter = w.parts.map((p) => (p.k === "lit" ? p.v : p.k === "var" ? `$${p.name}` : "")).join("");
            awaitingDelimiter.tok.heredoc = { body: [], quoted, strip: awaitingDelimiter.strip, delimiter };
            pending.push(awaitingDelimiter);
            awaitingDelimiter = undefined;
            return;
        }
        if (++words > maxWords) {
            truncated = true;
            return;
        }
        tokens.push({ t: "word", w });
    };
    const startWord = () => {
        if (!inWord) {
            inWord = true;
            wordLine = line;
        }
    };
    const addLit = (v: string, q: boolean) => {
        startWord();
        if (q !== litQuoted && lit !== "") flushLit();
        litQuoted = q;
        lit += v;
    };

    let i = 0;
    while (i < s.length) {
        checkBudget();
        if (tokens.length >= maxTokens || line > maxLines) {
            truncated = true;
            break;
        }
        const c = s[i];
        if (c === " " || c === "\t" || c === "\r") {
            endWord();
            i = nextOf(NOT_BLANK, s, i + 1);
            continue;
        }
        if (c === "\n") {
            endWord();
            words = 0;
            tokens.push({ t: "op", op: "\n", line });
            line++;
            i++;
            // Heredoc bodies start on the line after their operator.
            if (pending.length > 0)
                for (const h of pending.splice(0)) {
                    const delim = h.tok.heredoc!.delimiter ?? "";
                    const body: string[] = [];
                    while (i < s.length) {
                        let end = s.indexOf("\n", i);
                        if (end < 0) end = s.length;
                        let l = s.slice(i, end);
                        if (l.endsWith("\r")) l = l.slice(0, -1);
                        i = Math.min(s.length, end + 1);
                        line++;
                        if (h.strip) {
                            let k = 0;
                            while (l[k] === "\t") k++;
                            l = l.slice(k);
                        }
                        if (l === delim) break;
                        body.push(l);
                        if (line > maxLines) {
                            truncated = true;
                            break;
                        }
                    }
                    const text = body.length ? body.join("\n") + "\n" : "";
                    h.tok.heredoc!.body = h.tok.heredoc!.quoted
                        ? [{ k: "lit", v: text, q: true }]
                        : wordParts(text, true, true);
                }
            continue;
        }
        if (c === "#" && !inWord) {
            const j = s.indexOf("\n", i);
            i = j < 0 ? s.length : j;
            continue;
        }
        if (c === "\\") {
            if (s[i + 1] === "\n") {
                i += 2;
                line++;
                continue;
            }
            if (s[i + 1] === "\r" && s[i + 2] === "\n") {
                i += 3;
                line++;
                continue;
            }
            if (i + 1 < s.length) addLit(s[i + 1], true);
            i += 2;
            continue;
        }
        if (c === "'") {
            const j = s.indexOf("'", i + 1);
            const end = j < 0 ? s.length : j;
            const v = s.slice(i + 1, end);
            line += newlines(v, 0, v.length);
            addLit(v, true);
            i = end + 1;
            continue;
        }
        if (c === '"') {
            let j = nextOf(IN_DOUBLE_QUOTES, s, i + 1);
            while (j < s.length && s[j] !== '"') {
                if (s[j] === "\\") j++;
                else if (s[j] === "$" && s[j + 1] === "(") {
                    const close = matchParen(s, j + 2);
                    j = close < 0 ? s.length : close;
                } else if (s[j] === "`") {
                    const close = s.indexOf("`", j + 1);
                    j = close < 0 ? s.length : close;
                }
                j++;
                if (j < s.length) j = nextOf(IN_DOUBLE_QUOTES, s, j);
            }
            const inner = s.slice(i + 1, Math.min(j, s.length));
            line += newlines(inner, 0, inner.length);
            startWord();
            flushLit();
            const ps = wordParts(inner, true);
            parts.push(...(ps.length ? ps : [{ k: "lit", v: "", q: true } as Part]));
            i = j + 1;
            continue;
        }
        if (c === "$") {
            const d = dollar(s, i, false);
            if (d) {
                startWord();
                flushLit();
                parts.push(d.part);
                line += newlines(s, i, Math.min(d.end, s.length));
                i = d.end;
                continue;
            }
            addLit(c, false);
            i++;
            continue;
        }
        if (c === "`") {
            const j = s.indexOf("`", i + 1);
            startWord();
            flushLit();
            if (j < 0) {
                parts.push({ k: "opaque", q: false });
                i = s.length;
                continue;
            }
            parts.push({ k: "sub", script: s.slice(i + 1, j), q: false });
            i = j + 1;
            continue;
        }
        if (c === "<" || c === ">" || (c === "&" && s[i + 1] === ">")) {
            // A word of digits right before a redirection is its file descriptor (2>/dev/null).
            let fd: number | undefined;
            if (inWord && parts.length === 0 && lit !== "" && !litQuoted && /^\d{1,2}$/.test(lit)) {
                fd = Number(lit);
                lit = "";
                inWord = false;
            }
            endWord();
            let op = c;
            if (s.startsWith("<<<", i)) op = "<<<";
            else if (s.startsWith("<<-", i)) op = "<<-";
            else if (s.startsWith("&>>", i)) op = "&>>";
            else {
                const two = s.slice(i, i + 2);
                if (two === "<<" || OPS2.includes(two)) op = two;
            }
            const tok: Token & { t: "redir" } = { t: "redir", op, fd, line };
            tokens.push(tok);
            if (op === "<<" || op === "<<-") awaitingDelimiter = { tok, strip: op === "<<-" };
            i += op.length;
            continue;
        }
        if (c === ";" || c === "&" || c === "|" || c === "(" || c === ")") {
            endWord();
            words = 0;
            const two = s.slice(i, i + 2);
            const op = OPS2.includes(two) ? two : c;
            tokens.push({ t: "op", op, line });
            i += op.length;
            continue;
        }
        // A run of characters with no meaning to the lexer is one slice of the script, not one string per character.
        const j = nextOf(SPECIAL, s, i + 1);
        addLit(j === i + 1 ? c : s.slice(i, j), false);
        i = j;
    }
    endWord();
    return { tokens, truncated };
}
