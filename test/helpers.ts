// Test helpers over the public surface of the layers: providers → policies → pack findings.
import * as assert from "node:assert/strict";
import { RULES, Rule } from "../policies";
import { normalize } from "../providers";
import type { Normalized, Setting, SettingKey, Subject } from "../providers";
import { effectiveConfig } from "../pack/config";
import { Finding, judgeNormalized } from "../pack/judge";

export function rule(id: string): Rule {
    const r = RULES.find((x) => x.id === id);
    if (!r) throw new Error(`no rule ${id}`);
    return r;
}

export function judgeProps(
    id: string,
    type: string,
    props: Record<string, unknown>,
    config: Record<string, unknown> = {},
    name = "res",
): Finding[] {
    const n = normalize(type, props);
    return judgeNormalized(
        rule(id),
        { type, name, urn: `urn:pulumi:dev::demo::${type}::${name}` },
        n,
        effectiveConfig({}, config),
    );
}

/** "violation" | "unknown" | "pass" for one rule on one resource. */
export function verdict(
    id: string,
    type: string,
    props: Record<string, unknown>,
    config: Record<string, unknown> = {},
): "violation" | "unknown" | "pass" {
    const f = judgeProps(id, type, props, config);
    if (f.some((x) => x.level === "policy")) return "violation";
    if (f.length > 0) return "unknown";
    return "pass";
}

export function subject(n: Normalized, component: Subject["component"]): Subject {
    const s = n.subjects.find((x) => x.component === component);
    assert.ok(s, `no ${component} subject in ${JSON.stringify(n.subjects.map((x) => x.component))}`);
    return s;
}

export function setting(
    type: string,
    props: Record<string, unknown>,
    component: Subject["component"],
    key: SettingKey,
): Setting {
    const s = subject(normalize(type, props), component).settings[key];
    assert.ok(s, `no setting ${key}`);
    return s;
}

/** The engine's unknown sentinel for strings, as it appears in preview inputs. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
