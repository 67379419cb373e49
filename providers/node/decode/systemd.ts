// systemd unit files, drop-ins and environment files, read the way systemd reads them (systemd.syntax(7),
// systemd.service(5), systemd.exec(5)):
// - a line ending in a backslash continues on the next line (the backslash becomes a space); comment lines
//   inside a continuation are dropped;
// - `Environment=` holds space-separated assignments, each optionally quoted;
// - in `ExecStart=`, `$VAR` splits into words and `${VAR}` stays one word; an unset variable is empty;
//   prefixes `@ - : + !` are flags, not part of the command.
// One pass per file, no regular expression over the content.
import { LIMITS } from "../limits";
import { checkBudget } from "../../budget";

export interface Directive {
    section: string;
    key: string;
    value: string;
    line: number;
}

export function parseUnit(text: string): Directive[] {
    const out: Directive[] = [];
    const lines = text.split("\n");
    let section = "";
    let pending: { key: string; value: string; line: number } | undefined;
    for (let i = 0; i < lines.length && i < LIMITS.maxShellLines; i++) {
        checkBudget();
        let line = lines[i];
        if (line.endsWith("\r")) line = line.slice(0, -1);
        const trimmed = line.trim();
        if (pending) {
            // systemd.syntax: comment lines between continued lines are ignored.
            if (trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
            if (trimmed.endsWith("\\")) {
                pending.value += ` ${trimmed.slice(0, -1)}`;
                continue;
            }
            pending.value += ` ${trimmed}`;
            out.push({ section, ...pending, value: pending.value.trim() });
            pending = undefined;
            continue;
        }
        if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
        if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
            section = trimmed.slice(1, -1);
            continue;
        }
        const eq = trimmed.indexOf("=");
        if (eq <= 0) continue;
        const key = trimmed.slice(0, eq).trim();
        const value = trimmed.slice(eq + 1).trim();
        if (value.endsWith("\\")) {
            pending = { key, value: value.slice(0, -1), line: i + 1 };
            continue;
        }
        out.push({ section, key, value, line: i + 1 });
        if (out.length > LIMITS.maxCommands) break;
    }
    if (pending) out.push({ section, ...pending, value: pending.value.trim() });
    return out;
}

/** Splits a systemd value into words: double and single quotes group, a backslash escapes the next character. */
export function unitWords(value: string): { text: string; quoted: boolean }[] {
    const out: { text: string; quoted: boolean }[] = [];
    let cur = "";
    let has = false;
    let quoted = false;
    for (let i = 0; i < value.length; i++) {
        const c = value[i];
        if (c === " " || c === "\t") {
            if (has) out.push({ text: cur, quoted });
            cur = "";
            has = false;
            quoted = false;
            continue;
        }
        if (c === '"' || c === "'") {
            const end = value.indexOf(c, i + 1);
            const stop = end < 0 ? value.length : end;
            for (let j = i + 1; j < stop; j++) {
                if (value[j] === "\\" && c === '"' && j + 1 < stop) {
                    cur += value[++j];
                    continue;
                }
                cur += value[j];
            }
            has = true;
            quoted = true;
            i = stop;
            continue;
        }
        if (c === "\\" && i + 1 < value.length) {
            cur += value[++i];
            has = true;
            continue;
        }
        cur += c;
        has = true;
    }
    if (has) out.push({ text: cur, quoted });
    return out;
}

/** `Environment=A=1 "B=two words"` → [[A, 1], [B, two words]]. */
export function environmentAssignments(value: string): [string, string][] {
    const out: [string, string][] = [];
    for (const w of unitWords(value)) {
        const eq = w.text.indexOf("=");
        if (eq > 0) out.push([w.text.slice(0, eq), w.text.slice(eq + 1)]);
    }
    return out;
}

/**
 * An environment file (EnvironmentFile=, /etc/default/kubelet, /etc/sysconfig/kubelet, kubeadm-flags.env):
 * `KEY=VALUE` lines, values optionally quoted, `#` comments, backslash continuations (systemd.exec(5)).
 * A leading `export ` is tolerated, as shell-sourced env files use it.
 */
export function parseEnvFile(text: string): [string, string][] {
    const out: [string, string][] = [];
    const lines = text.split("\n");
    for (let i = 0; i < lines.length && i < LIMITS.maxShellLines; i++) {
        checkBudget();
        let line = lines[i].trim();
        if (line.endsWith("\\") && i + 1 < lines.length) {
            // Continued lines are gathered and joined once: re-joining the growing line at each one is quadratic.
            const parts: string[] = [];
            while (line.endsWith("\\") && i + 1 < lines.length) {
                checkBudget();
                parts.push(line.slice(0, -1));
                line = lines[++i].trim();
            }
            parts.push(line);
            line = parts.join(" ");
        }
        if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
        if (line.startsWith("export ")) line = line.slice(7).trim();
        const eq = line.indexOf("=");
        if (eq <= 0) continue;
        const key = line.slice(0, eq).trim();
        let value = line.slice(eq + 1).trim();
        if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]))
            value = value.slice(1, -1);
        out.push([key, value]);
        if (out.length > LIMITS.maxCommands) break;
    }
    return out;
}

export interface ExecWord {
    text: string;
    from?: string;
}

/**
 * An `ExecStart=` command line with the unit's environment: prefixes dropped, `$VAR` split into words, `${VAR}`
 * one word, unset variables empty (systemd.service(5), "Command lines"). Growth is bounded.
 */
export function execWords(value: string, env: Map<string, { value: string; from: string }>): ExecWord[] {
    let v = value;
    while (v.length && "@-:+!".includes(v[0])) v = v.slice(1);
    const out: ExecWord[] = [];
    let total = 0;
    for (const w of unitWords(v)) {
        // Whole-word variable references: $VAR splits, ${VAR} does not.
        const t = w.text;
        if (!w.quoted && t.startsWith("$") && t.length > 1) {
            const braced = t[1] === "{" && t.endsWith("}");
            const name = braced ? t.slice(2, -1) : t.slice(1);
            if (/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) {
                const e = env.get(name) ?? env.get("*");
                total += e?.value.length ?? 0;
                if (total > LIMITS.maxVariableBytes * 4) break;
                if (!e) continue;
                if (braced) out.push({ text: e.value, from: e.from });
                else for (const x of unitWords(e.value)) out.push({ text: x.text, from: e.from });
                continue;
            }
        }
        // `${VAR}` inside a word is substituted in place.
        out.push({ text: substituteInline(t, env) });
    }
    return out;
}

function substituteInline(t: string, env: Map<string, { value: string }>): string {
    if (!t.includes("${")) return t;
    let out = "";
    for (let i = 0; i < t.length; i++) {
        if (t[i] === "$" && t[i + 1] === "{") {
            const end = t.indexOf("}", i + 2);
            if (end > 0) {
                out += (env.get(t.slice(i + 2, end)) ?? env.get("*"))?.value ?? "";
                i = end;
                continue;
            }
        }
        out += t[i];
    }
    return out;
}
