// Assembles one component's effective settings from its sources, with the components' own precedence:
// command-line flags override config-file fields, later sources override earlier ones of the same kind,
// and whatever is left takes the default for how the component runs (flags only, or with a config file).
import { Setting, Subject, defaulted, explicit, invalid, unknown } from "../model";
import type { ComponentSpec, SettingSpec } from "./components";
import type { FlagMap } from "./flags";
import { INVALID, parseValue } from "./values";

interface Found { value: unknown; where: string; unknown?: boolean }

function readPath(doc: unknown, path: string): unknown {
    let cur: unknown = doc;
    for (const k of path.split(".")) {
        if (typeof cur !== "object" || cur === null || Array.isArray(cur)) return undefined;
        cur = (cur as Record<string, unknown>)[k];
    }
    return cur;
}

/** A value that still holds a shell variable cannot be known before the machine runs the script. */
function dependsOnShell(v: unknown): boolean {
    return typeof v === "string" && /\$\{?[A-Za-z_]/.test(v);
}

/** Feature gates as "Name=value" words (values lower-cased), so rules can test for "RotateKubeletServerCertificate=false". */
function gateList(m: Record<string, string>): string[] {
    return Object.entries(m).map(([k, v]) => `${k}=${v.toLowerCase()}`);
}

export class ComponentBuilder {
    private fileMode = false;
    private fileWhy = "";
    private readonly fromBase = new Map<string, Found>();
    private readonly fromDocs = new Map<string, Found>();
    private readonly fromFlags = new Map<string, Found>();
    private readonly omitted = new Set<string>();
    kubernetesMinor?: number;

    constructor(readonly spec: ComponentSpec, readonly platform: Subject["platform"], readonly location: string) {}

    /** The component reads a config file (kubelet --config, a distribution's generated file, ...). */
    useConfigFile(why: string): this {
        this.fileMode = true;
        this.fileWhy = why;
        return this;
    }

    get usesConfigFile(): boolean {
        return this.fileMode;
    }

    /** Fields of a config document (KubeletConfiguration, nodeadm spec.kubelet.config, ...). */
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
            into.set(st.key, { value: v, where: `${label} ${st.config}` });
        }
        return this;
    }

    /** Command-line flags; `label` says where the command line was found. */
    applyFlags(flags: FlagMap, label: string): this {
        for (const st of this.spec.settings) {
            if (!st.flag || !flags.has(st.flag)) continue;
            const v = flags.get(st.flag);
            this.fromFlags.set(st.key, { value: v === true ? "true" : v, where: label ? `${label} --${st.flag}` : `--${st.flag}` });
        }
        return this;
    }

    /** One value by setting key, as a flag-level source (e.g. a distribution setting that renders a flag). */
    applyValue(key: string, value: unknown, where: string, level: "flag" | "document" = "flag"): this {
        (level === "flag" ? this.fromFlags : this.fromDocs).set(key, { value, where });
        return this;
    }

    /** The setting does not apply to this component as it runs here (the rules that judge it say nothing). */
    omit(key: string): this {
        this.omitted.add(key);
        return this;
    }

    /** Whether any source mentioned this setting. */
    has(key: string): boolean {
        return this.fromFlags.has(key) || this.fromDocs.has(key);
    }

    /** Whether the command line sets this setting. */
    hasFlag(key: string): boolean {
        return this.fromFlags.has(key);
    }

    private settingFor(st: SettingSpec): Setting {
        const found = this.fromFlags.get(st.key) ?? this.fromDocs.get(st.key) ?? (this.fileMode ? this.fromBase.get(st.key) : undefined);
        if (found) {
            if (found.unknown || dependsOnShell(found.value)) return unknown(found.where);
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
            const how = this.spec.component === "kubelet" && !this.fileMode ? "flag default, no config file" : "default";
            return defaulted(st.flagDefault, `--${st.flag} (not set: ${how})`);
        }
        return defaulted(st.flagDefault, `${st.config ?? st.key} (not set: default)`);
    }

    build(): Subject {
        const settings: Record<string, Setting> = {};
        for (const st of this.spec.settings) {
            if (this.omitted.has(st.key)) continue;
            const setting = this.settingFor(st);
            if (st.type === "map" && setting.state === "default") setting.value = [];
            settings[st.key] = setting;
        }
        return { component: this.spec.component, platform: this.platform, location: this.location, settings, kubernetesMinor: this.kubernetesMinor };
    }
}
