// The real Pulumi CLI for `npm run test:cli`: a throw-away Pulumi home (stub provider plugins installed at the
// versions the SDKs in package-lock.json request), a local file backend, a passphrase secrets provider and no
// network. The CLI, its Node.js language host and pulumi-analyzer-policy come from scripts/pulumi-cli/ensure.sh.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "../../..");
/** `npm run test:cli` sets this; under plain `npm test` the real-CLI suites are skipped. */
export const ENABLED = process.env.KUBE_API_GUARD_REAL_CLI === "1";
export const SKIP = ENABLED ? false : "needs the real Pulumi CLI: run `npm run test:cli`";
/** index.js of the example project: scripts/pulumi-cli/program.ts, its stack outputs exported. */
export const PROGRAM = `module.exports = require(${JSON.stringify(path.join(ROOT, "bin/scripts/pulumi-cli/program.js"))}).stack();\n`;

/** Provider plugins the example's SDKs load: name → the version the installed SDK requests. */
export function requestedPlugins(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const sdk of ["aws", "gcp", "azure-native", "kubernetes", "command"]) {
        const pkg = JSON.parse(
            fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", sdk, "package.json"), "utf8"),
        );
        const version = String(pkg.pulumi?.version ?? pkg.version).replace(/^v/, "");
        out[pkg.pulumi?.name ?? sdk] = version;
    }
    return out;
}

export interface Result {
    code: number;
    stdout: string;
    stderr: string;
    seconds: number;
}

export class Workspace {
    readonly dir: string;
    readonly home: string;
    readonly project: string;
    readonly env: Record<string, string>;

    /** @param program JavaScript of the project's index.js. */
    constructor(
        readonly cliBin: string,
        program: string,
        readonly stack = "dev",
    ) {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-guard-cli-"));
        this.home = path.join(this.dir, "home");
        this.project = path.join(this.dir, "project");
        const state = path.join(this.dir, "state");
        for (const d of [this.home, this.project, state]) fs.mkdirSync(d, { recursive: true });
        installStubPlugins(this.home);
        fs.writeFileSync(
            path.join(this.project, "Pulumi.yaml"),
            "name: demo\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
        );
        fs.writeFileSync(path.join(this.project, "index.js"), program);
        fs.writeFileSync(
            path.join(this.project, "package.json"),
            JSON.stringify({ name: "demo", private: true, main: "index.js" }),
        );
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(this.project, "node_modules"));
        this.env = {
            PATH: `${cliBin}${path.delimiter}${process.env.PATH}`,
            HOME: process.env.HOME ?? this.dir,
            PULUMI_HOME: this.home,
            PULUMI_BACKEND_URL: `file://${state}`,
            PULUMI_CONFIG_PASSPHRASE: "kube-api-guard-test",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            NO_COLOR: "1",
            TERM: "dumb",
        };
    }

    pulumi(args: string[], opts: { cwd?: string; input?: string } = {}): Result {
        const t0 = Date.now();
        const r = spawnSync("pulumi", [...args, "--non-interactive", "--color", "never"], {
            cwd: opts.cwd ?? this.project,
            env: this.env,
            encoding: "utf8",
            input: opts.input,
            maxBuffer: 256 * 1024 * 1024,
            timeout: 10 * 60 * 1000,
        });
        if (r.error) throw r.error;
        return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - t0) / 1000 };
    }

    /** Runs a command that must succeed; its output on failure names the command. */
    ok(args: string[]): Result {
        const r = this.pulumi(args);
        if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
        return r;
    }

    initStack(stack = this.stack): void {
        this.ok(["stack", "init", stack, "--secrets-provider", "passphrase"]);
    }

    write(name: string, content: string): string {
        const file = path.join(this.dir, name);
        fs.writeFileSync(file, content);
        return file;
    }

    dispose(): void {
        if (process.env.KUBE_API_GUARD_KEEP_CLI_WORKSPACE) return;
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** Installs scripts/pulumi-cli/stub-provider.js as every provider plugin the SDKs request, at their versions. */
export function installStubPlugins(home: string): void {
    const stub = path.join(ROOT, "bin", "scripts", "pulumi-cli", "stub-provider.js");
    for (const [name, version] of Object.entries(requestedPlugins())) {
        const dir = path.join(home, "plugins", `resource-${name}-v${version}`);
        fs.mkdirSync(dir, { recursive: true });
        const exe = path.join(dir, `pulumi-resource-${name}`);
        fs.writeFileSync(exe, `#!/bin/sh\nexec "${process.execPath}" "${stub}" ${name} ${version} "$@"\n`);
        fs.chmodSync(exe, 0o755);
    }
}

/** The folder holding `pulumi` (built or found by scripts/pulumi-cli/ensure.sh; cached after the first build). */
export function cliBin(): string {
    const out = execFileSync("bash", [path.join(ROOT, "scripts", "pulumi-cli", "ensure.sh")], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        timeout: 80 * 60 * 1000,
    });
    const dir = out.trim().split("\n").pop()!;
    if (!fs.existsSync(path.join(dir, "pulumi"))) throw new Error(`ensure.sh printed ${dir}, which holds no pulumi`);
    return dir;
}

/** One policy diagnostic as the CLI renders it under "Policies:" in preview/up output. */
export interface Rendered {
    level: string;
    severity: string;
    policy: string;
    type: string;
    name: string;
    message: string;
}

/**
 * Parses the "Policies:" block of `pulumi preview` / `pulumi up` output (the CLI's own rendering):
 *     - [mandatory] [severity: critical]  <policy>  (<type>: <name>)
 *       <description>
 *       <message lines>
 */
export function renderedViolations(out: string): Rendered[] {
    const lines = out.split("\n");
    const found: Rendered[] = [];
    const head = /^\s*- \[(\w+)\]\s+\[severity: (\w+)\]\s+(\S+)\s+\((.*?)\)\s*$/;
    for (let i = 0; i < lines.length; i++) {
        const m = head.exec(lines[i]);
        if (!m) continue;
        const indent = lines[i].indexOf("-") + 2;
        const body: string[] = [];
        for (
            let j = i + 1;
            j < lines.length &&
            lines[j].length > indent &&
            lines[j].slice(0, indent).trim() === "" &&
            !head.test(lines[j]);
            j++
        )
            body.push(lines[j].trim());
        const sep = m[4].lastIndexOf(": ");
        found.push({
            level: m[1],
            severity: m[2],
            policy: m[3],
            type: sep >= 0 ? m[4].slice(0, sep) : m[4],
            name: sep >= 0 ? m[4].slice(sep + 2) : "",
            message: body.join("\n"),
        });
    }
    return found;
}

export function key(d: { policy: string; name: string }): string {
    return `${d.policy} @ ${d.name}`;
}
