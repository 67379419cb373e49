// Diagnostic text. Messages name the resource, the setting, where it was found, why it matters and the fix.
// Values are shown only when they are short, plain tokens (booleans, numbers, enum words, CIDRs, flag
// values); anything else is withheld so that user data, tokens and keys never reach the output.
import type { Outcome, Rule } from "../policies";
import type { Setting, Subject } from "../providers";
import { UNKNOWN } from "../providers/props";
import type { ResourceRef, Exemption } from "./config";
import { PLAIN_TOKEN } from "../providers/shown";

const SAFE_TOKEN = PLAIN_TOKEN;
export const SECRET = "(secret)";
export const WITHHELD = "(value withheld)";

export function showValue(v: unknown): string {
    if (v === UNKNOWN) return "(unknown)";
    if (typeof v === "boolean" || typeof v === "number") return String(v);
    if (typeof v === "string") return SAFE_TOKEN.test(v) ? v : WITHHELD;
    if (Array.isArray(v)) {
        const shown = v.slice(0, 10).map(showValue);
        if (v.length > 10) shown.push(`… ${v.length - 10} more`);
        return `[${shown.join(", ")}]`;
    }
    if (v === undefined || v === null) return "(none)";
    return WITHHELD;
}

export function describeSetting(s: Setting): string {
    switch (s.state) {
        case "explicit":
            return `${s.where} = ${s.secret ? SECRET : (s.shown ?? showValue(s.value))}`;
        case "default":
            return `${s.where.includes("(not set") ? s.where : `${s.where} (not set)`} → ${s.shown ?? showValue(s.value)}`;
        case "unknown":
            return `${s.where} (unknown during preview)`;
        case "invalid":
            return `${s.where} (unreadable value)`;
    }
}

/** How many values of one subject are looked for in its message text, and the longest text searched. */
const MAX_WITHHELD_VALUES = 500;
const MAX_SEARCHED_TEXT = 20_000;

/**
 * Values of a subject that must not appear in its messages: values of secret settings, and explicit strings that are
 * not short plain tokens (paths with spaces, tokens, scripts). Rules and providers may quote a value in a detail or
 * a `where` (a config path, a list of paths); every such occurrence is replaced. Undefined when there are too many.
 */
function withheldValues(subject: Subject): Map<string, string> | undefined {
    const out = new Map<string, string>();
    const add = (v: unknown, secret: boolean) => {
        const text = typeof v === "string" ? v : typeof v === "number" && secret ? String(v) : undefined;
        if (text === undefined || text === "") return;
        if (secret) out.set(text, SECRET);
        else if (!SAFE_TOKEN.test(text) && !out.has(text)) out.set(text, WITHHELD);
        for (const part of secret ? [text.trim()] : []) if (part !== "" && part !== text) out.set(part, SECRET);
    };
    for (const s of Object.values(subject.settings)) {
        if (s.state !== "explicit") continue;
        const secret = s.secret === true;
        if (Array.isArray(s.value)) {
            if (s.value.length > MAX_WITHHELD_VALUES) return undefined;
            for (const v of s.value) add(v, secret);
        } else add(s.value, secret);
        if (out.size > MAX_WITHHELD_VALUES) return undefined;
    }
    return out;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/** withheldValues of each subject, longest value first (null: too many), computed once however many findings it has. */
const withheldOf = new WeakMap<Subject, { values: Map<string, string>; longestFirst: string[] } | null>();

function withheldCached(subject: Subject): { values: Map<string, string>; longestFirst: string[] } | null {
    let w = withheldOf.get(subject);
    if (w === undefined) {
        const values = withheldValues(subject);
        w = values ? { values, longestFirst: [...values.keys()].sort((a, b) => b.length - a.length) } : null;
        withheldOf.set(subject, w);
    }
    return w;
}

/** Replaces every whole occurrence of each value (longest first). */
function replaceAll(text: string, values: Map<string, string>, longestFirst: string[]): string {
    let out = text;
    for (const v of longestFirst) {
        let from = 0;
        let i: number;
        let result = "";
        while ((i = out.indexOf(v, from)) >= 0) {
            const end = i + v.length;
            const whole =
                !(isWordChar(v[0]) && isWordChar(out[i - 1])) && !(isWordChar(v[v.length - 1]) && isWordChar(out[end]));
            result += out.slice(from, i) + (whole ? values.get(v)! : v);
            from = end;
        }
        out = result + out.slice(from);
    }
    return out;
}

/** The finding's text about one subject with every withheld value replaced; bounded in cost and length. */
function withheld(subject: Subject, text: string, fallback: () => string): string {
    const w = withheldCached(subject);
    if (!w || text.length > MAX_SEARCHED_TEXT) return fallback();
    return w.values.size === 0 ? text : replaceAll(text, w.values, w.longestFirst);
}

/** A detail that quotes values (": 10250 open to ...") says nothing of a secret setting but that it fails. */
function detailOf(setting: Setting, detail: string): string {
    if (setting.secret && detail.startsWith(":")) return ": the value, from an input marked secret, fails this rule";
    return detail.startsWith(":") ? detail : ` (${detail})`;
}

export function resourceLabel(r: ResourceRef): string {
    return `${r.type} "${r.name}"`;
}

function located(subject: Subject, text: string): string {
    return subject.location ? `${subject.location}, ${text}` : text;
}

/** The component that created a resource, from its URN (`…::eks:index:Cluster$aws:eks/cluster:Cluster::name`). */
export function parentType(urn: string): string | undefined {
    const qualified = urn.split("::")[2];
    const chain = qualified ? qualified.split("$") : [];
    return chain.length >= 2 ? chain[chain.length - 2] : undefined;
}

/** The fix in the terms of the resource's own provider, and of the component that created it where the rule knows it. */
export function fixFor(rule: Rule, r: ResourceRef): string {
    const own = rule.fix?.[r.type.split(":")[0]] ?? rule.remediation;
    const parent = parentType(r.urn);
    const viaParent = parent !== undefined ? rule.fix?.[parent] : undefined;
    return viaParent ? `${viaParent} (this resource is created by ${parent}; on the resource itself: ${own})` : own;
}

export function violationMessage(
    rule: Rule,
    r: ResourceRef,
    subject: Subject,
    o: Extract<Outcome, { verdict: "fail" }>,
): string {
    const finding = withheld(
        subject,
        `${located(subject, describeSetting(o.setting))}${detailOf(o.setting, o.detail)}`,
        () =>
            `${located(subject, describeSetting(o.setting))}: fails this rule (details withheld: too long to check for values)`,
    );
    return `${resourceLabel(r)}: ${finding}. Why it matters: ${rule.why}. Fix: ${fixFor(rule, r)}`;
}

export function unknownMessage(
    rule: Rule,
    r: ResourceRef,
    subject: Subject,
    o: Extract<Outcome, { verdict: "unknown" }>,
): string {
    const finding = withheld(
        subject,
        `${located(subject, o.setting.where)} ${o.detail}`,
        () => `${located(subject, o.setting.where)} cannot be judged`,
    );
    const again = o.setting.reason
        ? "State it in the program to get a verdict."
        : "It is judged again when the update runs with resolved values.";
    return (
        `${resourceLabel(r)}: could not judge "${rule.title}": ${finding}. ${again} Fix if it ends up failing: ` +
        fixFor(rule, r)
    );
}

export function exemptionMessage(rule: Rule, r: ResourceRef, e: Exemption, finding: string): string {
    const by =
        e.by ??
        [e.resource && `resource "${e.resource}"`, e.urn && `urn "${e.urn}"`, e.type && `type "${e.type}"`]
            .filter(Boolean)
            .join(", ");
    return `${resourceLabel(r)}: exempted from ${rule.id} by ${by}; reason: ${e.reason}. Finding that was suppressed: ${finding}`;
}
