// What a k3s or RKE2 node is started with: its options from the config file and drop-ins, the command line
// (`k3s server ...`, the install script's INSTALL_K3S_EXEC and arguments, a systemd unit's ExecStart) and the
// environment, merged the way the distribution merges them. The component flags they imply are in k3s.ts.
//
// k3s docs, "Configuration Options" (docs/installation/configuration.md): "configuration is loaded from
// /etc/rancher/k3s/config.yaml, and drop-in files are loaded from /etc/rancher/k3s/config.yaml.d/*.yaml in
// alphabetical order"; the `--config` flag or K3S_CONFIG_FILE changes the file "and the drop-in directory path is
// also modified"; "If present in multiple files, the last value found for a given key will be used. A + can be
// appended to the key to append the value to the existing string or slice"; with both a file and CLI arguments
// "CLI arguments will take precedence. For repeatable arguments such as --node-label, the CLI arguments will
// overwrite all values in the list". RKE2 uses the same parser with /etc/rancher/rke2 (RKE2_CONFIG_FILE).
import { parseDocuments } from "../../decode/documents";
import { splitWords } from "../../decode/shell/interp";
import type { Arg } from "../../model";
import { UNKNOWN_MARK } from "../../model";
import type { Context } from "./index";
import { unitCommands } from "../systemd";

function obj(v: unknown): Record<string, unknown> | undefined {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export type Distro = "k3s" | "rke2";

export interface OptionValue {
    value: string;
    /** Where it was set, for messages: "…write_files /etc/rancher/k3s/config.yaml, kube-apiserver-arg". */
    where: string;
}

/** The node's options by name (without dashes); a list for every option (the last value is a scalar's). */
export class Options {
    readonly values = new Map<string, OptionValue[]>();
    /** Where options come from that the pack cannot read (a config file downloaded at boot, a preview output). */
    unknown?: string;

    last(name: string): OptionValue | undefined {
        const v = this.values.get(name);
        return v && v.length ? v[v.length - 1] : undefined;
    }

    all(name: string): OptionValue[] {
        return this.values.get(name) ?? [];
    }

    bool(name: string): boolean {
        const v = this.last(name)?.value;
        return v === "true" || v === "1" || v === "t" || v === "True" || v === "TRUE";
    }
}

export interface View {
    distro: Distro;
    role?: "server" | "agent";
    /** Why the role is what it is, for messages. */
    roleWhy: string;
    options: Options;
    /** Where the node is started (the install script line, the unit's ExecStart, the config file). */
    at: string;
    /** Kubernetes minor from INSTALL_K3S_VERSION / INSTALL_RKE2_VERSION or Rancher's kubernetesVersion. */
    minor?: number;
}

const NAME = { k3s: "k3s", rke2: "RKE2" } as const;

/** urfave/cli boolean flags of `k3s server|agent` and `rke2 server|agent` (a bare `--flag` means true). */
const BOOL_FLAGS = new Set([
    "cluster-init",
    "cluster-reset",
    "secrets-encryption",
    "protect-kernel-defaults",
    "disable-agent",
    "disable-etcd",
    "disable-apiserver",
    "disable-scheduler",
    "disable-controller-manager",
    "disable-kube-proxy",
    "disable-network-policy",
    "disable-cloud-controller",
    "disable-helm-controller",
    "disable-servicelb",
    "selinux",
    "rootless",
    "debug",
    "docker",
    "prefer-bundled-bin",
    "embedded-registry",
    "etcd-expose-metrics",
    "etcd-disable-snapshots",
    "with-node-id",
    "flannel-ipv6-masq",
    "flannel-external-ip",
    "supervisor-metrics",
    "enable-pprof",
    "enable-servicelb",
    "disable-default-registry-endpoint",
]);

export function dataDir(distro: Distro, options: Options): string {
    return options.last("data-dir")?.value || `/var/lib/rancher/${distro}`;
}

export function configPath(distro: Distro): string {
    return `/etc/rancher/${distro}/config.yaml`;
}

/** Option values of a YAML value: a list gives one per item, a scalar one; a map is not an option value. */
function optionStrings(v: unknown): string[] | undefined {
    if (v === null || v === undefined) return [""];
    if (typeof v === "string") return [v];
    if (typeof v === "number" || typeof v === "boolean") return [String(v)];
    if (Array.isArray(v)) {
        const out: string[] = [];
        for (const x of v) {
            if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") out.push(String(x));
            else return undefined;
        }
        return out;
    }
    return undefined;
}

/** config.yaml and its drop-ins (alphabetical, later wins, `key+` appends) as the node reads them. */
function readConfigFiles(ctx: Context, distro: Distro, path: string): { options: Options; found: boolean } {
    const options = new Options();
    const dropIns = ctx.files.list(`${path}.d`).filter((p) => p.endsWith(".yaml") || p.endsWith(".yml"));
    let found = false;
    for (const p of [path, ...dropIns]) {
        const f = ctx.files.read(p);
        if (!f) continue;
        found = true;
        const where = f.where.includes(p) ? f.where : `${f.where} (${p})`;
        if (f.text === undefined && f.doc === undefined) {
            options.unknown ??= where;
            ctx.model.note(
                where,
                `is ${NAME[distro]}'s configuration, whose content is not known before the node runs`,
            );
            continue;
        }
        let doc = f.doc;
        if (doc === undefined) {
            const parsed = parseDocuments(f.text!);
            if (parsed.error) ctx.model.note(where, `${parsed.error}; ${NAME[distro]}'s configuration not inspected`);
            doc = parsed.docs[0]?.value;
        }
        const map = obj(doc);
        if (!map) continue;
        for (const [k, v] of Object.entries(map)) {
            const append = k.endsWith("+");
            const name = append ? k.slice(0, -1) : k;
            const values = optionStrings(v);
            if (values === undefined) {
                ctx.model.note(`${where}, ${k}`, "is a map, which is not an option value; not inspected");
                continue;
            }
            const entries = values.map((value) => ({ value, where: `${where}, ${k}` }));
            const list = append ? options.values.get(name) : undefined;
            if (list) for (const e of entries) list.push(e);
            else options.values.set(name, entries);
        }
    }
    return { options, found };
}

/** `server|agent --name=value --name value --flag ...` → role and options (the order of each name kept). */
function parseCommandLine(words: Arg[], where: string): { role?: "server" | "agent"; options: Options } {
    const options = new Options();
    let role: "server" | "agent" | undefined;
    let i = 0;
    if (words[0]?.text === "server" || words[0]?.text === "agent") {
        role = words[0].text as "server" | "agent";
        i = 1;
    }
    const add = (name: string, value: string, from?: string) => {
        const w = `${where}${from ? `, ${from}` : ""}: --${name}`;
        const list = options.values.get(name);
        if (list) list.push({ value, where: w });
        else options.values.set(name, [{ value, where: w }]);
    };
    for (; i < words.length; i++) {
        const a = words[i].text;
        if (a.includes(UNKNOWN_MARK) && !a.startsWith("-")) {
            options.unknown ??= `${where}${words[i].from ? `, ${words[i].from}` : ""}`;
            continue;
        }
        if (!a.startsWith("-") || a === "-" || a === "--") continue;
        const body = a.startsWith("--") ? a.slice(2) : a.slice(1);
        const eq = body.indexOf("=");
        const name = eq >= 0 ? body.slice(0, eq) : body;
        if (name.includes(UNKNOWN_MARK)) {
            options.unknown ??= `${where}${words[i].from ? `, ${words[i].from}` : ""}`;
            continue;
        }
        const key = name === "c" ? "config" : name;
        if (eq >= 0) add(key, body.slice(eq + 1), words[i].from);
        else if (BOOL_FLAGS.has(key)) add(key, "true", words[i].from);
        else if (i + 1 < words.length && !words[i + 1].text.startsWith("-")) {
            add(key, words[i + 1].text, words[i].from ?? words[i + 1].from);
            i++;
        } else add(key, "true", words[i].from);
    }
    return { role, options };
}

/** Options set by the environment (urfave/cli EnvVar): the lowest layer, under the file and the command line. */
const ENV_OPTIONS: Record<Distro, Record<string, string>> = {
    k3s: { K3S_URL: "server", K3S_CONFIG_FILE: "config", K3S_DATASTORE_ENDPOINT: "datastore-endpoint" },
    rke2: { RKE2_URL: "server", RKE2_CONFIG_FILE: "config", RKE2_CIS_PROFILE: "profile" },
};

function envOptions(distro: Distro, env: Map<string, { value: string; from: string }>): Options {
    const options = new Options();
    for (const [k, name] of Object.entries(ENV_OPTIONS[distro])) {
        const v = env.get(k);
        if (v) options.values.set(name, [{ value: v.value, where: v.from }]);
    }
    return options;
}

/** Layers in order, each replacing the names it sets (the command line replaces a list from the file). */
function layer(...layers: Options[]): Options {
    const out = new Options();
    for (const l of layers) {
        for (const [k, v] of l.values) out.values.set(k, v);
        out.unknown ??= l.unknown;
    }
    return out;
}

/** Options only a server reads: a node whose role the program does not show is a server when it sets one. */
const SERVER_ONLY = [
    "kube-apiserver-arg",
    "kube-controller-manager-arg",
    "kube-scheduler-arg",
    "etcd-arg",
    "cluster-init",
    "secrets-encryption",
    "datastore-endpoint",
    "disable-etcd",
    "disable-apiserver",
    "tls-san",
    "cluster-cidr",
    "service-cidr",
    "write-kubeconfig-mode",
    "audit-policy-file",
    "cni",
];

export function minorOf(v: string | undefined): number | undefined {
    const m = v && v.length < 64 ? /^v?1\.(\d{1,2})(\.|$)/.exec(v) : undefined;
    return m ? Number(m[1]) : undefined;
}

interface Start {
    distro: Distro;
    role?: "server" | "agent";
    roleWhy: string;
    words: Arg[];
    env: Map<string, { value: string; from: string }>;
    at: string;
    minor?: number;
}

function envFrom(env: Map<string, string> | undefined, where: string): Map<string, { value: string; from: string }> {
    const out = new Map<string, { value: string; from: string }>();
    for (const [k, v] of env ?? []) out.set(k, { value: v, from: `${where}, $${k}` });
    return out;
}

/** Each way the program starts k3s or RKE2: commands, the install scripts, systemd units. */
function starts(ctx: Context): Start[] {
    const out: Start[] = [];
    for (const t of ctx.model.tools) {
        if (t.tool === "k3s" || t.tool === "rke2") {
            out.push({
                distro: t.tool,
                role: t.argv[1]?.text as "server" | "agent",
                roleWhy: `${t.tool} ${t.argv[1]?.text}`,
                words: t.argv.slice(1),
                env: envFrom(t.env, t.at),
                at: t.at,
                minor: minorOf(t.env?.get(t.tool === "k3s" ? "INSTALL_K3S_VERSION" : "INSTALL_RKE2_VERSION")),
            });
        } else if (t.tool === "k3s-install") {
            // get.k3s.io install.sh: the service runs `k3s $INSTALL_K3S_EXEC "$@"`; when the first word is not server
            // or agent, the command is agent if K3S_URL is set and server otherwise (k3s docs, configuration.md).
            const exec = t.env?.get("INSTALL_K3S_EXEC");
            const from = `${t.at}, INSTALL_K3S_EXEC`;
            const words: Arg[] = [
                ...(exec ? splitWords(exec).map((text) => ({ text, from })) : []),
                ...t.argv.slice(1).map((a) => ({ text: a.text, from: a.from })),
            ];
            const first = words[0]?.text;
            const explicit = first === "server" || first === "agent";
            const role = explicit ? (first as "server" | "agent") : t.env?.get("K3S_URL") ? "agent" : "server";
            const roleWhy = explicit
                ? `k3s ${first}`
                : role === "agent"
                  ? "the install script runs an agent when K3S_URL is set"
                  : "the install script runs a server when neither server nor agent is named and K3S_URL is not set";
            out.push({
                distro: "k3s",
                role,
                roleWhy,
                words: explicit ? words : [{ text: role }, ...words],
                env: envFrom(t.env, t.at),
                at: t.at,
                minor: minorOf(t.env?.get("INSTALL_K3S_VERSION")),
            });
        } else if (t.tool === "rke2-install") {
            // get.rke2.io install.sh: INSTALL_RKE2_TYPE (server, the default, or agent) picks the rke2-server or
            // rke2-agent unit, which runs `rke2 server|agent` with no other arguments; INSTALL_RKE2_EXEC "is an alias
            // for INSTALL_RKE2_TYPE, included for compatibility with K3s" (install.sh): flags in it never reach rke2.
            const type = t.env?.get("INSTALL_RKE2_TYPE");
            const exec = t.env?.get("INSTALL_RKE2_EXEC");
            const execWords = exec ? splitWords(exec) : [];
            const chosen = type ?? execWords[0] ?? "server";
            if (!type && execWords.length > 1)
                ctx.model.note(
                    `${t.at}, INSTALL_RKE2_EXEC`,
                    "holds flags, but the RKE2 install script reads it only as the service type (an alias of INSTALL_RKE2_TYPE): the flags are not passed to rke2; put them in /etc/rancher/rke2/config.yaml",
                );
            const role = chosen === "agent" ? "agent" : "server";
            out.push({
                distro: "rke2",
                role,
                roleWhy: `the install script's ${type ? "INSTALL_RKE2_TYPE" : exec ? "INSTALL_RKE2_EXEC" : "default type"} (${role})`,
                words: [{ text: role }],
                env: envFrom(t.env, t.at),
                at: t.at,
                minor: minorOf(t.env?.get("INSTALL_RKE2_VERSION")),
            });
        }
    }
    for (const u of unitCommands(ctx.files)) {
        const bin = u.argv[0]?.text.split("/").pop();
        if (bin !== "k3s" && bin !== "rke2") continue;
        const sub = u.argv[1]?.text;
        if (sub !== "server" && sub !== "agent") continue;
        out.push({
            distro: bin,
            role: sub,
            roleWhy: `${u.unit} runs ${bin} ${sub}`,
            words: u.argv.slice(1),
            env: u.env,
            at: u.at,
        });
    }
    return out;
}

/** Every k3s or RKE2 node the resource describes, with its merged options. */
export function k3sViews(ctx: Context): View[] {
    const views: View[] = [];
    const list = starts(ctx);
    for (const s of list) {
        const cli = parseCommandLine(s.words, s.at);
        const env = envOptions(s.distro, s.env);
        const path = cli.options.last("config")?.value ?? env.last("config")?.value ?? configPath(s.distro);
        const files = readConfigFiles(ctx, s.distro, path);
        views.push({
            distro: s.distro,
            role: s.role ?? cli.role,
            roleWhy: s.roleWhy,
            options: layer(env, files.options, cli.options),
            at: s.at,
            minor: s.minor,
        });
    }
    // Configuration written for a distribution the program does not start itself (the image or another resource
    // installs it): the node reads it when it starts.
    for (const distro of ["k3s", "rke2"] as Distro[]) {
        if (list.some((s) => s.distro === distro)) continue;
        const files = readConfigFiles(ctx, distro, configPath(distro));
        if (!files.found) continue;
        const server = SERVER_ONLY.find((k) => files.options.values.has(k));
        const where = ctx.files.read(configPath(distro))?.where ?? `${configPath(distro)}.d`;
        views.push({
            distro,
            role: server ? "server" : undefined,
            roleWhy: server
                ? `its configuration sets ${server}, which only a server reads`
                : "the program does not show whether it is a server or an agent: its node components are judged",
            options: files.options,
            at: where,
        });
    }
    return views;
}
