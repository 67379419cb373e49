// Runs a shell script symbolically into the node model: every simple command in order, whatever control
// structure holds it (if/then/else/fi, while/until/do/done, for, case, ( ), { }, !, time, functions: each
// branch may run, so each is read), with wrappers removed (sudo [-u U], env, timeout D, nice, nohup, setsid,
// exec, ...), variables expanded the way the shell does (`$VAR` unquoted splits into fields, "$VAR" stays
// one), and the effects the pack needs: files written (heredocs, echo/printf/cat/tee, cp/install/mv, sed -i,
// jq into a file), commands that start components, and the distribution tools (kubeadm, EKS bootstrap.sh).
// Bounded: variables grow to LIMITS.maxVariableBytes at most, expansions to LIMITS.maxExpandedBytes per script,
// nesting ($( ), sh -c, eval, scripts it runs) to LIMITS.maxDepth.
import { LIMITS } from "../../limits";
import { Arg, NodeModel, UNKNOWN_MARK } from "../../model";
import { applyEdit, applyJq, applySed, parseJq, parseSed } from "./edits";
import { Heredoc, Part, Token, Word, isName, lex } from "./lexer";
import { parseDocuments } from "../documents";
import { isComponentBinary } from "../../catalogue";
import { checkBudget } from "../../../budget";
import { shownName } from "../../../shown";

/** Variables a login or cloud-init shell has that the script does not set: their value is not known. */
const SESSION_VARS = new Set([
    "HOSTNAME",
    "HOME",
    "USER",
    "LOGNAME",
    "PWD",
    "OLDPWD",
    "PATH",
    "SHELL",
    "UID",
    "EUID",
    "RANDOM",
    "PPID",
    "OSTYPE",
    "HOSTTYPE",
    "MACHTYPE",
    "SECONDS",
    "LINENO",
    "BASHPID",
    "TERM",
    "LANG",
    "INSTANCE_ID",
]);

const RESERVED = new Set([
    "if",
    "then",
    "else",
    "elif",
    "fi",
    "do",
    "done",
    "while",
    "until",
    "{",
    "}",
    "!",
    "time",
    "esac",
    "in",
    "[[",
    "]]",
]);

/** Wrappers that run the rest of their arguments as a command: options taking a value, and positional words. */
interface Wrapper {
    valued: string[];
    positional?: number;
    assigns?: boolean;
    flagsAfter?: boolean;
}
const WRAPPERS: Record<string, Wrapper> = {
    sudo: {
        valued: [
            "-u",
            "-g",
            "-C",
            "-D",
            "-h",
            "-p",
            "-r",
            "-t",
            "-U",
            "-T",
            "--user",
            "--group",
            "--chdir",
            "--host",
            "--prompt",
            "--role",
            "--type",
            "--other-user",
            "--close-from",
            "--command-timeout",
        ],
    },
    doas: { valued: ["-u", "-C"] },
    runuser: { valued: ["-u", "-g", "-G", "--user", "--group", "--supp-group"] },
    env: { valued: ["-u", "-C", "--unset", "--chdir"], assigns: true },
    timeout: { valued: ["-k", "-s", "--kill-after", "--signal"], positional: 1 },
    nice: { valued: ["-n", "--adjustment"] },
    ionice: { valued: ["-c", "-n", "-p", "--class", "--classdata"] },
    nohup: { valued: [] },
    setsid: { valued: [] },
    exec: { valued: ["-a"] },
    command: { valued: [] },
    time: { valued: ["-f", "-o", "--format", "--output"] },
    stdbuf: { valued: ["-i", "-o", "-e"] },
    chroot: { valued: ["--userspec", "--groups"], positional: 1 },
    "systemd-run": {
        valued: [
            "-p",
            "--property",
            "-u",
            "--unit",
            "--description",
            "--slice",
            "-M",
            "--machine",
            "--uid",
            "--gid",
            "-H",
            "--host",
            "--working-directory",
            "--on-active",
            "--on-calendar",
        ],
        assigns: false,
    },
    xargs: { valued: ["-n", "-I", "-d", "-L", "-P", "-s", "-E"] },
};

interface Redirect {
    op: string;
    fd?: number;
    target?: Word;
    heredoc?: Heredoc;
}
interface Simple {
    assigns: Word[];
    words: Word[];
    redirs: Redirect[];
    line: number;
}

const newSimple = (): Simple => ({ assigns: [], words: [], redirs: [], line: 0 });

/** The literal text of a word when it has no expansion; undefined otherwise. */
function literal(w: Word): string | undefined {
    let out = "";
    for (const p of w.parts) {
        if (p.k !== "lit") return undefined;
        out += p.v;
    }
    return out;
}

function unquotedLiteral(w: Word): string | undefined {
    return w.parts.length === 1 && w.parts[0].k === "lit" && !w.parts[0].q ? w.parts[0].v : undefined;
}

/** `NAME=...` as the first (unquoted literal) part of a word: the name and the parts of the value. */
function assignment(w: Word): { name: string; value: Part[]; append: boolean } | undefined {
    const first = w.parts[0];
    if (!first || first.k !== "lit" || first.q) return undefined;
    const eq = first.v.indexOf("=");
    if (eq <= 0) return undefined;
    const append = first.v[eq - 1] === "+";
    const name = first.v.slice(0, append ? eq - 1 : eq);
    if (!isName(name)) return undefined;
    const rest = first.v.slice(eq + 1);
    return {
        name,
        value: [
            ...(rest ? [{ k: "lit", v: rest, q: true } as Part] : []),
            ...w.parts.slice(1).map((p) => ({ ...p, q: true })),
        ],
        append,
    };
}

/** Shared by a script and every shell it starts ($( ), sh -c, eval, scripts it runs). */
interface Budget {
    expanded: number;
    exhausted: boolean;
    commands: number;
}

export class Shell {
    readonly vars: Map<string, string>;
    readonly exported: Set<string>;
    private allExport = false;
    private envUnknown = false;
    /** The previous command of the pipeline read a heredoc (for messages: "heredoc | tee /path"). */
    private lastHeredoc = false;
    /** A distribution install script the previous command of the pipeline downloaded (`curl -sfL URL | sh -`). */
    private pipedInstaller?: string;

    constructor(
        private readonly model: NodeModel,
        private readonly location: string,
        private readonly depth: number,
        private readonly budget: Budget = { expanded: 0, exhausted: false, commands: 0 },
        vars?: Map<string, string>,
        exported?: Set<string>,
    ) {
        this.vars = vars ?? new Map();
        this.exported = exported ?? new Set();
    }

    /** A child shell (`bash script`, `sh -c`): exported variables only, same files. */
    private child(location: string): Shell {
        const vars = new Map<string, string>();
        for (const k of this.exported) {
            const v = this.vars.get(k);
            if (v !== undefined) vars.set(k, v);
        }
        return new Shell(this.model, location, this.depth + 1, this.budget, vars, new Set(this.exported));
    }

    run(script: string): string {
        if (this.depth > LIMITS.maxDepth) {
            this.model.note(this.location, `shell nested more than ${LIMITS.maxDepth} levels deep; not inspected`);
            return UNKNOWN_MARK;
        }
        const clean = script.includes(UNKNOWN_MARK) ? script.split(UNKNOWN_MARK).join("\uFFFD") : script;
        const { tokens, truncated } = lex(clean, LIMITS.maxShellLines, LIMITS.maxShellTokens, LIMITS.maxWords);
        if (truncated)
            this.model.note(
                this.location,
                `more than ${LIMITS.maxShellLines} lines, ${LIMITS.maxShellTokens} words or ${LIMITS.maxWords} words in one command; the rest were not inspected`,
            );
        return this.exec(tokens);
    }

    private exec(tokens: Token[]): string {
        let out = "";
        let cmd = newSimple();
        let pipeline: Simple[] = [];
        let casePattern = false;
        let skipToDo = false;
        let skipToIn = false;
        // if/elif/else/fi and case arms: which branch each open structure is in, and whether it is the branch the
        // plan runs (providers/node/branches.ts). Commands of a branch not run are dropped at flush.
        const plan = this.model.branches;
        const frames: { key: string; kind: "if" | "case"; branch: number; effects: number; writes: number }[] = [];
        let active = true;
        const recompute = () => {
            active = frames.every((f) => {
                const c = plan.chosen(f.key);
                return c === undefined || c === f.branch;
            });
        };
        const open = (kind: "if" | "case", i: number, line: number) => {
            const key = `${this.location}#${tokens.length}:${i}`;
            const up = frames[frames.length - 1];
            frames.push({
                key,
                kind,
                branch: kind === "if" ? 0 : -1,
                effects: this.model.effects,
                writes: this.model.writes,
            });
            if (plan.reading && !plan.found.has(key))
                plan.found.set(key, {
                    kind,
                    at: this.at(line),
                    branches: kind === "if" ? 1 : 0,
                    relevant: false,
                    writes: false,
                    within: up ? { key: up.key, branch: up.branch } : undefined,
                });
            recompute();
        };
        const nextBranch = (kind: "if" | "case") => {
            const f = frames[frames.length - 1];
            if (f?.kind !== kind) return;
            f.branch++;
            const s = plan.reading ? plan.found.get(f.key) : undefined;
            if (s) s.branches = Math.max(s.branches, f.branch + 1);
            recompute();
        };
        const close = (kind: "if" | "case") => {
            const f = frames[frames.length - 1];
            if (f?.kind !== kind) return;
            frames.pop();
            const s = plan.reading ? plan.found.get(f.key) : undefined;
            if (s && this.model.effects > f.effects) s.relevant = true;
            if (s && this.model.writes > f.writes) s.writes = true;
            recompute();
        };
        const flush = () => {
            if (cmd.words.length || cmd.assigns.length || cmd.redirs.length) pipeline.push(cmd);
            cmd = newSimple();
            if (pipeline.length && active) {
                const o = this.pipeline(pipeline);
                if (o !== undefined) out += o;
            }
            pipeline = [];
        };
        for (let i = 0; i < tokens.length; i++) {
            if (this.budget.exhausted) break;
            checkBudget();
            const tok = tokens[i];
            if (tok.t === "op") {
                if (skipToDo || skipToIn) continue;
                if (casePattern) {
                    if (tok.op === ")") {
                        casePattern = false;
                        nextBranch("case");
                    }
                    continue;
                }
                switch (tok.op) {
                    case "|":
                    case "|&":
                        pipeline.push(cmd);
                        cmd = newSimple();
                        break;
                    case ";;":
                    case ";&":
                    case ";;&":
                        flush();
                        casePattern = true;
                        break;
                    case "(": {
                        // `name() { … }`: a function; its body is read where it is defined.
                        const next = tokens[i + 1];
                        if (cmd.words.length === 1 && next?.t === "op" && next.op === ")") {
                            cmd = newSimple();
                            i++;
                            break;
                        }
                        flush();
                        break;
                    }
                    default:
                        flush();
                }
                continue;
            }
            if (tok.t === "redir") {
                const r: Redirect = { op: tok.op, fd: tok.fd, heredoc: tok.heredoc };
                if (!tok.heredoc) {
                    const next = tokens[i + 1];
                    if (next?.t === "word") {
                        r.target = next.w;
                        i++;
                    }
                }
                if (!cmd.line) cmd.line = tok.line;
                cmd.redirs.push(r);
                continue;
            }
            const w = tok.w;
            const lit = unquotedLiteral(w);
            if (skipToDo) {
                if (lit === "do") skipToDo = false;
                continue;
            }
            if (skipToIn) {
                if (lit === "in") {
                    skipToIn = false;
                    casePattern = true;
                }
                continue;
            }
            if (casePattern) {
                if (lit === "esac") {
                    casePattern = false;
                    close("case");
                }
                continue;
            }
            if (cmd.words.length === 0 && cmd.assigns.length === 0 && lit !== undefined) {
                if (lit === "for" || lit === "select") {
                    flush();
                    skipToDo = true;
                    continue;
                }
                if (lit === "case") {
                    flush();
                    skipToIn = true;
                    open("case", i, w.line);
                    continue;
                }
                if (lit === "function") {
                    i++;
                    continue;
                }
                if (lit === "if") {
                    flush();
                    open("if", i, w.line);
                    continue;
                }
                if (lit === "elif" || lit === "else") {
                    flush();
                    nextBranch("if");
                    continue;
                }
                if (lit === "fi" || lit === "esac") {
                    flush();
                    close(lit === "fi" ? "if" : "case");
                    continue;
                }
                if (RESERVED.has(lit)) continue;
            }
            if (!cmd.line) cmd.line = w.line;
            if (cmd.words.length === 0 && assignment(w)) cmd.assigns.push(w);
            else if (cmd.words.length < LIMITS.maxWords) cmd.words.push(w);
        }
        flush();
        return out;
    }

    private at(line: number): string {
        return line ? `${this.location}, line ${line}` : this.location;
    }

    private lookup(name: string): string {
        const v = this.vars.get(name);
        if (v !== undefined) return v;
        // POSIX 2.6.2: an unset parameter expands to the empty string; the session's own variables are unknown.
        return SESSION_VARS.has(name) || this.envUnknown ? UNKNOWN_MARK : "";
    }

    private charge(n: number): boolean {
        this.budget.expanded += n;
        if (this.budget.expanded > LIMITS.maxExpandedBytes) {
            if (!this.budget.exhausted) {
                this.model.note(
                    this.location,
                    `shell expansions exceed ${LIMITS.maxExpandedBytes} bytes (variables that keep doubling); the rest was not inspected`,
                );
            }
            this.budget.exhausted = true;
            return false;
        }
        return true;
    }

    /** Expands a word into fields; `split` false for assignments and redirection targets. */
    expand(w: Word | Part[], split = true): Arg[] {
        const parts = Array.isArray(w) ? w : w.parts;
        // One literal (most words): its text, or no field for an empty unquoted one (what the loop below gives).
        if (parts.length === 1 && parts[0].k === "lit")
            return parts[0].v !== "" || parts[0].q ? [{ text: parts[0].v }] : [];
        const fields: Arg[] = [];
        let cur = "";
        let has = false;
        let from: string | undefined;
        const push = () => {
            if (has || cur !== "") fields.push(from ? { text: cur, from } : { text: cur });
            cur = "";
            has = false;
        };
        const addValue = (value: string, quoted: boolean) => {
            if (!this.charge(value.length)) return;
            if (quoted || !split) {
                cur += value;
                has = true;
                return;
            }
            const pieces = value.split(/[ \t\n]+/);
            pieces.forEach((p, idx) => {
                if (idx > 0) push();
                cur += p;
            });
        };
        for (const p of parts) {
            if (p.k === "lit") {
                cur += p.v;
                if (p.q) has = true;
                continue;
            }
            if (p.k === "opaque") {
                cur += UNKNOWN_MARK;
                has = true;
                continue;
            }
            if (p.k === "var") {
                let v = this.vars.get(p.name);
                if (p.alt) {
                    const unsetOrEmpty = p.alt.op.startsWith(":") ? v === undefined || v === "" : v === undefined;
                    if (p.alt.op.endsWith("-") || p.alt.op.endsWith("=")) {
                        if (unsetOrEmpty) {
                            v = this.expand(p.alt.word, false)
                                .map((a) => a.text)
                                .join(" ");
                            if (p.alt.op.endsWith("=")) this.setVar(p.name, v);
                        }
                    } else
                        v = unsetOrEmpty
                            ? ""
                            : this.expand(p.alt.word, false)
                                  .map((a) => a.text)
                                  .join(" ");
                }
                if (v === undefined) v = this.lookup(p.name);
                if (v.length > 0 && !from) from = `$${p.name}`;
                addValue(v, p.q);
                continue;
            }
            const value = this.substitute(p.script);
            addValue(value, p.q);
        }
        push();
        return fields;
    }

    private expandText(parts: Part[]): string {
        return this.expand(parts, false)
            .map((a) => a.text)
            .join("");
    }

    /** `$( … )`: the output of the commands, when the pack can tell it; unknown otherwise. */
    private substitute(script: string): string {
        if (++this.budget.commands > LIMITS.maxCommands) return UNKNOWN_MARK;
        const sub = new Shell(
            this.model,
            this.location,
            this.depth + 1,
            this.budget,
            new Map(this.vars),
            new Set(this.exported),
        );
        const out = sub.run(script);
        let end = out.length;
        while (end > 0 && out[end - 1] === "\n") end--;
        return out.slice(0, end);
    }

    private setVar(name: string, value: string, exported = false): void {
        if (value.length > LIMITS.maxVariableBytes) {
            this.model.note(
                this.location,
                `variable ${name} grows beyond ${LIMITS.maxVariableBytes} bytes; its value is treated as unknown`,
            );
            value = UNKNOWN_MARK;
        }
        this.vars.set(name, value);
        this.model.variableSet();
        if (exported || this.allExport) this.exported.add(name);
    }

    /** Runs a pipeline; returns what its last command writes to standard output (undefined when redirected). */
    private pipeline(cmds: Simple[]): string | undefined {
        let stdin: string | undefined;
        let out: string | undefined;
        this.pipedInstaller = undefined;
        for (const c of cmds) {
            checkBudget();
            this.model.branches.commands++;
            if (++this.budget.commands > LIMITS.maxCommands) {
                this.model.note(this.location, `more than ${LIMITS.maxCommands} commands; the rest were not inspected`);
                this.budget.exhausted = true;
                return undefined;
            }
            out = this.simple(c, stdin);
            stdin = out;
        }
        return out;
    }

    private simple(c: Simple, piped: string | undefined): string | undefined {
        const at = this.at(c.line);
        let stdin = piped;
        const fed = piped !== undefined && this.lastHeredoc;
        const outputs: { path: string; append: boolean }[] = [];
        let heredoc = false;
        for (const r of c.redirs) {
            if (r.heredoc) {
                stdin = this.expandText(r.heredoc.body);
                heredoc = true;
                continue;
            }
            if (!r.target) continue;
            const target = this.expand(r.target, false)[0]?.text ?? "";
            if (r.op === "<<<") {
                stdin = `${target}\n`;
                continue;
            }
            if (r.op === "<") {
                stdin = this.model.read(target) ?? UNKNOWN_MARK;
                continue;
            }
            if (r.fd !== undefined && r.fd !== 1) continue;
            if (
                (r.op === ">" || r.op === ">>" || r.op === ">|" || r.op === "&>" || r.op === "&>>") &&
                target.startsWith("/") &&
                !target.startsWith("/dev/")
            ) {
                outputs.push({ path: target, append: r.op.endsWith(">>") });
            } else if (r.op === ">" || r.op === ">>") {
                if (!target.startsWith("/dev/") && target !== "") outputs.push({ path: target, append: r.op === ">>" });
            }
        }
        const env = new Map<string, string>();
        for (const a of c.assigns) {
            const asg = assignment(a)!;
            const value = this.expandText(asg.value);
            if (c.words.length === 0)
                this.setVar(asg.name, asg.append ? (this.vars.get(asg.name) ?? "") + value : value);
            else env.set(asg.name, value);
        }
        let stdout: string | undefined;
        if (c.words.length > 0) {
            const argv: Arg[] = [];
            for (const w of c.words) {
                argv.push(...this.expand(w));
                if (argv.length > LIMITS.maxWords) break;
            }
            this.lastHeredoc = heredoc || fed;
            stdout = this.command(argv, env, stdin, at);
        }
        this.lastHeredoc = heredoc || fed;
        if (outputs.length === 0) return stdout;
        const jqOf = stdout?.startsWith(`${UNKNOWN_MARK}jq:`) ? stdout.slice(4).trim() : undefined;
        for (const o of outputs) {
            if (jqOf !== undefined) {
                this.model.copy(jqOf, o.path, `${at} jq > ${shownName(o.path)}`, false);
                continue;
            }
            const cmd = c.words.length ? (this.expand(c.words[0], false)[0]?.text.split("/").pop() ?? "") : "";
            const how = heredoc && cmd === "cat" ? "heredoc" : cmd;
            // `curl -sfL https://get.k3s.io > install.sh`: the file is the install script.
            if ((cmd === "curl" || cmd === "wget") && this.pipedInstaller)
                this.installers.set(o.path, this.pipedInstaller);
            this.model.write(
                o.path,
                stdout ?? "",
                `${at}${how ? ` ${shownName(how)}` : ""} ${o.append ? ">>" : ">"} ${shownName(o.path)}`,
                o.append,
            );
        }
        return undefined;
    }

    private exportEnv(extra: Map<string, string>): Map<string, string> {
        const env = new Map<string, string>();
        for (const k of this.exported) {
            const v = this.vars.get(k);
            if (v !== undefined) env.set(k, v);
        }
        for (const [k, v] of extra) env.set(k, v);
        return env;
    }

    /** Removes wrappers (sudo -u root, env A=b, timeout 600, ...); their assignments join `env`. */
    private unwrap(argv: Arg[], env: Map<string, string>): Arg[] {
        let i = 0;
        for (let guard = 0; guard < 16 && i < argv.length; guard++) {
            const base = argv[i].text.split("/").pop() ?? "";
            const w = WRAPPERS[base];
            if (!w) break;
            if (base === "command" && (argv[i + 1]?.text === "-v" || argv[i + 1]?.text === "-V")) return [];
            i++;
            let positional = w.positional ?? 0;
            while (i < argv.length) {
                const a = argv[i].text;
                if (a === "--") {
                    i++;
                    break;
                }
                if (a.startsWith("-") && a.length > 1) {
                    if (base === "env" && (a === "-S" || a === "--split-string")) {
                        const split = (argv[i + 1]?.text ?? "")
                            .split(/[ \t]+/)
                            .filter((x) => x)
                            .map((text) => ({ text }));
                        argv = [...argv.slice(0, i), ...split, ...argv.slice(i + 2)];
                        continue;
                    }
                    if (base === "systemd-run" && (a === "-E" || a === "--setenv")) {
                        const kv = argv[i + 1]?.text ?? "";
                        const eq = kv.indexOf("=");
                        if (eq > 0) env.set(kv.slice(0, eq), kv.slice(eq + 1));
                        i += 2;
                        continue;
                    }
                    i += w.valued.includes(a) ? 2 : 1;
                    continue;
                }
                if (w.assigns !== false && (w.assigns || base === "sudo")) {
                    const eq = a.indexOf("=");
                    if (eq > 0 && isName(a.slice(0, eq))) {
                        env.set(a.slice(0, eq), a.slice(eq + 1));
                        i++;
                        continue;
                    }
                }
                if (positional > 0) {
                    positional--;
                    i++;
                    continue;
                }
                break;
            }
        }
        return argv.slice(i);
    }

    private command(
        raw: Arg[],
        prefix: Map<string, string>,
        stdin: string | undefined,
        at: string,
    ): string | undefined {
        const extra = new Map(prefix);
        const argv = this.unwrap(raw, extra);
        if (argv.length === 0) return undefined;
        const name = argv[0].text;
        const base = name.split("/").pop() ?? "";
        const args = argv.slice(1).map((a) => a.text);
        switch (base) {
            case "export":
            case "declare":
            case "typeset":
            case "local":
            case "readonly": {
                for (const a of args) {
                    if (a.startsWith("-")) continue;
                    const eq = a.indexOf("=");
                    if (eq > 0 && isName(a.slice(0, eq)))
                        this.setVar(a.slice(0, eq), a.slice(eq + 1), base === "export" || base === "declare");
                    else if (isName(a) && base === "export") this.exported.add(a);
                }
                return undefined;
            }
            case "unset":
                for (const a of args) this.vars.delete(a);
                return undefined;
            case "set":
                if (args.some((a) => a.length < 16 && /^-[a-z]*a/.test(a))) this.allExport = true;
                return undefined;
            case "eval":
                return this.child(`${at} eval`).run(args.join(" "));
            case "source":
            case ".": {
                const text = this.model.read(args[0] ?? "");
                if (text === undefined) {
                    this.envUnknown = true;
                    return undefined;
                }
                return new Shell(
                    this.model,
                    `${at} source ${args[0]}`,
                    this.depth + 1,
                    this.budget,
                    this.vars,
                    this.exported,
                ).run(text);
            }
            case "echo": {
                let i = 0;
                let newline = true;
                let escapes = false;
                while (i < args.length && /^-[neE]{1,3}$/.test(args[i])) {
                    if (args[i].includes("n")) newline = false;
                    if (args[i].includes("e")) escapes = true;
                    i++;
                }
                const text = args.slice(i).join(" ");
                return (escapes ? unescape(text) : text) + (newline ? "\n" : "");
            }
            case "printf":
                return printf(args);
            case "cat": {
                const files = args.filter((a) => !a.startsWith("-") || a === "-");
                if (files.length === 0) return stdin ?? "";
                return files.map((f) => (f === "-" ? (stdin ?? "") : (this.model.read(f) ?? UNKNOWN_MARK))).join("");
            }
            case "tee": {
                const append = args.some((a) => a === "-a" || a === "--append");
                for (const f of args.filter((a) => !a.startsWith("-"))) {
                    if (!f.startsWith("/dev/"))
                        this.model.write(
                            f,
                            stdin ?? "",
                            `${at} ${this.lastHeredoc ? "heredoc | " : ""}tee ${shownName(f)}`,
                            append,
                        );
                }
                return stdin;
            }
            case "cp":
            case "install":
            case "mv": {
                if (args.includes("-d") || args.includes("--directory")) return undefined;
                const valued =
                    base === "install" ? ["-m", "-o", "-g", "--mode", "--owner", "--group", "-S", "-t"] : ["-t", "-S"];
                const ops: string[] = [];
                for (let i = 0; i < args.length; i++) {
                    if (args[i].startsWith("-")) {
                        if (valued.includes(args[i])) i++;
                        continue;
                    }
                    ops.push(args[i]);
                }
                if (ops.length < 2) return undefined;
                const dest = ops[ops.length - 1];
                for (const src of ops.slice(0, -1)) {
                    const to =
                        dest.endsWith("/") || ops.length > 2
                            ? `${dest.replace(/\/$/, "")}/${src.split("/").pop()}`
                            : dest;
                    this.model.copy(src, to, `${at} ${base} ${shownName(src)} ${shownName(to)}`, base === "mv");
                }
                return undefined;
            }
            case "rm":
                for (const a of args) if (!a.startsWith("-")) this.model.remove(a);
                return undefined;
            case "base64": {
                if (!args.some((a) => a === "-d" || a === "--decode" || a === "-D")) return UNKNOWN_MARK;
                const input = args.filter((a) => !a.startsWith("-"))[0];
                const text = input ? this.model.read(input) : stdin;
                if (text === undefined || text.includes(UNKNOWN_MARK)) return UNKNOWN_MARK;
                const decoded = Buffer.from(text.replace(/\s+/g, ""), "base64");
                return decoded.includes(0) ? UNKNOWN_MARK : decoded.toString("utf8");
            }
            case "sed":
                return this.sed(args, stdin, at);
            case "jq":
                return this.jq(args, stdin, at);
            case "sh":
            case "bash":
            case "dash":
            case "ash":
            case "zsh": {
                const c = args.findIndex((a) => a.length < 8 && /^-[a-z]*c[a-z]*$/.test(a));
                if (c >= 0 && args[c + 1] !== undefined) return this.child(`${at} ${base} -c`).run(args[c + 1]);
                if (this.installer(argv, extra, stdin, at)) return undefined;
                const file = args.find((a) => !a.startsWith("-"));
                if (file === undefined) return stdin !== undefined ? this.child(`${at} ${base}`).run(stdin) : undefined;
                const text = this.model.read(file);
                return text !== undefined ? this.child(`${at} ${base} ${shownName(file)}`).run(text) : UNKNOWN_MARK;
            }
            case "su": {
                const c = args.indexOf("-c");
                return c >= 0 && args[c + 1] !== undefined ? this.child(`${at} su -c`).run(args[c + 1]) : undefined;
            }
            case "curl":
            case "wget": {
                this.pipedInstaller = args.map(installerOf).find((x) => x);
                if (this.pipedInstaller) this.installerUrl(args, this.pipedInstaller);
                const o = args.findIndex(
                    (a) =>
                        a === "--output" || a === "--output-document" || (a.length < 12 && /^-[a-zA-Z]*[oO]$/.test(a)),
                );
                if (o >= 0 && args[o + 1] && args[o + 1] !== "-") {
                    this.model.write(
                        args[o + 1],
                        UNKNOWN_MARK,
                        `${at} ${base} -o ${args[o + 1]} (downloaded: content not known)`,
                    );
                }
                return UNKNOWN_MARK;
            }
            case "true":
            case ":":
            case "systemctl":
            case "chmod":
            case "chown":
            case "mkdir":
            case "sleep":
            case "cd":
            case "modprobe":
            case "sysctl":
                return undefined;
            default:
                break;
        }
        if ((base === "k3s" || base === "rke2") && (args[0] === "server" || args[0] === "agent")) {
            this.model.tools.push({ tool: base, argv, env: this.exportEnv(extra), at, seq: this.model.next() });
            return undefined;
        }
        if (this.installer(argv, extra, stdin, at)) return undefined;
        if (base === "kubeadm" || base === "bootstrap.sh" || base === "nodeadm") {
            this.model.tools.push({
                tool: base === "bootstrap.sh" ? "eks-bootstrap" : base,
                argv,
                stdin,
                at,
                seq: this.model.next(),
            });
            return undefined;
        }
        if (isComponentBinary(argv.map((a) => a.text))) {
            if (!args.some((a) => a === "--version" || a === "--help" || a === "-h" || a === "version")) {
                this.model.commands.push({ argv, env: this.exportEnv(extra), at, seq: this.model.next() });
            }
            return undefined;
        }
        // A script the program wrote, run by its path.
        if (name.startsWith("/") || name.startsWith("./")) {
            const text = this.model.read(name.startsWith("./") ? name.slice(1) : name) ?? this.model.read(name);
            if (text !== undefined) return this.child(`${at} ${shownName(name)}`).run(text);
        }
        return UNKNOWN_MARK;
    }

    /** Files the script downloaded from a distribution's install URL, by path. */
    private readonly installers = new Map<string, string>();

    private installerUrl(args: string[], tool: string): void {
        const o = args.findIndex((a) => a === "-o" || a === "-O" || a === "--output" || a === "--output-document");
        if (o >= 0 && args[o + 1] && args[o + 1] !== "-") this.installers.set(args[o + 1], tool);
    }

    /**
     * The k3s or RKE2 install script run by the shell: piped from curl (`curl -sfL https://get.k3s.io | sh -s -
     * server ...`) or downloaded to a file and run. Recorded as a tool with its arguments (after `-s -`, or after the
     * file) and environment (INSTALL_K3S_EXEC, K3S_URL, INSTALL_RKE2_TYPE ...), which the distribution module reads.
     */
    private installer(argv: Arg[], extra: Map<string, string>, stdin: string | undefined, at: string): boolean {
        const base = argv[0].text.split("/").pop() ?? "";
        const shell = ["sh", "bash", "dash", "ash", "zsh"].includes(base);
        let tool: string | undefined;
        let rest: Arg[] = [];
        if (shell && this.pipedInstaller && (stdin === undefined || stdin.startsWith(UNKNOWN_MARK))) {
            const words = argv.slice(1);
            let i = 0;
            while (i < words.length && words[i].text.startsWith("-") && words[i].text !== "-" && words[i].text !== "--")
                i++;
            const dash = words[i]?.text === "-" || words[i]?.text === "--";
            if (dash) i++;
            // `sh`, `sh -`, `sh -s [-] args`: the script comes from standard input; `sh file` runs the file.
            if (i >= words.length || dash || words.slice(0, i).some((w) => w.text === "-s")) {
                tool = this.pipedInstaller;
                rest = words.slice(i);
            }
        }
        if (!tool) {
            const words = shell ? argv.slice(1) : argv;
            const f = words.findIndex((w) => !w.text.startsWith("-"));
            const path = f >= 0 ? words[f].text : undefined;
            const t = path ? (this.installers.get(path) ?? this.installers.get(path.replace(/^\.\//, ""))) : undefined;
            if (t && (shell || f === 0)) {
                tool = t;
                rest = words.slice(f + 1);
            }
        }
        if (!tool) return false;
        this.model.tools.push({
            tool,
            argv: [argv[0], ...rest],
            env: this.exportEnv(extra),
            at: `${at} ${tool === "k3s-install" ? "k3s" : "RKE2"} install script`,
            seq: this.model.next(),
        });
        return true;
    }

    private sed(args: string[], stdin: string | undefined, at: string): string | undefined {
        const scripts: string[] = [];
        const files: string[] = [];
        let inPlace = false;
        let extended = false;
        // GNU sed's options (sed --help): short options cluster (`-Ei`, `-ne`), `-i[SUFFIX]` takes the rest of
        // its cluster, `-e SCRIPT`, `-f FILE` (a script the pack does not see), `-l N`; `-n` (nothing printed
        // unless asked) and `-z` (NUL-separated lines) change what the file becomes in ways not modelled.
        let understood = true;
        for (let i = 0; i < args.length; i++) {
            const a = args[i];
            if (a === "--") {
                files.push(...args.slice(i + 1));
                break;
            }
            if (a.startsWith("--")) {
                const [name, value] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a];
                if (name === "--expression") {
                    const v = value ?? args[++i];
                    if (v !== undefined) scripts.push(v);
                } else if (name === "--in-place") inPlace = true;
                else if (name === "--regexp-extended") extended = true;
                else if (name === "--line-length" && value === undefined) i++;
                else if (["--file", "--quiet", "--silent", "--null-data", "--zero-terminated"].includes(name))
                    understood = false;
                continue;
            }
            if (!a.startsWith("-") || a === "-") {
                files.push(a);
                continue;
            }
            for (let j = 1; j < a.length; j++) {
                const o = a[j];
                if (o === "i") {
                    inPlace = true;
                    break;
                }
                if (o === "E" || o === "r") extended = true;
                else if (o === "n" || o === "z") understood = false;
                else if (o === "e" || o === "l" || o === "f") {
                    if (o === "f") understood = false;
                    const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
                    if (o === "e" && v !== undefined) scripts.push(v);
                    break;
                }
            }
        }
        if (!understood) {
            for (const f of inPlace ? files : [])
                this.model.write(f, UNKNOWN_MARK, `${at} sed -i ${shownName(f)} (options not understood)`);
            return UNKNOWN_MARK;
        }
        if (scripts.length === 0 && files.length > 0) scripts.push(files.shift()!);
        const commands = parseSed(scripts.join("\n"), extended);
        if (!commands) {
            for (const f of inPlace ? files : [])
                this.model.write(f, UNKNOWN_MARK, `${at} sed -i ${shownName(f)} (script not understood)`);
            return UNKNOWN_MARK;
        }
        if (inPlace) {
            for (const f of files)
                this.model.edit(f, { kind: "sed", commands }, `${at} sed -i ${shownName(f)}`, (t, e) =>
                    applyEdit(t, e, parseFirstDoc),
                );
            return undefined;
        }
        const input = files.length ? files.map((f) => this.model.read(f) ?? UNKNOWN_MARK).join("") : stdin;
        if (input === undefined || input.includes(UNKNOWN_MARK)) return UNKNOWN_MARK;
        return applySed(input, commands);
    }

    private jq(args: string[], stdin: string | undefined, at: string): string | undefined {
        const ops: string[] = [];
        for (let i = 0; i < args.length; i++) {
            const a = args[i];
            if (a === "--arg" || a === "--argjson") {
                i += 2;
                continue;
            }
            if (a.startsWith("-")) continue;
            ops.push(a);
        }
        const [filter, file] = ops;
        const assignments = filter !== undefined ? parseJq(filter) : undefined;
        if (!assignments) return UNKNOWN_MARK;
        if (file !== undefined && this.model.read(file) === undefined) {
            // The image's file (e.g. the EKS AMI's kubelet-config.json): the edit is kept for the resolver, whose
            // distribution module knows the content; the output stands for the edited file.
            this.model.edit(file, { kind: "jq", assignments }, `${at} jq edit of ${shownName(file)}`, (t) => t);
            return `${UNKNOWN_MARK}jq:${file}`;
        }
        const input = file !== undefined ? this.model.read(file)! : stdin;
        if (input === undefined || input.includes(UNKNOWN_MARK)) return UNKNOWN_MARK;
        return JSON.stringify(applyJq(parseFirstDoc(input), assignments), null, 2);
    }
}

function parseFirstDoc(text: string): unknown {
    return parseDocuments(text).docs[0]?.value;
}

function unescape(s: string): string {
    let out = "";
    for (let i = 0; i < s.length; i++) {
        if (s[i] !== "\\" || i + 1 >= s.length) {
            out += s[i];
            continue;
        }
        const n = s[++i];
        out += n === "n" ? "\n" : n === "t" ? "\t" : n === "\\" ? "\\" : `\\${n}`;
    }
    return out;
}

/** printf FORMAT ARGS: %s, %b, %d and the backslash escapes, reusing the format for extra arguments. */
function printf(args: string[]): string {
    if (args.length === 0) return "";
    const [fmt, ...rest] = args;
    let out = "";
    let k = 0;
    for (let round = 0; round < 64; round++) {
        for (let i = 0; i < fmt.length; i++) {
            const c = fmt[i];
            if (c === "\\") {
                out += unescape(fmt.slice(i, i + 2));
                i++;
                continue;
            }
            if (c === "%" && i + 1 < fmt.length) {
                const n = fmt[++i];
                if (n === "%") {
                    out += "%";
                    continue;
                }
                const a = rest[k++] ?? "";
                out += n === "b" ? unescape(a) : a;
                continue;
            }
            out += c;
        }
        if (k === 0 || k >= rest.length) break;
    }
    return out;
}

/** Interprets a script into the model. */
export function runScript(model: NodeModel, script: string, location: string, depth = 0): void {
    new Shell(model, location, depth).run(script);
}

/** The words of one command line (a flag string such as `--kubelet-extra-args '…'`), expanded with no variables. */
export function splitWords(text: string): string[] {
    const { tokens } = lex(text, LIMITS.maxShellLines, LIMITS.maxWords);
    const sh = new Shell(new NodeModel(), "", 0);
    const out: string[] = [];
    for (const t of tokens) if (t.t === "word") out.push(...sh.expand(t.w).map((a) => a.text));
    return out;
}

export { literal };

/** The distribution whose install script a URL serves (get.k3s.io, get.rke2.io, their GitHub install.sh). */
function installerOf(url: string): string | undefined {
    if (url.length > 300) return undefined;
    if (/^(https?:\/\/)?get\.k3s\.io(\/|$)|k3s-io\/k3s\/[^ ]*install\.sh|rancher\/k3s\/[^ ]*install\.sh/.test(url))
        return "k3s-install";
    if (/^(https?:\/\/)?get\.rke2\.io(\/|$)|rancher\/rke2\/[^ ]*install\.sh/.test(url)) return "rke2-install";
    return undefined;
}
