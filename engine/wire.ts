// Bounding the nesting of google.protobuf.Struct values inside Analyzer requests, at the protobuf wire level.
// google-protobuf decodes Struct recursively, in time that grows faster than the nesting (about 1 s at 1,000 levels
// on a 2-core machine) and overflows the stack at about 1,100 levels, which fails the whole request ("Error
// deserializing request") and with AnalyzeStack the whole preview. So before decoding, a linear probe checks the
// nesting; a request nested deeper than MAX_DEPTH is rewritten: every Value deeper than the limit becomes the string
// TRUNCATED_VALUE, everything else is kept byte for byte. Probe and rewrite recurse at most `limit` levels, so they
// cannot overflow themselves. Wire format: https://protobuf.dev/programming-guides/encoding/

/** The string that replaces a value nested deeper than the limit. */
export const TRUNCATED_VALUE = "[kube-api-guard: value nested too deeply to read]";
export const MAX_DEPTH = 128;

/** Which fields of a message hold a Struct or a message with Structs inside; other fields are copied. */
type Schema = { readonly [field: number]: Schema | "struct" };
const PROVIDER: Schema = { 2: "struct" }; // AnalyzerProviderResource.properties
/** AnalyzeRequest and AnalyzerResource share the numbers: 2 properties, 6 provider (pulumi/proto analyzer.proto). */
const RESOURCE: Schema = { 2: "struct", 6: PROVIDER };
export const ANALYZE_REQUEST: Schema = RESOURCE;
export const ANALYZE_STACK_REQUEST: Schema = { 1: RESOURCE }; // repeated AnalyzerResource resources = 1

class WireError extends Error {}

interface Field {
    field: number;
    wireType: number;
    /** The whole field (tag and payload). */
    start: number;
    end: number;
    /** Payload of a length-delimited field. */
    body?: Uint8Array;
}

function varint(buf: Uint8Array, pos: number): [number, number] {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
        if (pos >= buf.length) throw new WireError("truncated varint");
        const b = buf[pos++];
        result += (b & 0x7f) * mul;
        if ((b & 0x80) === 0) return [result, pos];
        mul *= 128;
    }
    throw new WireError("varint too long");
}

function* fields(buf: Uint8Array): Generator<Field> {
    let pos = 0;
    while (pos < buf.length) {
        const start = pos;
        const [tag, p] = varint(buf, pos);
        pos = p;
        const field = Math.floor(tag / 8);
        const wireType = tag & 7;
        let body: Uint8Array | undefined;
        if (wireType === 0) pos = varint(buf, pos)[1];
        else if (wireType === 1) pos += 8;
        else if (wireType === 5) pos += 4;
        else if (wireType === 2) {
            const [len, q] = varint(buf, pos);
            body = buf.subarray(q, q + len);
            pos = q + len;
        } else throw new WireError(`wire type ${wireType} not expected in Analyzer requests`);
        if (pos > buf.length) throw new WireError("truncated field");
        yield { field, wireType, start, end: pos, body };
    }
}

function encodeVarint(n: number): number[] {
    const out: number[] = [];
    while (n >= 128) {
        out.push((n % 128) | 0x80);
        n = Math.floor(n / 128);
    }
    out.push(n);
    return out;
}

function lengthDelimited(field: number, body: Uint8Array): Uint8Array[] {
    return [Uint8Array.from([...encodeVarint(field * 8 + 2), ...encodeVarint(body.length)]), body];
}

function concat(parts: Uint8Array[]): Uint8Array {
    return Buffer.concat(parts);
}

/** State of one rewrite: whether anything was cut. */
interface Cut {
    limit: number;
    cut: boolean;
}

function truncatedValue(): Uint8Array {
    return concat(lengthDelimited(3, Buffer.from(TRUNCATED_VALUE, "utf8"))); // Value.string_value = 3
}

function rewriteValue(buf: Uint8Array, depth: number, c: Cut): Uint8Array {
    if (depth > c.limit) {
        c.cut = true;
        return truncatedValue();
    }
    const parts: Uint8Array[] = [];
    for (const f of fields(buf)) {
        // Value.struct_value = 5, Value.list_value = 6
        if (f.wireType === 2 && f.field === 5) parts.push(...lengthDelimited(5, rewriteStruct(f.body!, depth + 1, c)));
        else if (f.wireType === 2 && f.field === 6)
            parts.push(...lengthDelimited(6, rewriteList(f.body!, depth + 1, c)));
        else parts.push(buf.subarray(f.start, f.end));
    }
    return concat(parts);
}

function rewriteList(buf: Uint8Array, depth: number, c: Cut): Uint8Array {
    const parts: Uint8Array[] = [];
    for (const f of fields(buf)) {
        if (f.wireType === 2 && f.field === 1) parts.push(...lengthDelimited(1, rewriteValue(f.body!, depth, c)));
        else parts.push(buf.subarray(f.start, f.end));
    }
    return concat(parts);
}

function rewriteStruct(buf: Uint8Array, depth: number, c: Cut): Uint8Array {
    const parts: Uint8Array[] = [];
    for (const f of fields(buf)) {
        if (f.wireType === 2 && f.field === 1) {
            // map<string, Value> fields = 1: each entry is a message { key = 1; value = 2 }.
            const entry: Uint8Array[] = [];
            for (const e of fields(f.body!)) {
                if (e.wireType === 2 && e.field === 2)
                    entry.push(...lengthDelimited(2, rewriteValue(e.body!, depth, c)));
                else entry.push(f.body!.subarray(e.start, e.end));
            }
            parts.push(...lengthDelimited(1, concat(entry)));
        } else parts.push(buf.subarray(f.start, f.end));
    }
    return concat(parts);
}

function rewriteMessage(buf: Uint8Array, schema: Schema, c: Cut, onCut: (at: CutAt) => void): Uint8Array {
    const parts: Uint8Array[] = [];
    const ordinals = new Map<number, number>();
    for (const f of fields(buf)) {
        const sub = schema[f.field];
        if (f.wireType !== 2 || sub === undefined) {
            parts.push(buf.subarray(f.start, f.end));
            continue;
        }
        const ordinal = ordinals.get(f.field) ?? 0;
        ordinals.set(f.field, ordinal + 1);
        const before = c.cut;
        c.cut = false;
        const body = sub === "struct" ? rewriteStruct(f.body!, 1, c) : rewriteMessage(f.body!, sub, c, () => undefined);
        if (c.cut) onCut({ field: f.field, ordinal });
        c.cut = c.cut || before;
        parts.push(...lengthDelimited(f.field, body));
    }
    return concat(parts);
}

function tooDeepValue(buf: Uint8Array, depth: number, limit: number): boolean {
    if (depth > limit) return true;
    for (const f of fields(buf)) {
        if (f.wireType !== 2) continue;
        if (f.field === 5 && tooDeepStruct(f.body!, depth + 1, limit)) return true;
        if (f.field === 6) {
            for (const e of fields(f.body!)) {
                if (e.wireType === 2 && e.field === 1 && tooDeepValue(e.body!, depth + 1, limit)) return true;
            }
        }
    }
    return false;
}

function tooDeepStruct(buf: Uint8Array, depth: number, limit: number): boolean {
    for (const f of fields(buf)) {
        if (f.wireType !== 2 || f.field !== 1) continue;
        for (const e of fields(f.body!)) {
            if (e.wireType === 2 && e.field === 2 && tooDeepValue(e.body!, depth, limit)) return true;
        }
    }
    return false;
}

function tooDeepMessage(buf: Uint8Array, schema: Schema, limit: number): boolean {
    for (const f of fields(buf)) {
        const sub = schema[f.field];
        if (f.wireType !== 2 || sub === undefined) continue;
        if (sub === "struct" ? tooDeepStruct(f.body!, 1, limit) : tooDeepMessage(f.body!, sub, limit)) return true;
    }
    return false;
}

/** True when some Struct value of the encoded request is nested deeper than `limit`. Linear; never throws. */
export function nestedDeeperThan(bytes: Uint8Array, schema: Schema, limit = MAX_DEPTH): boolean {
    try {
        return tooDeepMessage(bytes, schema, limit);
    } catch {
        return false; // not well-formed: left to the real decoder, which reports it
    }
}

/**
 * A top-level field that lost a value: Analyze field 2 (properties) or 6 (provider); AnalyzeStack field 1, resource
 * `ordinal`.
 */
export interface CutAt {
    field: number;
    ordinal: number;
}

/**
 * Rewrites an encoded request so that no Struct value is nested deeper than `limit`. Returns the new bytes and
 * the top-level fields that lost a value. Throws on bytes that are not a well-formed message.
 */
export function boundNesting(bytes: Uint8Array, schema: Schema, limit = MAX_DEPTH): { bytes: Buffer; cut: CutAt[] } {
    const c: Cut = { limit, cut: false };
    const cut: CutAt[] = [];
    const out = rewriteMessage(bytes, schema, c, (at) => cut.push(at));
    return { bytes: Buffer.from(out), cut };
}
