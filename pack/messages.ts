// Diagnostic text. Messages name the resource, the setting, where it was found, why it matters and the fix.
// Values are shown only when they are short, plain tokens (booleans, numbers, enum words, CIDRs, flag
// values); anything else is withheld so that user data, tokens and keys never reach the output.
import type { Outcome, Rule } from "../policies";
import type { Setting, Subject } from "../providers";
import { UNKNOWN } from "../providers/props";
import type { ResourceRef, Exemption } from "./config";

const SAFE_TOKEN = /^[A-Za-z0-9_.:/@=,+\-]{1,80}$/;

export function showValue(v: unknown): string {
    if (v === UNKNOWN) return "(unknown)";
    if (typeof v === "boolean" || typeof v === "number") return String(v);
    if (typeof v === "string") return SAFE_TOKEN.test(v) ? v : "(value withheld)";
    if (Array.isArray(v)) {
        const shown = v.slice(0, 10).map(showValue);
        if (v.length > 10) shown.push(`… ${v.length - 10} more`);
        return `[${shown.join(", ")}]`;
    }
    if (v === undefined || v === null) return "(none)";
    return "(value withheld)";
}

export function describeSetting(s: Setting): string {
    switch (s.state) {
        case "explicit": return `${s.where} = ${s.shown ?? showValue(s.value)}`;
        case "default": return `${s.where.includes("(not set") ? s.where : `${s.where} (not set)`} → ${s.shown ?? showValue(s.value)}`;
        case "unknown": return `${s.where} (unknown during preview)`;
        case "invalid": return `${s.where} (unreadable value)`;
    }
}

export function resourceLabel(r: ResourceRef): string {
    return `${r.type} "${r.name}"`;
}

function located(subject: Subject, text: string): string {
    return subject.location ? `${subject.location}, ${text}` : text;
}

export function violationMessage(rule: Rule, r: ResourceRef, subject: Subject, o: Extract<Outcome, { verdict: "fail" }>): string {
    const detail = o.detail.startsWith(":") ? o.detail : ` (${o.detail})`;
    return `${resourceLabel(r)}: ${located(subject, describeSetting(o.setting))}${detail}. Why it matters: ${rule.why}. Fix: ${rule.remediation}`;
}

export function unknownMessage(rule: Rule, r: ResourceRef, subject: Subject, o: Extract<Outcome, { verdict: "unknown" }>): string {
    const again = o.setting.reason
        ? "State it in the program to get a verdict."
        : "It is judged again when the update runs with resolved values.";
    return `${resourceLabel(r)}: could not judge "${rule.title}": ${located(subject, o.setting.where)} ${o.detail}. ` +
        `${again} Fix if it ends up failing: ` + rule.remediation;
}

export function exemptionMessage(rule: Rule, r: ResourceRef, e: Exemption, finding: string): string {
    const by = e.by ?? [e.resource && `resource "${e.resource}"`, e.urn && `urn "${e.urn}"`, e.type && `type "${e.type}"`].filter(Boolean).join(", ");
    return `${resourceLabel(r)}: exempted from ${rule.id} by ${by}; reason: ${e.reason}. Finding that was suppressed: ${finding}`;
}
