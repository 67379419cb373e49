// What scan says about values it could not read (cli/inputs.ts sends them to the pack as unknown). The pack answers
// with its usual "could not judge … judged again when the update runs" advisory wherever a policy needed such a
// value, and stays silent where none did; scan rewrites those advisories to say why the value could not be read and
// what to do about it, for the kind of input it came from.
import type { Diagnostic } from "../client/analyzer";
import type { LoadedInput, Unreadable, UnreadableReason } from "./inputs";
import { MAX_INPUT_DEPTH } from "./inputs";

const WHAT: Record<UnreadableReason, string> = {
    encrypted: "encrypted",
    blinded: "a secret the preview output shows as [secret]",
    "too deep": `nested more than ${MAX_INPUT_DEPTH} levels deep`,
};

const ADVICE: Record<UnreadableReason, string> = {
    encrypted:
        "the stack's secrets provider encrypted it in the export; to judge it, " +
        "scan `pulumi stack export --show-secrets` " +
        "output (keep that file private) or run the pack in `pulumi preview --policy-pack`, which sees the values",
    blinded:
        "`pulumi preview --json` never prints secret values; " +
        "run the pack in `pulumi preview --policy-pack`, which sees " +
        "them, or scan `pulumi stack export --show-secrets` output after the update",
    "too deep": "scan does not pass values nested that deep to the pack",
};

/** Phrases of the pack's unknown-value messages that are about preview outputs, not about unreadable values. */
const PREVIEW_PHRASES: [RegExp, string][] = [
    [/ It is judged again when the update runs with resolved values\./, ""],
    [/is not known until the resources it depends on exist; it is inspected when the update runs/, "could not be read"],
    [/is not known until the resources it depends on exist/, "could not be read"],
    [/(are|is) (partly )?not known yet/, "$1 $2not readable"],
    [/ \(unknown during preview\)/, ""],
];

function topKey(path: string): string {
    return /^[^.[]*/.exec(path)?.[0] ?? path;
}

/** The unreadable values a diagnostic's message is about (by the input field it names), if any. */
function about(message: string, lost: Unreadable[]): Unreadable[] {
    return lost.filter((u) => {
        const key = topKey(u.path);
        return key !== "" && new RegExp(`\\b${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`).test(message);
    });
}

export function explainUnreadable(diagnostics: Diagnostic[], inputs: LoadedInput[]): Diagnostic[] {
    const lostByUrn = new Map<string, Unreadable[]>();
    for (const i of inputs)
        for (const [urn, lost] of i.unreadable) lostByUrn.set(urn, [...(lostByUrn.get(urn) ?? []), ...lost]);
    if (lostByUrn.size === 0) return diagnostics;
    return diagnostics.map((d) => {
        const lost = lostByUrn.get(d.urn);
        if (!lost || d.enforcementLevel === "mandatory") return d;
        const lines = d.message.split("\n");
        const last = lines.pop() ?? "";
        const hits = about(last, lost);
        if (hits.length === 0) return d;
        const reason = hits[0].reason;
        const paths = [...new Set(hits.filter((h) => h.reason === reason).map((h) => h.path))].slice(0, 5).join(", ");
        let rest = last;
        for (const [re, by] of PREVIEW_PHRASES) rest = rest.replace(re, by);
        const colon = rest.indexOf(": ");
        const label = colon > 0 ? rest.slice(0, colon) : "";
        const tail = colon > 0 ? rest.slice(colon + 2) : rest;
        const body = tail.charAt(0).toUpperCase() + tail.slice(1);
        const what = `could not inspect: ${WHAT[reason]} (${paths}); ${ADVICE[reason]}`;
        const text = `${label ? `${label}: ` : ""}${what}. ${body}`;
        return { ...d, message: [...lines, text].join("\n") };
    });
}

/** One line for the report: how many resources held values scan could not read, by reason. */
export function unreadableSummary(inputs: LoadedInput[]): string | undefined {
    const count: Record<UnreadableReason, number> = { encrypted: 0, blinded: 0, "too deep": 0 };
    for (const i of inputs) {
        for (const lost of i.unreadable.values()) for (const r of new Set(lost.map((u) => u.reason))) count[r]++;
    }
    const parts = (Object.keys(count) as UnreadableReason[])
        .filter((r) => count[r] > 0)
        .map((r) => `${count[r]} with values ${WHAT[r]}`);
    if (parts.length === 0) return undefined;
    return (
        `Resources holding values scan could not read: ${parts.join(", ")}; ` +
        "they are reported only where a policy needed such a value."
    );
}
