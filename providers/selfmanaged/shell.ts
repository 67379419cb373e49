// Shell scripts (user data, startup scripts, remote commands, cloud-init runcmd): heredocs and `echo … >`
// that write files, simple variable assignments, and the command lines that start or configure components
// (kubelet, kube-apiserver, …, kubeadm, EKS bootstrap.sh, jq edits of the kubelet config).
import { componentOf, KUBELET } from "./components";
import { splitCommands, splitWords } from "./flags";
import { LIMITS } from "./limits";

export interface WrittenFile {
    path: string;
    content: string;
    /** How it was written, for messages: "heredoc", "echo". */
    how: string;
}

export type CommandEvent =
    | { kind: "component"; argv: string[]; line: number }
    | { kind: "kubeadm"; sub: string; line: number }
    | { kind: "eks-bootstrap"; kubeletArgs?: string; line: number }
    | { kind: "jq"; filter: string; target: string; line: number }
    | { kind: "sed"; texts: string[]; target: string; line: number };

export interface ShellScan {
    files: WrittenFile[];
    commands: CommandEvent[];
    truncated: boolean;
}

/** Only lines that mention a component, kubeadm, the EKS bootstrap or jq can matter; the rest skip word splitting. */
const RELEVANT = /kube|etcd|bootstrap\.sh|\bjq\b|KUBELET/;

/** The EKS AL2 AMI's bootstrap script; managed node groups cannot pass it arguments, so user data edits it. */
export const EKS_BOOTSTRAP_SCRIPT = "/etc/eks/bootstrap.sh";

const PREFIXES = new Set(["sudo", "exec", "nohup", "env", "command", "time", "systemd-run", "setsid", "chroot"]);

/** Drops `sudo -E`, `env A=B`, `exec` and similar wrappers from an argv. */
export function stripWrappers(argv: string[]): string[] {
    let i = 0;
    while (i < argv.length) {
        const w = argv[i];
        if (PREFIXES.has(w)) { i++; continue; }
        if (i > 0 && PREFIXES.has(argv[i - 1] ?? "") && w.startsWith("-")) { i++; continue; }
        if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) { i++; continue; }
        break;
    }
    return argv.slice(i);
}

function substitute(line: string, vars: Map<string, string>): string {
    return line.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a, b) => vars.get(a ?? b) ?? m);
}

/** The file a heredoc or echo line writes to: after `tee` (skipping its options) or a `>`/`>>` redirect. */
function targetOf(words: string[]): string | undefined {
    for (let i = 0; i < words.length; i++) {
        const w = words[i];
        if (w === "tee") {
            for (let j = i + 1; j < words.length; j++) {
                if (words[j].startsWith("-")) continue;
                if (words[j] === ">" || words[j] === ">>" || words[j] === "|") break;
                return words[j];
            }
        }
        if ((w === ">" || w === ">>") && words[i + 1] && words[i + 1] !== "/dev/null" && !words[i + 1].startsWith("&")) return words[i + 1];
    }
    return undefined;
}

export function scanShell(script: string): ShellScan {
    const files: WrittenFile[] = [];
    const commands: CommandEvent[] = [];
    const vars = new Map<string, string>();
    const lines = script.split(/\r?\n/);
    const truncated = lines.length > LIMITS.maxShellLines;
    let i = 0;
    while (i < lines.length && i < LIMITS.maxShellLines) {
        let line = lines[i];
        const start = i;
        i++;
        // Line continuations.
        while (/\\\s*$/.test(line) && i < lines.length) line = line.replace(/\\\s*$/, " ") + lines[i++];
        const trimmed = line.trim();
        if (trimmed === "" || trimmed.startsWith("#")) continue;
        const heredoc = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(line);
        if (heredoc) {
            const delim = heredoc[3];
            const strip = heredoc[1] === "-";
            const body: string[] = [];
            for (; i < lines.length; i++) {
                const bodyLine = strip ? lines[i].replace(/^\t+/, "") : lines[i];
                if (bodyLine.trim() === delim) break;
                body.push(bodyLine);
            }
            i++; // the delimiter line
            const quoted = heredoc[2] !== "";
            const content = quoted ? body.join("\n") : substitute(body.join("\n"), vars);
            const words = safeWords(substitute(line.replace(heredoc[0], " "), vars));
            const target = targetOf(words);
            if (target && files.length < LIMITS.maxParts) files.push({ path: target, content, how: "heredoc" });
            // A heredoc fed to a command that is not writing a file (e.g. `kubeadm init --config - <<EOF`).
            else if (!target && files.length < LIMITS.maxParts) files.push({ path: "(stdin)", content, how: "heredoc" });
            collectCommands(substitute(line.replace(heredoc[0], " "), vars), start + 1, commands);
            continue;
        }
        const assign = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed);
        if (assign && !/\s/.test(assign[2].replace(/^(["']).*\1$/, "").trim())) {
            const value = /["'\\]/.test(assign[2]) ? safeWords(assign[2])[0] ?? "" : assign[2];
            vars.set(assign[1], substitute(value, vars));
        }
        const expanded = substitute(line, vars);
        if (!RELEVANT.test(expanded)) continue;
        const echo = /^\s*(?:sudo\s+)?(echo|printf)\s/.exec(expanded);
        if (echo) {
            const words = safeWords(expanded);
            const target = targetOf(words);
            if (target) {
                const end = words.findIndex((w) => w === ">" || w === ">>" || w === "|");
                const content = words.slice(1, end < 0 ? undefined : end).filter((w) => !/^-[ne]+$/.test(w)).join(" ");
                if (files.length < LIMITS.maxParts) files.push({ path: target, content, how: echo[1] });
            }
        }
        collectCommands(expanded, start + 1, commands);
        if (assign) files.push({ path: "(environment)", content: `${assign[1]}=${assign[2]}`, how: "assignment" });
    }
    return { files, commands, truncated };
}

function safeWords(line: string): string[] {
    try { return splitWords(line); } catch { return []; }
}

const JQ_INLINE = /\bjq\s+(?:-[A-Za-z]+\s+)*'([^']*)'\s+("?)([^\s"')]+)\2/g;

function collectCommands(line: string, lineNo: number, out: CommandEvent[]): void {
    // jq edits often sit inside $(…) or backticks, where word splitting does not see them.
    for (const m of line.matchAll(JQ_INLINE)) out.push({ kind: "jq", filter: m[1], target: m[3], line: lineNo });
    let cmds: string[][];
    try { cmds = splitCommands(line); } catch { return; }
    for (const raw of cmds) {
        const argv = stripWrappers(raw);
        if (argv.length === 0) continue;
        const base = argv[0].split("/").pop() ?? "";
        if (base === "kubeadm" && argv[1]) out.push({ kind: "kubeadm", sub: argv[1], line: lineNo });
        else if (base === "bootstrap.sh") {
            const i = argv.indexOf("--kubelet-extra-args");
            const eq = argv.find((a) => a.startsWith("--kubelet-extra-args="));
            out.push({ kind: "eks-bootstrap", kubeletArgs: i >= 0 ? argv[i + 1] : eq?.slice("--kubelet-extra-args=".length), line: lineNo });
        } else if (base === "jq") {
            continue; // found by JQ_INLINE above
        } else if (base === "sed") {
            const edit = sedEdit(argv.slice(1));
            if (edit) for (const target of edit.targets) out.push({ kind: "sed", texts: edit.texts, target, line: lineNo });
        } else if (componentOf(argv)) out.push({ kind: "component", argv, line: lineNo });
    }
}

/**
 * `sed -i` edits: the text an edit puts into the file (a/i/c commands and s/// replacements), and the files it
 * edits. `sed -i '/^KUBELET_EXTRA_ARGS=/a KUBELET_EXTRA_ARGS+=" --read-only-port=10255"' /etc/eks/bootstrap.sh`
 * is how EKS managed node groups commonly add kubelet flags. Undefined when it is not an in-place edit.
 */
function sedEdit(args: string[]): { texts: string[]; targets: string[] } | undefined {
    const scripts: string[] = [];
    const operands: string[] = [];
    let inPlace = false;
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "-e" || a === "--expression") { if (args[i + 1] !== undefined) scripts.push(args[++i]); continue; }
        if (a.startsWith("--expression=")) { scripts.push(a.slice("--expression=".length)); continue; }
        if (a === "-f" || a === "--file") return undefined;
        if (a === "-i" || a.startsWith("--in-place") || /^-[a-zA-Z]*i/.test(a)) { inPlace = true; continue; }
        if (a.startsWith("-") && a !== "-") continue;
        operands.push(a);
    }
    if (!inPlace) return undefined;
    if (scripts.length === 0 && operands.length > 0) scripts.push(operands.shift()!);
    const texts = scripts.flatMap((sc) => sc.split(/\n|;(?=\s*(?:\/|s\W|\$|\d|[aic]\b))/)).map(sedText).filter((t): t is string => t !== undefined);
    return texts.length > 0 && operands.length > 0 ? { texts, targets: operands } : undefined;
}

/** The text one sed command writes: `[addr]a text`, `[addr]i\\ text`, `[addr]c text`, or the replacement of `s/re/text/`. */
function sedText(cmd: string): string | undefined {
    const c = cmd.trim().replace(/^(?:\/(?:[^/\\]|\\.)*\/|\$|\d+(?:,\d+)?)\s*/, "");
    const text = /^[aic]\\?\s*(.*)$/s.exec(c);
    if (text) return text[1];
    if (c.length < 4 || c[0] !== "s" || /[\\\n\s]/.test(c[1])) return undefined;
    const d = c[1];
    const fields: string[] = [];
    let cur = "";
    for (let i = 2; i < c.length && fields.length < 2; i++) {
        if (c[i] === "\\" && i + 1 < c.length) { cur += c[i + 1] === d ? d : c[i] + c[i + 1]; i++; continue; }
        if (c[i] === d) { fields.push(cur); cur = ""; continue; }
        cur += c[i];
    }
    return fields.length === 2 ? fields[1] : undefined;
}

/** Environment-file and systemd lines that carry kubelet flags: KUBELET_EXTRA_ARGS=…, Environment="KUBELET_…=…", ExecStart=…kubelet …. */
export function kubeletFlagLines(text: string): { words: string[]; label: string; execStart: boolean }[] {
    const out: { words: string[]; label: string; execStart: boolean }[] = [];
    for (const raw of text.split(/\r?\n/).slice(0, LIMITS.maxShellLines)) {
        const line = raw.trim();
        const env = /^(?:export\s+)?(?:Environment=)?["']?(KUBELET_[A-Z_]*(?:ARGS|FLAGS|OPTS))\+?=(.*)$/.exec(line);
        if (env) {
            // `KUBELET_EXTRA_ARGS="$KUBELET_EXTRA_ARGS --flag"` appends: the reference to itself adds no flag.
            const value = env[2].replace(/["']$/, "").replace(/\$\{?KUBELET_[A-Z_]*\}?/g, " ");
            const words = safeWords(value).flatMap((w) => (/\s/.test(w) ? safeWords(w) : [w]));
            out.push({ words, label: env[1], execStart: false });
            continue;
        }
        const exec = /^ExecStart=(.*)$/.exec(line);
        if (exec) {
            const argv = stripWrappers(safeWords(exec[1].replace(/^[-@+!]+/, "")));
            if (componentOf(argv)?.spec === KUBELET) out.push({ words: argv.slice(1), label: "ExecStart kubelet", execStart: true });
        }
    }
    return out;
}

/**
 * `"readOnlyPort": 10255` or `readOnlyPort: 10255` in text a sed edit writes into a kubelet config file →
 * [["readOnlyPort", 10255]] (top-level fields with scalar values only: a nested one is ambiguous).
 */
export function fieldAssignments(texts: string[]): [string, unknown][] {
    const out: [string, unknown][] = [];
    for (const t of texts) {
        for (const m of t.matchAll(/"?([A-Za-z]+)"?\s*:\s*("[^"]*"|true|false|-?\d+)/g)) {
            try { out.push([m[1], JSON.parse(m[2])]); } catch { continue; }
        }
    }
    return out;
}

/** `jq '.a.b = 1 | .c = "x"'` → [["a.b", 1], ["c", "x"]] (assignments only; anything else is ignored). */
export function jqAssignments(filter: string): [string, unknown][] {
    const out: [string, unknown][] = [];
    for (const part of filter.split("|")) {
        const m = /^\s*\.([A-Za-z0-9_.]+)\s*=\s*(.+?)\s*$/.exec(part);
        if (!m) continue;
        let value: unknown;
        try { value = JSON.parse(m[2]); } catch { continue; }
        out.push([m[1], value]);
    }
    return out;
}

