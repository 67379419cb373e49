// Typed values as the components parse them: Go's strconv.ParseBool, time.ParseDuration, comma lists and
// key=value maps (feature gates). A value that the component would reject is `INVALID`.
import type { ValueType } from "../catalogue";

export const INVALID: unique symbol = Symbol("invalid");
export type Parsed = unknown | typeof INVALID;

const TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

export function parseBool(v: unknown): boolean | typeof INVALID {
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return v === 1 ? true : v === 0 ? false : INVALID;
    if (typeof v !== "string") return INVALID;
    const t = v.trim();
    if (TRUE.has(t)) return true;
    if (FALSE.has(t)) return false;
    return INVALID;
}

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go's time.ParseDuration, in seconds: "4h0m0s", "1s9m3h" (units in any order), "0". */
export function parseDuration(v: unknown): number | typeof INVALID {
    if (typeof v === "number") return Number.isFinite(v) ? v : INVALID;
    if (typeof v !== "string") return INVALID;
    let t = v.trim();
    if (t === "0" || t === "+0" || t === "-0") return 0;
    let sign = 1;
    if (t.startsWith("-")) {
        sign = -1;
        t = t.slice(1);
    } else if (t.startsWith("+")) t = t.slice(1);
    if (t === "" || t.length > 64) return INVALID;
    const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
    let total = 0;
    let pos = 0;
    while (pos < t.length) {
        re.lastIndex = pos;
        const m = re.exec(t);
        if (!m) return INVALID;
        total += Number(m[1]) * UNIT_SECONDS[m[2]];
        pos = re.lastIndex;
    }
    return sign * total;
}

export function parseInt32(v: unknown): number | typeof INVALID {
    if (typeof v === "number") return Number.isInteger(v) ? v : INVALID;
    if (typeof v === "string" && /^\s*[-+]?\d{1,10}\s*$/.test(v)) return Number(v);
    return INVALID;
}

export function parseList(v: unknown): string[] | typeof INVALID {
    if (Array.isArray(v))
        return v.every((x) => typeof x === "string") ? v.map((x) => x.trim()).filter((x) => x !== "") : INVALID;
    if (typeof v === "string")
        return v
            .split(",")
            .map((x) => x.trim())
            .filter((x) => x !== "");
    return INVALID;
}

/** "A=true,B=false" or a map object → { A: "true", B: "false" } (values as strings). */
export function parseMap(v: unknown): Record<string, string> | typeof INVALID {
    const out: Record<string, string> = {};
    if (typeof v === "string") {
        for (const part of v.split(",")) {
            const p = part.trim();
            if (p === "") continue;
            const eq = p.indexOf("=");
            if (eq <= 0) return INVALID;
            out[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
        }
        return out;
    }
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
        // Only scalars are gate values: never String() a nested value (an aliased list can expand without bound).
        for (const [k, x] of Object.entries(v)) {
            if (typeof x !== "string" && typeof x !== "number" && typeof x !== "boolean") return INVALID;
            out[k] = String(x);
        }
        return out;
    }
    return INVALID;
}

export function parseValue(type: ValueType, v: unknown): Parsed {
    switch (type) {
        case "bool":
            return parseBool(v);
        case "int":
            return parseInt32(v);
        case "duration":
            return parseDuration(v);
        case "list":
            return parseList(v);
        case "map":
            return parseMap(v);
        case "string":
            if (typeof v === "string") return v;
            if (typeof v === "number" || typeof v === "boolean") return String(v);
            return INVALID;
    }
}
