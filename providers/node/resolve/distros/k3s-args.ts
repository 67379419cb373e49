// How k3s (and RKE2, which runs k3s's server and agent code) turns its `*-arg` options into a component's command
// line: k3s pkg/util/args.go GetArgs (pkg/daemons/config/types.go in older releases). The distribution's own
// flags are a map by name; each user argument `name=value` replaces the default of that name, `name+=value`
// appends to it and `name-=value` prepends to it; repeated names stay repeated flags, in order; the output is
// sorted by name. The component then reads the repeated flags with its own rules (the catalogue's `repeat`:
// StringSlice flags append, others keep the last).
import type { Arg } from "../../model";
import { UNKNOWN_MARK } from "../../model";

/** A distribution default: flag name, value and where it comes from (file and function upstream). */
export type Default = [name: string, value: string, from: string];

interface Value {
    value: string;
    from?: string;
}

export function getArgs(defaults: Default[], extra: Arg[]): Arg[] {
    const initial = new Map<string, Value>(defaults.map(([k, v, from]) => [k, { value: v, from }]));
    // Each name's values as `front` (prepended, newest last) then `back`: every step is O(1), so a long list of
    // arguments costs its length, not its square.
    const multi = new Map<string, { front: Value[]; back: Value[] }>();
    const opaque: Arg[] = [];
    for (const e of extra) {
        // An argument the pack cannot read (a preview output) may be any flag: kept as an unknown word.
        if (e.text.startsWith(UNKNOWN_MARK)) {
            opaque.push({ text: UNKNOWN_MARK, from: e.from });
            continue;
        }
        const t = e.text.startsWith("--") ? e.text.slice(2) : e.text;
        const eq = t.indexOf("=");
        const arg = eq < 0 ? t : t.slice(0, eq);
        const value = eq < 0 ? "true" : t.slice(eq + 1);
        let end = arg.length;
        while (end > 0 && (arg[end - 1] === "+" || arg[end - 1] === "-")) end--;
        const clean = arg.slice(0, end);
        if (clean.includes(UNKNOWN_MARK)) {
            opaque.push({ text: UNKNOWN_MARK, from: e.from });
            continue;
        }
        const v = { value, from: e.from };
        const init = initial.get(clean);
        initial.delete(clean);
        let entry = multi.get(clean);
        if (!entry) {
            // The first occurrence of a name: `+` keeps the default before it, `-` after it, plain drops it.
            entry = { front: [], back: [] };
            multi.set(clean, entry);
            if (init && arg.endsWith("+")) entry.back.push(init);
            if (init && arg.endsWith("-")) entry.back.push(init);
        }
        if (arg.endsWith("-")) entry.front.push(v);
        else entry.back.push(v);
    }
    for (const [k, v] of initial) multi.set(k, { front: [], back: [v] });
    const out: Arg[] = [];
    for (const k of [...multi.keys()].sort()) {
        const { front, back } = multi.get(k)!;
        for (let i = front.length - 1; i >= 0; i--) out.push(arg(k, front[i]));
        for (const v of back) out.push(arg(k, v));
    }
    return [...out, ...opaque];
}

function arg(name: string, v: Value): Arg {
    return v.from ? { text: `--${name}=${v.value}`, from: v.from } : { text: `--${name}=${v.value}` };
}

/** k3s util.ArgValue: the value the user gives a flag in the `*-arg` list (the last one), if any. */
export function argValue(name: string, extra: Arg[]): string | undefined {
    let found: string | undefined;
    for (const e of extra) {
        const t = e.text.startsWith("--") ? e.text.slice(2) : e.text;
        const eq = t.indexOf("=");
        if ((eq < 0 ? t : t.slice(0, eq)) === name) found = eq < 0 ? "" : t.slice(eq + 1);
    }
    return found;
}
