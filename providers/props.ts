// Reading resource inputs as the engine sends them. During preview an input that depends on another
// resource's output arrives as one of the engine's "unknown" sentinels. Providers read the raw
// inputs (never through @pulumi/policy's throwing proxy) and turn sentinels into the "unknown" state.
import { Setting, defaulted, explicit, invalid, unknown } from "./model";

/**
 * The engine's unknown sentinels (pulumi/sdk `runtime/rpc` and @pulumi/policy `proxy`). A test checks
 * this list against @pulumi/policy so that a change there cannot silently turn unknowns into strings.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (also the generic unknown)
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** Marks an unknown element inside a list value. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Maybe<T> = T | typeof UNKNOWN;

export function isUnknownValue(v: unknown): boolean {
    return typeof v === "string" && v.length === 36 && UNKNOWN_SENTINELS.has(v);
}

export type Read = { kind: "absent" } | { kind: "unknown" } | { kind: "value"; value: unknown };

const ABSENT: Read = { kind: "absent" };
const UNKNOWN_READ: Read = { kind: "unknown" };

export function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads a dotted path. A missing or null step is "absent"; an unknown step is "unknown". */
export function read(obj: unknown, path: string): Read {
    let cur: unknown = obj;
    for (const key of path.split(".")) {
        if (isUnknownValue(cur)) return UNKNOWN_READ;
        if (!isRecord(cur)) return ABSENT;
        if (!Object.prototype.hasOwnProperty.call(cur, key)) return ABSENT;
        cur = cur[key];
        if (cur === null || cur === undefined) return ABSENT;
    }
    if (isUnknownValue(cur)) return UNKNOWN_READ;
    return { kind: "value", value: cur };
}

function asBool(v: unknown): boolean | undefined {
    if (typeof v === "boolean") return v;
    if (typeof v === "string") {
        const s = v.trim().toLowerCase();
        if (s === "true") return true;
        if (s === "false") return false;
    }
    return undefined;
}

/** A boolean input; `fallback` is the carrier's default when absent. */
export function boolSetting(obj: unknown, path: string, fallback: boolean | undefined, where = path): Setting {
    const r = read(obj, path);
    if (r.kind === "unknown") return unknown(where);
    if (r.kind === "absent") return defaulted(fallback, where);
    const b = asBool(r.value);
    return b === undefined ? invalid(where) : explicit(b, where);
}

/** A string input (numbers are accepted and stringified); `fallback` when absent. */
export function stringSetting(obj: unknown, path: string, fallback: string | undefined, where = path): Setting {
    const r = read(obj, path);
    if (r.kind === "unknown") return unknown(where);
    if (r.kind === "absent") return defaulted(fallback, where);
    if (typeof r.value === "string") return explicit(r.value, where);
    if (typeof r.value === "number" || typeof r.value === "boolean") return explicit(String(r.value), where);
    return invalid(where);
}

/**
 * A list of strings; an unknown element becomes UNKNOWN. `pick` extracts the string from object elements
 * (e.g. GKE `cidrBlocks[].cidrBlock`).
 */
export function stringListSetting(
    obj: unknown,
    path: string,
    fallback: string[] | undefined,
    where = path,
    pick?: string,
): Setting {
    const r = read(obj, path);
    if (r.kind === "unknown") return unknown(where);
    if (r.kind === "absent") return defaulted(fallback, where);
    if (!Array.isArray(r.value)) return invalid(where);
    const out: Maybe<string>[] = [];
    for (const el of r.value) {
        const v = pick === undefined ? el : read(el, pick);
        const item: unknown =
            pick === undefined
                ? v
                : (v as Read).kind === "value"
                  ? (v as { value: unknown }).value
                  : (v as Read).kind === "unknown"
                    ? UNKNOWN
                    : undefined;
        if (item === UNKNOWN || isUnknownValue(item)) out.push(UNKNOWN);
        else if (typeof item === "string") out.push(item);
        else if (item === undefined || item === null) continue;
        else return invalid(where);
    }
    return explicit(out, where);
}
