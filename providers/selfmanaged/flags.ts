// Command lines: shell word splitting (shell-quote) and flag parsing the way pflag does it:
// `--name=value`, `--name value` for non-boolean flags, a bare `--name` meaning true for booleans.
import { parse as shellParse } from "shell-quote";
import type { ComponentSpec } from "./components";

export type FlagMap = Map<string, string | true>;

/**
 * Splits a command line into words. Variables stay as `$NAME`; operators (|, &&, >) become separate words.
 * Never throws: text shell-quote rejects (e.g. an unterminated `${`) falls back to splitting on white space.
 */
export function splitWords(line: string): string[] {
    let tokens: ReturnType<typeof shellParse>;
    try {
        tokens = shellParse(line, (key) => `$${key}`);
    } catch {
        return line.split(/\s+/).filter((w) => w !== "");
    }
    const out: string[] = [];
    for (const tok of tokens) {
        if (typeof tok === "string") out.push(tok);
        else if ("op" in tok) out.push(tok.op === "glob" ? (tok as { pattern: string }).pattern : tok.op);
        else if ("comment" in tok) break;
    }
    return out;
}

/** Splits a command line into commands at ;, &&, ||, | and newlines, each as words. */
export function splitCommands(line: string): string[][] {
    const cmds: string[][] = [];
    let cur: string[] = [];
    for (const w of splitWords(line)) {
        if (w === ";" || w === "&&" || w === "||" || w === "|" || w === "&" || w === ";;") {
            if (cur.length) cmds.push(cur);
            cur = [];
        } else cur.push(w);
    }
    if (cur.length) cmds.push(cur);
    return cmds;
}

/** Parses flags of one component; later occurrences win. Positional words are ignored. */
export function parseFlags(args: string[], spec?: ComponentSpec): FlagMap {
    const bools = new Set(spec?.settings.filter((x) => x.type === "bool" && x.flag).map((x) => x.flag as string) ?? []);
    const flags: FlagMap = new Map();
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (!a.startsWith("-") || a === "-" || a === "--") continue;
        const body = a.replace(/^--?/, "");
        const eq = body.indexOf("=");
        if (eq >= 0) {
            flags.set(body.slice(0, eq), body.slice(eq + 1));
        } else if (bools.has(body)) {
            flags.set(body, true);
        } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
            flags.set(body, args[i + 1]);
            i++;
        } else {
            flags.set(body, true);
        }
    }
    return flags;
}
