// Decoding a resource is done at most once per Analyze call, however many policies look at it.
// The engine deserializes the inputs afresh for every policy, so the cache is keyed by URN and type and
// an entry is reused only when the new inputs are structurally equal to the ones it was built from:
// a stale verdict is impossible, and equality is far cheaper than decoding user data again.
import { normalize, readerFor, Normalized } from "../providers";
import { secretPathsOf } from "../providers/secrets";
import { deepEqual } from "./equal";

/** The same inputs with a different input marked secret must not reuse a reading whose texts show it. */
function sameSecrets(a: unknown, b: unknown): boolean {
    return deepEqual(secretPathsOf(a), secretPathsOf(b));
}

interface Entry {
    type: string;
    props: unknown;
    result: Normalized;
}

const MAX_ENTRIES = 256;
const entries = new Map<string, Entry>();
let computed = 0;

export function normalizeCached(urn: string, type: string, props: unknown): Normalized {
    const hit = entries.get(urn);
    // Identity first: the entry point shares one deserialized value among the policies of a request.
    if (
        hit &&
        hit.type === type &&
        (hit.props === props || (deepEqual(hit.props, props) && sameSecrets(hit.props, props)))
    )
        return hit.result;
    const result = normalize(type, props);
    computed++;
    if (entries.size >= MAX_ENTRIES && !hit) {
        // Oldest first: Map iterates in insertion order.
        entries.delete(entries.keys().next().value as string);
    }
    entries.delete(urn);
    entries.set(urn, { type, props, result });
    return result;
}

/** True when some provider reads this type; lets policies skip everything else at once. */
export function isInspected(type: string): boolean {
    return readerFor(type) !== undefined;
}

/** How many normalizations ran (for tests proving the cache works). */
export function normalizationCount(): number {
    return computed;
}

/**
 * True when no policy of the pack can report anything for this resource: its type is not read at all, or
 * reading it found no component settings and nothing that could not be inspected.
 */
export function nothingToJudge(urn: string, type: string, props: () => unknown): boolean {
    if (!isInspected(type)) return true;
    const n = normalizeCached(urn, type, props());
    return n.subjects.length === 0 && n.notes.length === 0;
}
