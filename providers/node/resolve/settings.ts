// From a component's resolved sources to its settings, with the component's own precedence: command-line flags
// override config-file fields (kubelet: "Command-line flags override configuration from this file"), later
// config files override earlier ones (the kubelet's --config-dir drop-ins over --config), and whatever is left
// takes the default for how the component runs (flags only, or with a config file). Repeated flags combine as
// the catalogue says: StringSlice flags append (the first occurrence replaces the default), feature gates
// merge, everything else keeps the last occurrence.
import {
    Setting,
    SettingKey,
    Subject,
    defaulted,
    explicit,
    invalid,
    settingsOf,
    undetermined,
    unknown,
} from "../../model";
import type { ComponentSpec, SettingSpec } from "../catalogue";
import { UNKNOWN_MARK } from "../model";
import type { ParsedFlags } from "./flags";
import { INVALID, parseList, parseMap, parseValue } from "./values";

interface Found {
    value: unknown;
    where: string;
}

/** A config-file field by its dotted path; only scalars, lists and maps of scalars are taken (never walked deeper). */
export function readPath(doc: unknown, path: string): unknown {
    let cur: unknown = doc;
    for (const k of path.split(".")) {
        if (typeof cur !== "object" || cur === null || Array.isArray(cur)) return undefined;
        cur = (cur as Record<string, unknown>)[k];
    }
    return cur;
}

/** A value that still holds something the pack cannot know before the machine runs. */
function isUnknownText(v: unknown): boolean {
    return typeof v === "string" && (v.includes(UNKNOWN_MARK) || v.includes("$"));
}

/** Feature gates as "Name=value" words (values lower-cased), so rules can test for "RotateKubeletServerCertificate=false". */
function gateList(m: Record<string, string>): string[] {
    return Object.entries(m).map(([k, v]) => `${k}=${v.toLowerCase()}`);
}

export class SettingsBuilder {
    private fileMode = false;
    private fileWhy = "";
    private readonly fromBase = new Map<string, Found>();
    private readonly fromDocs = new Map<string, Found>();
    private readonly fromFlags = new Map<string, Found>();
    private readonly unknownKeys = new Map<string, string>();
    private readonly omitted = new Set<string>();
    private readonly undeterminedKeys = new Map<string, { where: string; reason: string }>();
    kubernetesMinor?: number;

    constructor(
        readonly spec: ComponentSpec,
        readonly platform: Subject["platform"],
        readonly location: string,
    ) {}

    /** The component reads a config file (kubelet --config, a distribution's generated file, ...). */
    useConfigFile(why: string): this {
        this.fileMode = true;
        this.fileWhy = why;
        return this;
    }

    get usesConfigFile(): boolean {
        return this.fileMode;
    }

    /** Fields of a config document (KubeletConfiguration, nodeadm spec.kubelet.config, ...); later calls win. */
    applyDocument(doc: unknown, label: string): this {
        return this.readDocument(doc, label, this.fromDocs);
    }

    /** What a distribution writes into the config file before the user's settings: the lowest layer. */
    applyBaseDocument(doc: unknown, label: string): this {
        return this.readDocument(doc, label, this.fromBase);
    }

    private readDocument(doc: unknown, label: string, into: Map<string, Found>): this {
        for (const st of this.spec.settings) {
            if (!st.config) continue;
            const v = readPath(doc, st.config);
            if (v === undefined || v === null) continue;
            const where = `${label} ${st.config}`;
            const prev = into.get(st.key);
            if (st.type === "map" && prev) {
                const a = parseMap(prev.value);
                const b = parseMap(v);
                if (a !== INVALID && b !== INVALID) {
                    into.set(st.key, { value: { ...a, ...b }, where });
                    continue;
                }
            }
            into.set(st.key, { value: v, where });
        }
        return this;
    }

    /** Command-line flags (every occurrence, in order); `label` says where the command line was found. */
    applyFlags(p: ParsedFlags, label: string): this {
        const byFlag = new Map<string, SettingSpec>();
        for (const st of this.spec.settings) if (st.flag) byFlag.set(st.flag, st);
        const seen = new Set<string>();
        // Repeated StringSlice flags: the values so far (appended in place) and where the first one was, so that a
        // long run of repeats costs its length (no list or message is rebuilt per occurrence).
        const appended = new Map<string, { values: string[]; first: string }>();
        for (const u of p.uses) {
            const st = byFlag.get(u.name);
            if (!st) continue;
            const value = u.value === true ? "true" : u.value;
            const chain = [label, u.from].filter((x) => x).join(", ");
            const where = `${chain}${chain ? ": " : ""}--${st.flag}`;
            const prev = this.fromFlags.get(st.key);
            if (st.repeat === "append" && prev && seen.has(st.key)) {
                const acc = appended.get(st.key);
                const a = acc ? acc.values : parseList(prev.value);
                const b = parseList(value);
                if (a !== INVALID && b !== INVALID) {
                    for (const x of b) a.push(x);
                    const first = acc ? acc.first : prev.where;
                    appended.set(st.key, { values: a, first });
                    this.fromFlags.set(st.key, {
                        value: a,
                        where: `${first} and ${where} (repeated: the values append)`,
                    });
                    continue;
                }
            }
            if (st.type === "map" && prev) {
                const a = parseMap(prev.value);
                const b = parseMap(value);
                if (a !== INVALID && b !== INVALID) {
                    this.fromFlags.set(st.key, { value: { ...a, ...b }, where });
                    continue;
                }
            }
            seen.add(st.key);
            appended.delete(st.key);
            this.fromFlags.set(st.key, { value, where });
        }
        if (p.opaque.length) {
            const lastOpaque = p.opaque[p.opaque.length - 1];
            const fixedAfter = new Set<string>();
            for (const u of p.uses) {
                const st = byFlag.get(u.name);
                if (st && u.index > lastOpaque && st.repeat !== "append" && st.type !== "map") fixedAfter.add(st.key);
            }
            for (const st of this.spec.settings) {
                if (!fixedAfter.has(st.key))
                    this.unknownKeys.set(
                        st.key,
                        p.opaqueFrom ?? `${label}${label ? ": " : ""}argument ${lastOpaque + 1}`,
                    );
            }
        }
        return this;
    }

    /** One value by setting key (a distribution setting, a value derived from a config file). */
    applyValue(key: SettingKey, value: unknown, where: string, level: "flag" | "document" = "flag"): this {
        (level === "flag" ? this.fromFlags : this.fromDocs).set(key, { value, where });
        return this;
    }

    /** The setting cannot be known before the node runs (it is judged again at update). */
    markUnknown(key: SettingKey, where: string): this {
        this.unknownKeys.set(key, where);
        return this;
    }

    /** The program does not decide the setting, for a reason other than a preview output (`reason` says why). */
    markUndetermined(key: SettingKey, where: string, reason: string): this {
        this.undeterminedKeys.set(key, { where, reason });
        return this;
    }

    /** The setting does not apply to this component as it runs here (the rules that judge it say nothing). */
    omit(key: SettingKey): this {
        this.omitted.add(key);
        return this;
    }

    has(key: SettingKey): boolean {
        return this.fromFlags.has(key) || this.fromDocs.has(key);
    }

    hasFlag(key: SettingKey): boolean {
        return this.fromFlags.has(key);
    }

    /** Keys that come from unknown words; the resolver reports them once. */
    get unknown(): ReadonlyMap<string, string> {
        return this.unknownKeys;
    }

    private settingFor(st: SettingSpec): Setting {
        const found =
            this.fromFlags.get(st.key) ??
            this.fromDocs.get(st.key) ??
            (this.fileMode ? this.fromBase.get(st.key) : undefined);
        if (found) {
            if (isUnknownText(found.value)) return unknown(found.where);
            const v = parseValue(st.type, found.value);
            if (v === INVALID) return invalid(found.where);
            return explicit(st.type === "map" ? gateList(v as Record<string, string>) : v, found.where);
        }
        if (st.versionDefault) {
            const d = st.versionDefault(this.kubernetesMinor);
            return defaulted(d.value, `--${st.flag} (not set: ${d.why})`);
        }
        if (this.fileMode && st.config) {
            return defaulted(st.fileDefault, `${st.config} (not set: config-file default, ${this.fileWhy})`);
        }
        if (st.flag) {
            const how =
                this.spec.component === "kubelet" && !this.fileMode ? "flag default, no config file" : "default";
            return defaulted(st.flagDefault, `--${st.flag} (not set: ${how})`);
        }
        return defaulted(st.flagDefault, `${st.config ?? st.key} (not set: default)`);
    }

    build(): Subject {
        const settings = settingsOf();
        for (const st of this.spec.settings) {
            if (this.omitted.has(st.key) || this.unknownKeys.has(st.key)) continue;
            const u = this.undeterminedKeys.get(st.key);
            const setting = u ? undetermined(u.where, u.reason) : this.settingFor(st);
            if (st.type === "map" && setting.state === "default") setting.value = [];
            settings[st.key] = setting;
        }
        return {
            component: this.spec.component,
            platform: this.platform,
            location: this.location,
            settings,
            kubernetesMinor: this.kubernetesMinor,
        };
    }
}
