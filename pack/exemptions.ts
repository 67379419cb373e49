// In-code exemptions: a tag, label or annotation on the resource itself, next to the code that creates it.
//
//   kube-api-guard/exempt: "<policy>[,<policy>]: <reason> (until YYYY-MM-DD)"
//
// Keys and values must fit every carrier's rules, so one grammar accepts all of these spellings:
// - Kubernetes annotations (metadata.annotations): any text; the key `kube-api-guard/exempt` is a valid
//   prefixed annotation key.
// - AWS tags (tags): key ≤ 128, value ≤ 256 characters; many services allow only letters, digits, spaces and
//   `_ . : / = + - @` (no commas or parentheses): write `policy-a+policy-b: reason until 2027-01-31`.
//   https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
// - Azure tags (tags): keys cannot contain `< > % & \ ? /`: use the key `kube-api-guard-exempt`.
//   https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations
// - GCP labels (labels, GKE resourceLabels): keys and values only lowercase letters, digits, `_` and `-`, at most 63
//   characters: key `kube-api-guard-exempt`, value `policy--reason-words--until-2027-01-31`; several policies are
//   joined with `_`; a policy may be named by a leading part of its name that no other policy shares
//   (`cluster-public-endpoint`), as full names do not fit in 63 characters with a reason.
//   https://cloud.google.com/compute/docs/labeling-resources#requirements
// Several exemptions on one resource use keys with a suffix: `kube-api-guard-exempt-2`, `kube-api-guard/exempt.db`.
//
// The policy list ends at the first `:` or `--` (policy names never contain either); the reason is required; the
// expiry is optional unless configuration requires it, and an exemption is valid through its `until` day (UTC).
// An exemption that names an unknown or ambiguous policy, has no reason or a malformed date is not applied at all.

import { isUnknownValue } from "../providers/props";

const KEY = /^kube-api-guard[/_-]exempt(?:[-_./][a-z0-9][a-z0-9_.-]{0,40})?$/i;
/** Longer values are not read: no carrier allows them as tags, and parsing stays cheap. */
const MAX_VALUE = 1024;

export type TagCarrier = "tag" | "label" | "annotation";

export interface TagExemption {
    /** The key as written, e.g. `kube-api-guard/exempt`. */
    key: string;
    carrier: TagCarrier;
    /** Full policy names. */
    policies: string[];
    reason: string;
    /** YYYY-MM-DD, the last day the exemption applies (UTC). */
    until?: string;
    expired: boolean;
}

export interface TagProblem {
    key: string;
    carrier: TagCarrier;
    problem: string;
}

export interface TagExemptions {
    exemptions: TagExemption[];
    problems: TagProblem[];
}

export const NO_TAG_EXEMPTIONS: TagExemptions = { exemptions: [], problems: [] };

function isObj(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** [key, value, carrier] of every tag, label and annotation on the resource's own inputs. */
function entries(props: unknown): [string, unknown, TagCarrier][] {
    if (!isObj(props)) return [];
    const out: [string, unknown, TagCarrier][] = [];
    const add = (m: unknown, carrier: TagCarrier) => {
        if (isObj(m)) for (const k of Object.keys(m)) out.push([k, m[k], carrier]);
        else if (Array.isArray(m)) {
            // AWS Auto Scaling groups and a few others: [{ key, value, propagateAtLaunch }].
            for (const t of m) if (isObj(t) && typeof t.key === "string") out.push([t.key, t.value, carrier]);
        }
    };
    add(props.tags, "tag");
    add(props.labels, "label");
    add(props.resourceLabels, "label");
    if (isObj(props.metadata)) add(props.metadata.annotations, "annotation");
    return out;
}

function validDate(s: string): boolean {
    const [y, m, d] = s.split("-").map(Number);
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Resolves a written policy name: the full name, or a leading part at a word boundary shared by no other policy. */
function resolvePolicy(token: string, names: readonly string[]): string | { problem: string } {
    const t = token.toLowerCase();
    if (t === "all" || t === "*")
        return { problem: "name each policy: an in-code exemption cannot cover every policy" };
    if (names.includes(t)) return t;
    const matches = names.filter((n) => n.startsWith(`${t}-`));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
        const shown = matches.slice(0, 3).join(", ") + (matches.length > 3 ? ", …" : "");
        return { problem: `"${token}" could be any of ${matches.length} policies (${shown}); write the full name` };
    }
    return { problem: `"${token}" is not a policy of this pack` };
}

const TRIM = " \t()_-";

function trimChars(s: string, chars: string): string {
    let a = 0;
    let b = s.length;
    while (a < b && chars.includes(s[a])) a++;
    while (b > a && chars.includes(s[b - 1])) b--;
    return s.slice(a, b);
}

export function parseExemptionValue(
    value: string,
    names: readonly string[],
    today: string,
): Omit<TagExemption, "key" | "carrier"> | { problem: string } {
    if (value.length > MAX_VALUE) return { problem: `the value is longer than ${MAX_VALUE} characters` };
    let text = value.trim();
    let until: string | undefined;
    const at = text.toLowerCase().lastIndexOf("until");
    if (at >= 0) {
        const m = /^until[\s:_=-]{0,3}(\d{4}-\d{2}-\d{2})\s*\)?\s*$/i.exec(text.slice(at));
        if (m) {
            if (!validDate(m[1])) return { problem: `"${m[1]}" is not a date` };
            until = m[1];
            text = trimChars(text.slice(0, at), TRIM + ",;");
        } else if (/^until\b/i.test(text.slice(at)) && !/[A-Za-z]/.test(text.slice(at + 5))) {
            return { problem: "the expiry must be written `until YYYY-MM-DD`" };
        }
    }
    const colon = text.indexOf(":");
    const dashes = text.indexOf("--");
    const sep = colon < 0 ? dashes : dashes < 0 ? colon : Math.min(colon, dashes);
    if (sep < 0) return { problem: "no reason: write `<policy>: <reason> (until YYYY-MM-DD)`" };
    const reason = trimChars(text.slice(sep + (sep === colon ? 1 : 2)), " \t-_");
    if ((reason.match(/[\p{L}\p{N}]/gu) ?? []).length < 3) {
        return { problem: "no reason: an exemption must say why (`<policy>: <reason>`)" };
    }
    const tokens = text
        .slice(0, sep)
        .split(/[\s,+_;]+/)
        .filter((t) => t !== "");
    if (tokens.length === 0) return { problem: "no policy named before the reason" };
    const policies: string[] = [];
    for (const t of tokens) {
        const p = resolvePolicy(t, names);
        if (typeof p !== "string") return p;
        if (!policies.includes(p)) policies.push(p);
    }
    return { policies, reason, until, expired: until !== undefined && until < today };
}

/** Reads the resource's in-code exemptions. `today` is YYYY-MM-DD (UTC). */
export function readTagExemptions(props: unknown, names: readonly string[], today: string): TagExemptions {
    const found = entries(props).filter(([k]) => KEY.test(k));
    if (found.length === 0) return NO_TAG_EXEMPTIONS;
    const out: TagExemptions = { exemptions: [], problems: [] };
    for (const [key, value, carrier] of found) {
        if (typeof value !== "string" || isUnknownValue(value)) {
            out.problems.push({
                key,
                carrier,
                problem: "its value is not text (unknown during preview, or not a string)",
            });
            continue;
        }
        const p = parseExemptionValue(value, names, today);
        if ("problem" in p) out.problems.push({ key, carrier, problem: p.problem });
        else out.exemptions.push({ key, carrier, ...p });
    }
    return out;
}

/** "its tag \"kube-api-guard/exempt\"" */
export function tagLabel(t: { key: string; carrier: TagCarrier }): string {
    return `its ${t.carrier} "${t.key}"`;
}

export function todayUtc(now = new Date()): string {
    return now.toISOString().slice(0, 10);
}
