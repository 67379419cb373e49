// `sed` scripts as GNU sed runs them on a file (GNU sed manual: "sed scripts", "Addresses", "The s command"):
// commands `s`, `a`, `i`, `c`, `d`; addresses by line number, `$` and /regex/ (regex via sed-regex.ts, linear
// time), ranges `A,B`, negation `!`, and `{ … }` blocks. A command the pack does not model (`n`, `N`, `p`, `y`,
// `q`, `r`, hold space, branches, …) makes the whole script not understood: the edited file's content is then
// unknown (one advisory), never the text it had before the edit.
import { checkBudget } from "../../../budget";
import { LIMITS } from "../../limits";
import { UNKNOWN_MARK } from "../../model";
import { RE2JS } from "re2js";
import {
    ReplacementPart,
    Substitution,
    parseReplacement,
    sedMatcher,
    substitute,
    substitution,
    toRe2,
} from "./sed-regex";

export type SedAddress =
    { kind: "line"; n: number } | { kind: "last" } | { kind: "match"; source: string; icase: boolean };

/** Which lines a command (or a block holding it) applies to. */
export interface SedSelect {
    from: SedAddress;
    to?: SedAddress;
    negate: boolean;
}

export type SedCommand =
    | { op: "a" | "i" | "c"; select: SedSelect[]; text: string }
    | { op: "d"; select: SedSelect[] }
    | {
          op: "s";
          select: SedSelect[];
          source: string;
          icase: boolean;
          template: ReplacementPart[];
          /** The replacement's literal text (`&` and groups dropped), for files whose content is not known. */
          replacement: string;
          global: boolean;
          nth: number;
      };

/**
 * Reads one delimited field (s/…/…/ or /…/) from i. `\` before the delimiter stands for the delimiter character
 * itself, then read with its usual meaning (GNU sed: in `s|a\|b|x|` the `|` is a literal in a BRE).
 */
function delimited(s: string, i: number, d: string): { text: string; end: number } | undefined {
    let out = "";
    for (; i < s.length; i++) {
        const c = s[i];
        if (c === "\\" && i + 1 < s.length) {
            out += s[i + 1] === d ? d : c + s[i + 1];
            i++;
            continue;
        }
        if (c === d) return { text: out, end: i + 1 };
        if (c === "\n") return undefined;
        out += c;
    }
    return undefined;
}

function address(
    s: string,
    i: number,
    extended: boolean,
): { addr?: SedAddress; end: number } | undefined | "unsupported" {
    const c = s[i];
    if (c === "$") return { addr: { kind: "last" }, end: i + 1 };
    if (c >= "0" && c <= "9") {
        let j = i;
        while (j < s.length && s[j] >= "0" && s[j] <= "9") j++;
        if (s[j] === "~") return "unsupported"; // first~step
        return { addr: { kind: "line", n: Number(s.slice(i, j)) }, end: j };
    }
    if (c === "/" || c === "\\") {
        const d = c === "/" ? "/" : s[i + 1];
        const f = delimited(s, c === "/" ? i + 1 : i + 2, d);
        if (!f) return undefined;
        let end = f.end;
        let icase = false;
        while (s[end] === "I" || s[end] === "M") {
            if (s[end] === "M") return "unsupported";
            icase = true;
            end++;
        }
        const source = toRe2(f.text, extended);
        if (source === undefined || !sedMatcher(source, icase)) return "unsupported";
        return { addr: { kind: "match", source, icase }, end };
    }
    return { end: i };
}

const SPACE = (c: string | undefined) => c === " " || c === "\t";

/**
 * Parses a sed script; undefined when it is malformed or uses a command the pack does not model (the caller then
 * treats the edited file as unknown).
 */
export function parseSed(script: string, extended: boolean): SedCommand[] | undefined {
    const out: SedCommand[] = [];
    const blocks: SedSelect[][] = [[]];
    let i = 0;
    const s = script;
    if (s.startsWith("#n\n") || s === "#n") return undefined; // #n on the first line is -n
    while (i < s.length) {
        if (out.length >= 256) return undefined;
        while (i < s.length && (SPACE(s[i]) || s[i] === "\n" || s[i] === ";")) i++;
        if (i >= s.length) break;
        if (s[i] === "#") {
            while (i < s.length && s[i] !== "\n") i++;
            continue;
        }
        if (s[i] === "}") {
            if (blocks.length < 2) return undefined;
            blocks.pop();
            i++;
            continue;
        }
        const a = address(s, i, extended);
        if (!a || a === "unsupported") return undefined;
        i = a.end;
        let to: SedAddress | undefined;
        if (s[i] === ",") {
            if (!a.addr) return undefined;
            const b = address(s, i + 1, extended);
            if (!b || b === "unsupported" || !b.addr) return undefined;
            to = b.addr;
            i = b.end;
        }
        while (SPACE(s[i])) i++;
        let negate = false;
        while (s[i] === "!" || SPACE(s[i])) {
            if (s[i] === "!") negate = true;
            i++;
        }
        const own: SedSelect[] = a.addr ? [{ from: a.addr, to, negate }] : [];
        const select = [...blocks[blocks.length - 1], ...own];
        const cmd = s[i++];
        if (cmd === "{") {
            blocks.push(select);
            continue;
        }
        if (cmd === "a" || cmd === "i" || cmd === "c") {
            if (cmd === "c" && (to || negate)) return undefined; // c on a range prints once, at its end
            if (s[i] === "\\") {
                i++;
                if (s[i] === "\n") i++;
            }
            while (SPACE(s[i])) i++;
            let nl = s.indexOf("\n", i);
            if (nl < 0) nl = s.length;
            out.push({ op: cmd, select, text: s.slice(i, nl) });
            i = nl;
            continue;
        }
        if (cmd === "d") {
            out.push({ op: "d", select });
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
            let global = false;
            let icase = false;
            let nth = 1;
            for (; i < s.length && s[i] !== ";" && s[i] !== "\n" && s[i] !== "}"; i++) {
                const f = s[i];
                if (f === "g") global = true;
                else if (f === "I" || f === "i") icase = true;
                else if (f >= "0" && f <= "9") {
                    let j = i;
                    while (s[j] >= "0" && s[j] <= "9") j++;
                    nth = Number(s.slice(i, j));
                    i = j - 1;
                } else if (f === "w") {
                    // `w FILE` writes matching lines elsewhere; the edited file is unchanged by it.
                    while (i < s.length && s[i] !== "\n") i++;
                    break;
                } else if (!SPACE(f)) return undefined; // p (duplicates lines), e, m/M
            }
            const source = toRe2(pat.text, extended);
            const template = parseReplacement(rep.text);
            const re = source === undefined ? undefined : sedMatcher(source, icase);
            if (source === undefined || !re || !template || nth < 1) return undefined;
            if (template.some((p) => typeof p === "number" && p > re.groupCount())) return undefined;
            const replacement = template.filter((p): p is string => typeof p === "string").join("");
            out.push({ op: "s", select, source, icase, template, replacement, global, nth });
            continue;
        }
        return undefined; // n N p P y q Q r R w W h H g G x b t T : = l e F z D
    }
    return blocks.length === 1 ? out : undefined;
}

/** One run of a script over a text: compiled patterns looked up once, range states across lines. */
interface Run {
    matchers: Map<SedAddress, RE2JS | undefined>;
    subs: Map<SedCommand, Substitution | undefined>;
    open: Map<SedSelect, boolean>;
}

function matches(run: Run, addr: SedAddress, line: string, n: number, last: boolean): boolean {
    if (addr.kind === "line") return n === addr.n;
    if (addr.kind === "last") return last;
    let re = run.matchers.get(addr);
    if (re === undefined && !run.matchers.has(addr)) run.matchers.set(addr, (re = sedMatcher(addr.source, addr.icase)));
    return re?.matcher(line).find() ?? false;
}

/** Whether a line is selected; ranges keep their state in `run.open` across lines (GNU sed "Range Addresses"). */
function selected(run: Run, sel: SedSelect, line: string, n: number, last: boolean): boolean {
    const open = run.open;
    let hit: boolean;
    if (!sel.to) hit = matches(run, sel.from, line, n, last);
    else if (open.get(sel)) {
        hit = true;
        const to = sel.to;
        if (to.kind === "line" ? n >= to.n : matches(run, to, line, n, last)) open.set(sel, false);
    } else if (matches(run, sel.from, line, n, last)) {
        hit = true;
        // A line-number end at or before the start line selects that line only; a regex end is looked for after it.
        const to = sel.to;
        const ends = to.kind === "line" ? to.n <= n : to.kind === "last" ? last : false;
        open.set(sel, !ends);
    } else hit = false;
    return sel.negate ? !hit : hit;
}

/** Applies sed commands to a text line by line, as `sed -i` rewrites the file. */
export function applySed(text: string, commands: SedCommand[]): string {
    const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
    const out: string[] = [];
    const run: Run = { matchers: new Map(), subs: new Map(), open: new Map() };
    for (const c of commands)
        if (c.op === "s") {
            const sub = substitution(c.source, c.icase, c.template, c.global, c.nth);
            if (!sub) return UNKNOWN_MARK;
            run.subs.set(c, sub);
        }
    // A block's select is shared by its commands: decided once per line, so a range moves once per line.
    const decided = new Map<SedSelect, boolean>();
    let size = 0;
    for (let idx = 0; idx < lines.length; idx++) {
        let cur: string | undefined = lines[idx];
        const n = idx + 1;
        const last = idx === lines.length - 1;
        const after: string[] = [];
        const before: string[] = [];
        decided.clear();
        checkBudget();
        for (const c of commands) {
            if (cur === undefined) break;
            let on = true;
            for (const sel of c.select) {
                let hit = decided.get(sel);
                if (hit === undefined) decided.set(sel, (hit = selected(run, sel, cur, n, last)));
                if (!hit) on = false;
            }
            if (!on) continue;
            if (c.op === "a") after.push(c.text);
            else if (c.op === "i") before.push(c.text);
            else if (c.op === "c") {
                out.push(...before, c.text);
                before.length = 0;
                cur = undefined;
            } else if (c.op === "d") cur = undefined;
            else if (c.op === "s") {
                cur = substitute(cur, run.subs.get(c)!);
                // s/1/11/g repeated doubles a line each time: past the text limit the result is not known.
                if (cur.length > LIMITS.maxTextBytes) return UNKNOWN_MARK;
            }
            // `d` and `c` end the cycle: later commands do not see the line; appended text is still output.
            if (cur === undefined) break;
        }
        size += (cur?.length ?? 0) + before.length + after.length;
        if (size > LIMITS.maxTextBytes) return UNKNOWN_MARK;
        out.push(...before);
        if (cur !== undefined) out.push(cur);
        out.push(...after);
    }
    return out.join("\n") + "\n";
}

/** Text a sed edit adds (a/i/c text and s replacements), for files whose content the program did not write. */
export function sedInsertedText(commands: SedCommand[]): string[] {
    const out: string[] = [];
    for (const c of commands) if (c.op !== "d") out.push(c.op === "s" ? c.replacement : c.text);
    return out;
}
