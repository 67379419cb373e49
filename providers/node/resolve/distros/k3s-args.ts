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
    const multi = new Map<string, Value[]>();
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
        const init = initial.get(clean);
        const existing = multi.get(clean) ?? [];
        const v = { value, from: e.from };
        let values: Value[];
        if (arg.endsWith("+")) values = [...(init ? [init] : []), ...existing, v];
        else if (arg.endsWith("-")) values = [v, ...(init ? [init] : []), ...existing];
        else values = [...existing, v];
        initial.delete(clean);
        multi.set(clean, values);
    }
    for (const [k, v] of initial) multi.set(k, [v]);
    const out: Arg[] = [];
    for (const k of [...multi.keys()].sort()) {
        for (const v of multi.get(k)!)
            out.push(v.from ? { text: `--${k}=${v.value}`, from: v.from } : { text: `--${k}=${v.value}` });
    }
    return [...out, ...opaque];
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
