// Command-line flags the way spf13/pflag reads them (flag.go parseLongArg/parseShortArg): `--name=value`,
// `--name value` for a non-boolean flag, a bare `--name` meaning true for a boolean one, `-name` alike (the
// Kubernetes components register long names only), `--` ending the flags. Each occurrence is kept in order, so
// the settings builder can apply the catalogue's repeat rule (StringSlice flags append, others: last wins).
import type { ComponentSpec } from "../catalogue";
import { Arg, UNKNOWN_MARK } from "../model";
import { checkBudget } from "../../budget";

export interface FlagUse {
    name: string;
    /** The value; true for a bare boolean flag. */
    value: string | true;
    /** Where the word came from (a variable, an env file), for messages. */
    from?: string;
    index: number;
}

export interface ParsedFlags {
    uses: FlagUse[];
    /**
     * Positions of words that are entirely unknown (a preview output, `$(…)`): such a word may be any flag, so
     * every setting not fixed by a later occurrence of its own flag is unknown.
     */
    opaque: number[];
    /** Where the last unknown word came from, when its argument says (a distribution's config file). */
    opaqueFrom?: string;
}

export function parseFlags(args: Arg[], spec?: ComponentSpec): ParsedFlags {
    const bools = new Set(spec?.settings.filter((x) => x.type === "bool" && x.flag).map((x) => x.flag as string) ?? []);
    const uses: FlagUse[] = [];
    const opaque: number[] = [];
    for (let i = 0; i < args.length; i++) {
        checkBudget();
        const a = args[i].text;
        if (a === "--") break;
        if (!a.startsWith("-") || a === "-") {
            if (a.startsWith(UNKNOWN_MARK)) opaque.push(i);
            continue;
        }
        const body = a.startsWith("--") ? a.slice(2) : a.slice(1);
        const eq = body.indexOf("=");
        const name = eq >= 0 ? body.slice(0, eq) : body;
        if (name.includes(UNKNOWN_MARK)) {
            opaque.push(i);
            continue;
        }
        const from = args[i].from;
        if (eq >= 0) uses.push({ name, value: body.slice(eq + 1), from, index: i });
        else if (bools.has(name)) uses.push({ name, value: true, from, index: i });
        else if (i + 1 < args.length && !args[i + 1].text.startsWith("-")) {
            uses.push({ name, value: args[i + 1].text, from: from ?? args[i + 1].from, index: i });
            i++;
        } else uses.push({ name, value: true, from, index: i });
    }
    const last = opaque.length ? args[opaque[opaque.length - 1]]?.from : undefined;
    return last ? { uses, opaque, opaqueFrom: last } : { uses, opaque };
}

/** The last value given for a flag, if any. */
export function lastFlag(p: ParsedFlags, name: string): FlagUse | undefined {
    for (let i = p.uses.length - 1; i >= 0; i--) if (p.uses[i].name === name) return p.uses[i];
    return undefined;
}

/** Flags as text words (for kubeadm extraArgs and env-file values). */
export function argsOf(words: string[], from?: string): Arg[] {
    return words.map((text) => (from ? { text, from } : { text }));
}
