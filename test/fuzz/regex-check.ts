// The checks of regex.test.ts, in a module of their own so that a worker thread can run the dynamic one: a pattern
// that backtracks exponentially never returns, and only terminating its thread stops it. Loaded on the main thread
// (node --test loads every file under test/) it only exports.
import { isMainThread, parentPort, workerData } from "worker_threads";

// ---------------------------------------------------------------------------------------------------------------
// Static: nested unbounded quantifiers.

/** Quantified groups of a pattern that contain an unbounded quantifier. */
export function nestedQuantifiers(source: string): string[] {
    const out: string[] = [];
    const open: { start: number; inner: boolean }[] = [];
    const unbounded = (i: number): number => {
        // Length of an unbounded quantifier at i (*, +, {n,}), lazy mark included; 0 when there is none.
        if (source[i] === "*" || source[i] === "+") return source[i + 1] === "?" ? 2 : 1;
        const m = /^\{\d*,\}/.exec(source.slice(i, i + 12));
        return m ? m[0].length : 0;
    };
    for (let i = 0; i < source.length; i++) {
        const c = source[i];
        if (c === "\\") {
            i++;
            continue;
        }
        if (c === "[") {
            // Skip the class (a "]" right after "[" or "[^" is literal).
            let j = i + 1;
            if (source[j] === "^") j++;
            if (source[j] === "]") j++;
            while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
            i = j;
            if (unbounded(i + 1) && open.length > 0) open[open.length - 1].inner = true;
            continue;
        }
        if (c === "(") {
            open.push({ start: i, inner: false });
            continue;
        }
        if (c === ")") {
            const g = open.pop();
            const q = unbounded(i + 1);
            if (g && q && g.inner) out.push(source.slice(g.start, i + 1 + q));
            // An unbounded group (or one containing an unbounded quantifier) makes its parent's content unbounded.
            if (g && open.length > 0 && (q || g.inner)) open[open.length - 1].inner = true;
            continue;
        }
        if (unbounded(i) && open.length > 0 && i > 0) open[open.length - 1].inner = true;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Dynamic: worst-case inputs made of what the pattern touches.

const ESCAPES: Record<string, string[]> = {
    d: ["0"],
    D: ["a"],
    w: ["a", "_"],
    W: ["-", " "],
    s: [" ", "\t", "\n"],
    S: ["a", "/"],
    n: ["\n"],
    r: ["\r"],
    t: ["\t"],
    b: [],
    B: [],
};
const ALWAYS = [" ", "\n", "a", "A", "0", "-", "=", ":", "/", ".", ",", '"', "\\", "!", "\u0000"];

/** Characters a pattern mentions (one per class range end, every literal) and its literal runs of 2+ characters. */
export function alphabet(source: string): { chars: string[]; literals: string[] } {
    const chars = new Set<string>(ALWAYS);
    const literals = new Set<string>();
    let lit = "";
    const endLiteral = () => {
        if (lit.length >= 2) literals.add(lit.slice(0, 40));
        lit = "";
    };
    const escaped = (i: number): { chars: string[]; next: number } => {
        const e = source[i + 1];
        if (e === undefined) return { chars: [], next: i + 1 };
        if (e === "u" && source[i + 2] === "{") {
            const end = source.indexOf("}", i);
            return { chars: [String.fromCodePoint(parseInt(source.slice(i + 3, end), 16))], next: end };
        }
        if (e === "u" && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6)))
            return { chars: [String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16))], next: i + 5 };
        if ((e === "p" || e === "P") && source[i + 2] === "{")
            return { chars: ["a", "é", "1"], next: source.indexOf("}", i) };
        return { chars: ESCAPES[e] ?? [e], next: i + 1 };
    };
    for (let i = 0; i < source.length; i++) {
        const c = source[i];
        if (c === "\\") {
            const { chars: cs, next } = escaped(i);
            cs.forEach((x) => chars.add(x));
            if (cs.length === 1 && !(source[i + 1] in ESCAPES)) lit += cs[0];
            else endLiteral();
            i = next;
            continue;
        }
        if (c === "[") {
            endLiteral();
            let j = i + 1;
            if (source[j] === "^") j++;
            for (; j < source.length && source[j] !== "]"; j++) {
                if (source[j] === "\\") {
                    const { chars: cs, next } = escaped(j);
                    cs.forEach((x) => chars.add(x));
                    j = next;
                } else chars.add(source[j]);
            }
            i = j;
            continue;
        }
        if ("()|?*+{}^$.".includes(c)) {
            endLiteral();
            if (c === "{") i = Math.max(i, source.indexOf("}", i));
            if (c === ".") chars.add("a");
            continue;
        }
        chars.add(c);
        lit += c;
    }
    endLiteral();
    return { chars: [...chars], literals: [...literals] };
}

/** Worst-case inputs for a pattern, each a function of the size (about n characters), built only when run. */
export function worstCases(source: string): ((n: number) => string)[] {
    const { chars, literals } = alphabet(source);
    const out: ((n: number) => string)[] = [];
    for (const c of chars) {
        out.push((n) => c.repeat(n));
        for (const d of chars) {
            if (d === c) continue;
            out.push(
                (n) => c.repeat(n) + d,
                (n) => (c + d).repeat(n >> 1),
                (n) => d + c.repeat(n),
            );
        }
        for (const l of literals)
            out.push(
                (n) => l + c.repeat(n),
                (n) => (l + c).repeat(Math.ceil(n / (l.length + 1))),
            );
    }
    for (const l of literals) {
        const times = (n: number) => Math.ceil(n / l.length);
        out.push(
            (n) => l.repeat(times(n)),
            (n) => l.repeat(times(n)) + "\u0000",
        );
    }
    return out;
}

function timeMs(re: RegExp, input: string): number {
    const t0 = process.hrtime.bigint();
    re.lastIndex = 0;
    re.test(input);
    return Number(process.hrtime.bigint() - t0) / 1e6;
}

function minTimeMs(re: RegExp, input: string, tries = 3): number {
    let best = Infinity;
    for (let i = 0; i < tries; i++) best = Math.min(best, timeMs(re, input));
    return best;
}

const SMALL = 2000;
const GROWTH = 8;
const SCREEN_MS = 2;
export const MAX_RATIO = 24;
/** Below this time at the large size, growth is noise. */
const MIN_LARGE_MS = 15;

/** Inputs on which the pattern grows super-linearly, with the measured growth; empty when it is linear. */
export function superLinear(source: string, flags: string): string[] {
    // The sticky flag stays: it anchors the pattern where the code puts lastIndex (one attempt, not a scan).
    const re = new RegExp(source, flags.replace(/g/g, ""));
    const bad: string[] = [];
    for (const make of worstCases(source)) {
        const small = make(SMALL);
        if (timeMs(re, small) <= SCREEN_MS) continue;
        const large = make(SMALL * GROWTH);
        const a = minTimeMs(re, small);
        const b = minTimeMs(re, large);
        if (b > MIN_LARGE_MS && b / Math.max(a, 0.01) > MAX_RATIO)
            bad.push(
                `${JSON.stringify(small.slice(0, 12))}… ${small.length} chars ${a.toFixed(1)} ms, ` +
                    `${large.length} chars ${b.toFixed(1)} ms`,
            );
        if (bad.length >= 3) break;
    }
    return bad;
}

export interface Job {
    where: string;
    source: string;
    flags: string;
}

/** In a worker started with { kind: "regex-check", jobs }: posts { index, bad } after each pattern. */
if (!isMainThread && parentPort && (workerData as { kind?: string } | null)?.kind === "regex-check") {
    const { jobs, from } = workerData as { jobs: Job[]; from: number };
    for (let index = from; index < jobs.length; index++) {
        parentPort.postMessage({ index, bad: superLinear(jobs[index].source, jobs[index].flags) });
    }
}
