// One invocation → one component's settings, with that component's own rules for where configuration comes
// from. Each rule is cited beside it; the catalogue (../catalogue.ts) holds the names, types and defaults.
import type { SettingKey, Subject } from "../../model";
import { APISERVER, ComponentSpec, ETCD, KUBELET, KUBE_PROXY, SCHEDULER } from "../catalogue";
import type { NodeModel } from "../model";
import type { NodeFiles } from "./files";
import { FlagUse, ParsedFlags, lastFlag, parseFlags } from "./flags";
import type { Invocation } from "./invocation";
import { readAuditPolicy } from "./audit-policy";
import { SettingsBuilder } from "./settings";

const HEALTH_PATHS = new Set(["/healthz", "/livez", "/readyz"]);

function obj(v: unknown): Record<string, unknown> | undefined {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export interface Resolved {
    subject: Subject;
    unknown: ReadonlyMap<string, string>;
}

interface Env {
    model: NodeModel;
    files: NodeFiles;
    orphanDocs: { kind: string; doc: unknown; at: string }[];
}

/** Settings a config file could set, left unknown (and reported once) when the file's content is not known. */
function fileUnknown(
    b: SettingsBuilder,
    spec: ComponentSpec,
    flags: ParsedFlags,
    why: string,
    exclusive = false,
): void {
    const byFlag = new Set(flags.uses.map((u) => u.name));
    for (const st of spec.settings) {
        if (!st.config && !exclusive) continue;
        if (!exclusive && st.flag && byFlag.has(st.flag)) continue;
        b.markUnknown(st.key, why);
    }
}

function notWritten(path: string, what: string): string {
    return `${what} are in ${path}, which this program does not write (or whose content is not known before the node runs)`;
}

/** kubelet: --config, then --config-dir drop-ins (*.conf, lexical order, merged over --config), then flags. */
function kubelet(inv: Invocation, b: SettingsBuilder, flags: ParsedFlags, env: Env): void {
    if (inv.base) {
        b.useConfigFile(inv.base.why);
        b.applyBaseDocument(inv.base.doc, inv.base.why);
        for (const k of inv.base.notApplicable ?? []) b.omit(k);
    }
    for (const d of inv.docs ?? []) {
        b.useConfigFile(inv.configWhy ?? "a KubeletConfiguration is given");
        b.applyDocument(d.doc, d.at);
    }
    const config = lastFlag(flags, "config");
    if (config && config.value !== true) {
        const path = config.value;
        const d = env.files.document(path);
        b.useConfigFile(
            !d?.known ? `--config ${path}` : d.where.includes(path) ? d.where : `--config ${path}: ${d.where}`,
        );
        if (d?.known) b.applyDocument(d.doc, `${d.where}${d.where.includes(path) ? "" : ` (${path})`}`);
        else if (!inv.base || !env.files.has(path)) {
            const orphan = env.orphanDocs.filter((o) => o.kind === "KubeletConfiguration");
            if (!d && orphan.length) for (const o of orphan) b.applyDocument(o.doc, o.at);
            else {
                env.model.note(`${inv.at}: --config`, notWritten(path, "kubelet settings"));
                fileUnknown(b, KUBELET, flags, `--config ${path}`);
            }
        }
    }
    // KEP-3983, kubernetes.io "Kubelet Configuration Directory Merging": files with the .conf suffix in
    // alphanumeric order, each merged over the previous result (lists replaced).
    const dir = lastFlag(flags, "config-dir");
    if (dir && dir.value !== true) {
        const paths = env.files.list(dir.value).filter((p) => p.endsWith(".conf"));
        if (paths.length) b.useConfigFile(`--config-dir ${dir.value}`);
        for (const p of paths) {
            const d = env.files.document(p);
            if (d?.known) b.applyDocument(d.doc, d.where);
            else env.model.note(`${inv.at}: --config-dir`, notWritten(p, "kubelet settings"));
        }
    }
    b.applyFlags(flags, inv.label ?? inv.at);
    for (const v of inv.values ?? []) b.applyValue(v.key, v.value, v.where, "document");
}

/**
 * etcd: `--config-file` (or ETCD_CONFIG_FILE) is exclusive: "If present, all other flags and environment
 * variables are ignored" (etcd.io/docs/v3.5/op-guide/configuration). Otherwise each flag may also come from
 * ETCD_<FLAG> (server/etcdmain/config.go: flags.SetPflagsFromEnv), and the same option given both ways makes
 * etcd refuse to start ("conflicting environment variable ... is shadowed by corresponding command-line flag").
 */
function etcd(inv: Invocation, b: SettingsBuilder, flags: ParsedFlags, env: Env): ParsedFlags {
    const envName = (flag: string) => `ETCD_${flag.toUpperCase().split("-").join("_")}`;
    const configFlag = lastFlag(flags, "config-file");
    const configEnv = inv.env.get("ETCD_CONFIG_FILE");
    const path = configFlag && configFlag.value !== true ? configFlag.value : configEnv?.value;
    if (path) {
        const where = configFlag ? `${inv.at}: --config-file` : `${inv.at}, ${configEnv!.from}`;
        b.useConfigFile(`--config-file ${path}`);
        const d = env.files.document(path);
        if (d?.known) b.applyDocument(d.doc, `${d.where}${d.where.includes(path) ? "" : ` (${path})`}`);
        else {
            env.model.note(
                where,
                notWritten(path, "etcd settings (all of them: the file replaces flags and environment)"),
            );
            fileUnknown(b, ETCD, flags, `--config-file ${path}`, true);
        }
        return { uses: [], opaque: [] };
    }
    const fromEnv: FlagUse[] = [];
    const given = new Set(flags.uses.map((u) => u.name));
    for (const st of ETCD.settings) {
        if (!st.flag) continue;
        const e = inv.env.get(envName(st.flag));
        if (!e) continue;
        if (given.has(st.flag)) {
            env.model.note(
                `${inv.at}: --${st.flag}`,
                `is given both as a flag and as ${envName(st.flag)}; etcd refuses to start with a conflicting environment variable`,
            );
        }
        fromEnv.push({ name: st.flag, value: e.value, from: e.from, index: -1 });
    }
    if (inv.envUnknown) {
        for (const st of ETCD.settings)
            if (st.flag && !given.has(st.flag) && !inv.env.has(envName(st.flag)))
                b.markUnknown(st.key, `${inv.at} env`);
        env.model.note(
            `${inv.at} env`,
            "has variables the pack cannot read (envFrom or valueFrom), and etcd reads its flags from ETCD_* variables: settings not given as flags are judged at update",
        );
    }
    return { uses: [...fromEnv, ...flags.uses], opaque: flags.opaque, opaqueFrom: flags.opaqueFrom };
}

/**
 * kube-apiserver --authorization-config (StructuredAuthorizationConfiguration, beta 1.30, GA 1.32): the
 * AuthorizationConfiguration's authorizers replace --authorization-mode (the two flags cannot be combined).
 */
function authorizationConfig(inv: Invocation, b: SettingsBuilder, flags: ParsedFlags, env: Env): void {
    const f = lastFlag(flags, "authorization-config");
    if (!f || f.value === true) return;
    const d = env.files.document(f.value);
    const where = `${inv.at}: --authorization-config`;
    const doc = d?.known ? obj(d.doc) : undefined;
    if (!doc || doc.kind !== "AuthorizationConfiguration") {
        env.model.note(where, notWritten(f.value, "the API server's authorizers"));
        b.omit("apiserver.authorizationMode");
        return;
    }
    const types = (Array.isArray(doc.authorizers) ? doc.authorizers : [])
        .map((a) => obj(a)?.type)
        .filter((t): t is string => typeof t === "string");
    b.applyValue(
        "apiserver.authorizationMode",
        types,
        `${d!.where} authorizers[].type (replaces --authorization-mode)`,
    );
}

/**
 * --authentication-config: an AuthenticationConfiguration whose `anonymous.enabled` is true with `conditions`
 * that allow only /healthz, /livez and /readyz is accepted (kubernetes.io, "Anonymous authenticator
 * configuration"). Read from the file the node writes; an AuthenticationConfiguration document found anywhere
 * in the resource stands for it when the file is not written under that name.
 */
function authenticationConfig(inv: Invocation, b: SettingsBuilder, flags: ParsedFlags, env: Env): void {
    const f = lastFlag(flags, "authentication-config");
    const path = f && f.value !== true ? f.value : undefined;
    const d = path ? env.files.document(path) : undefined;
    let doc = d?.known ? obj(d.doc) : undefined;
    let where = d?.where ?? "";
    if (!doc || doc.kind !== "AuthenticationConfiguration") {
        const orphan = env.orphanDocs.find((o) => o.kind === "AuthenticationConfiguration");
        doc = orphan ? obj(orphan.doc) : undefined;
        where = orphan?.at ?? "";
    }
    if (!doc) {
        if (path) {
            env.model.note(
                `${inv.at}: --authentication-config`,
                notWritten(path, "the API server's anonymous-access settings"),
            );
            b.omit("apiserver.anonymousAuth");
        }
        return;
    }
    const anon = obj(doc.anonymous);
    const enabled = anon?.enabled === true;
    const conditions = Array.isArray(anon?.conditions) ? anon.conditions : [];
    const paths = conditions.map((c) => obj(c)?.path).filter((p): p is string => typeof p === "string");
    const healthOnly =
        enabled && paths.length > 0 && paths.length === conditions.length && paths.every((p) => HEALTH_PATHS.has(p));
    b.applyValue("apiserver.anonymousAuth", enabled, `${where} anonymous`, "document");
    if (healthOnly)
        b.applyValue(
            "apiserver.anonymousHealthOnly",
            true,
            `${where} anonymous.conditions (health endpoints only)`,
            "document",
        );
}

/** --encryption-provider-config: a first provider `identity` writes Secrets unencrypted (EncryptionConfiguration docs). */
function encryptionConfig(inv: Invocation, b: SettingsBuilder, flags: ParsedFlags, env: Env): void {
    const f = lastFlag(flags, "encryption-provider-config");
    if (!f || f.value === true) return;
    const d = env.files.document(f.value);
    const doc = d?.known ? obj(d.doc) : undefined;
    if (!doc || doc.kind !== "EncryptionConfiguration") return;
    const first = (Array.isArray(doc.resources) ? doc.resources : [])
        .map((r) => obj(r))
        .find(
            (r) =>
                Array.isArray(r?.resources) && (r!.resources as unknown[]).some((x) => x === "secrets" || x === "*.*"),
        );
    const provider = Array.isArray(first?.providers) ? obj(first!.providers[0]) : undefined;
    if (provider && "identity" in provider) {
        b.applyValue(
            "apiserver.encryptionProviderConfig",
            "",
            `${d!.where} resources[].providers[0] is identity (Secrets are stored unencrypted)`,
        );
    }
}

const AUDIT_POLICY_KEYS: SettingKey[] = [
    "apiserver.auditPolicyLogsRequests",
    "apiserver.auditPolicySecretsMetadataOnly",
];

/** --audit-policy-file: the Policy the node writes decides what is logged (resolve/audit-policy.ts). */
function auditPolicy(inv: Invocation, b: SettingsBuilder, flags: ParsedFlags, env: Env): void {
    const f = lastFlag(flags, "audit-policy-file");
    const omitAll = () => AUDIT_POLICY_KEYS.forEach((k) => b.omit(k));
    if (!f || f.value === true || f.value.includes("$")) return omitAll();
    const d = env.files.document(f.value);
    const doc = d?.known ? obj(d.doc) : undefined;
    const where = `${inv.at}: --audit-policy-file`;
    if (!doc) {
        env.model.note(where, notWritten(f.value, "the API server's audit rules"));
        return omitAll();
    }
    if (doc.kind !== "Policy" || typeof doc.apiVersion !== "string" || !doc.apiVersion.startsWith("audit.k8s.io/")) {
        env.model.note(where, `names ${d!.where}, which is not an audit.k8s.io Policy; its audit rules are not judged`);
        return omitAll();
    }
    const r = readAuditPolicy(doc, d!.where);
    if (!r.valid) {
        // The API server refuses such a policy; either way nothing is recorded under it.
        b.applyValue("apiserver.auditPolicyLogsRequests", false, `${d!.where} (${r.why})`, "document");
        b.omit("apiserver.auditPolicySecretsMetadataOnly");
        return;
    }
    b.applyValue("apiserver.auditPolicyLogsRequests", r.logsRequests.value, r.logsRequests.where, "document");
    b.applyValue(
        "apiserver.auditPolicySecretsMetadataOnly",
        r.secretsMetadataOnly.value,
        r.secretsMetadataOnly.where,
        "document",
    );
}

/** kube-scheduler --config: the KubeSchedulerConfiguration decides profiling (enableProfiling, default true) and --profiling is ignored. */
function scheduler(inv: Invocation, b: SettingsBuilder, flags: ParsedFlags, env: Env): ParsedFlags {
    const f = lastFlag(flags, "config");
    if (!f || f.value === true) return flags;
    b.useConfigFile(`--config ${f.value}`);
    const d = env.files.document(f.value);
    if (d?.known) b.applyDocument(d.doc, d.where);
    else {
        env.model.note(`${inv.at}: --config`, notWritten(f.value, "kube-scheduler settings (profiling)"));
        b.markUnknown("scheduler.profiling", `--config ${f.value}`);
    }
    return {
        uses: flags.uses.filter((u) => u.name !== "profiling"),
        opaque: flags.opaque,
        opaqueFrom: flags.opaqueFrom,
    };
}

function kubeProxy(inv: Invocation, b: SettingsBuilder, flags: ParsedFlags, env: Env): void {
    for (const d of inv.docs ?? []) {
        b.useConfigFile("a KubeProxyConfiguration is given");
        b.applyDocument(d.doc, d.at);
    }
    const f = lastFlag(flags, "config");
    if (!f || f.value === true) return;
    b.useConfigFile(`--config ${f.value}`);
    const d = env.files.document(f.value);
    if (d?.known) b.applyDocument(d.doc, d.where);
    else {
        const orphan = env.orphanDocs.filter((o) => o.kind === "KubeProxyConfiguration");
        if (orphan.length) for (const o of orphan) b.applyDocument(o.doc, o.at);
        else {
            env.model.note(`${inv.at}: --config`, notWritten(f.value, "kube-proxy settings"));
            fileUnknown(b, KUBE_PROXY, flags, `--config ${f.value}`);
        }
    }
}

export function resolveInvocation(inv: Invocation, env: Env, platform: Subject["platform"]): Resolved {
    const b = new SettingsBuilder(inv.spec, platform, inv.location ?? "");
    b.kubernetesMinor = inv.minor;
    let flags = parseFlags(inv.args, inv.spec);
    if (inv.spec === KUBELET) kubelet(inv, b, flags, env);
    else {
        if (inv.spec === ETCD) flags = etcd(inv, b, flags, env);
        if (inv.spec === SCHEDULER) flags = scheduler(inv, b, flags, env);
        if (inv.spec === KUBE_PROXY) kubeProxy(inv, b, flags, env);
        b.applyFlags(flags, inv.label ?? inv.at);
        for (const v of inv.values ?? []) b.applyValue(v.key, v.value, v.where);
        if (inv.spec === APISERVER) {
            authorizationConfig(inv, b, flags, env);
            authenticationConfig(inv, b, flags, env);
            encryptionConfig(inv, b, flags, env);
            auditPolicy(inv, b, flags, env);
        }
    }
    for (const k of inv.omit ?? []) b.omit(k);
    for (const st of inv.unknownBase ? inv.spec.settings : [])
        if (!inv.unknownBase!.known.includes(st.key)) b.markUnknown(st.key, inv.unknownBase!.where);
    const undetermined = [...(inv.undetermined ?? []), ...env.model.undetermined.filter((u) => u.spec === inv.spec)];
    for (const u of undetermined) {
        const st = inv.spec.settings.find((x) => x.flag === u.flag);
        if (st) b.markUndetermined(st.key, u.where, u.reason);
    }
    return { subject: b.build(), unknown: b.unknown };
}
