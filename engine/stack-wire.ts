// Reading an AnalyzeStack request straight from its wire bytes. google-protobuf builds a message object for every
// Value of every resource's inputs (and @pulumi/policy then converts each Struct to plain JavaScript): on a
// 50,000-resource stack that is a third of the call and most of its garbage, although most resources are never
// looked at. Here each resource's type, name, URN and dependencies are read at once, and its inputs are kept as
// bytes and converted to plain JavaScript only when a stack link reads them, directly, in one pass.
//
// The result is what google-protobuf's `Struct.toJavaScript()` gives for the same bytes (keys in the order its map
// iterates them, sorted as strings; the last of duplicate keys wins; a Value with no kind throws), with values
// nested deeper than MAX_DEPTH replaced by TRUNCATED_VALUE as engine/wire.ts does before decoding.
// Wire format: https://protobuf.dev/programming-guides/encoding/ ; messages: pulumi/proto analyzer.proto, struct.proto.
import { MAX_DEPTH, TRUNCATED_VALUE } from "./wire";

class WireError extends Error {}

/** One resource of the request, its inputs still encoded. */
export interface WireResource {
    type: string;
    name: string;
    urn: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** The encoded google.protobuf.Struct of the inputs (empty when absent). */
    properties: Buffer;
}

function define(o: Record<string, unknown>, k: string, v: unknown): void {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** A reader over one message's bytes: fields in order, with their payload bounds. */
class Reader {
    pos: number;
    /** Payload of the last length-delimited field. */
    start = 0;
    end = 0;
    /** Value of the last varint field. */
    int = 0;

    constructor(
        readonly buf: Buffer,
        from: number,
        readonly limit: number,
    ) {
        this.pos = from;
    }

    private varint(): number {
        let result = 0;
        let mul = 1;
        for (let i = 0; i < 10; i++) {
            if (this.pos >= this.limit) throw new WireError("truncated varint");
            const b = this.buf[this.pos++];
            result += (b & 0x7f) * mul;
            if ((b & 0x80) === 0) return result;
            mul *= 128;
        }
        throw new WireError("varint too long");
    }

    /** The next field's tag (field * 8 + wire type), its payload consumed; -1 at the end. */
    next(): number {
        if (this.pos >= this.limit) return -1;
        const tag = this.varint();
        switch (tag & 7) {
            case 0:
                this.int = this.varint();
                break;
            case 1:
                this.start = this.pos;
                this.pos += 8;
                break;
            case 2: {
                const len = this.varint();
                this.start = this.pos;
                this.pos += len;
                this.end = this.pos;
                break;
            }
            case 5:
                this.pos += 4;
                break;
            default:
                throw new WireError(`wire type ${tag & 7} not expected`);
        }
        if (this.pos > this.limit) throw new WireError("truncated field");
        return tag;
    }

    string(): string {
        return this.buf.toString("utf8", this.start, this.end);
    }

    sub(): Reader {
        return new Reader(this.buf, this.start, this.end);
    }
}

const LEN = 2;
const tag = (field: number, wireType: number) => field * 8 + wireType;

function readPropertyDependency(r: Reader, into: Record<string, string[]>): void {
    let key = "";
    const urns: string[] = [];
    for (let t = r.next(); t >= 0; t = r.next()) {
        if (t === tag(1, LEN)) key = r.string();
        else if (t === tag(2, LEN)) {
            const v = r.sub();
            for (let u = v.next(); u >= 0; u = v.next()) if (u === tag(1, LEN)) urns.push(v.string());
        }
    }
    define(into, key, urns);
}

function readResource(r: Reader): WireResource {
    const out: WireResource = {
        type: "",
        name: "",
        urn: "",
        dependencies: [],
        propertyDependencies: {},
        properties: r.buf.subarray(0, 0),
    };
    for (let t = r.next(); t >= 0; t = r.next()) {
        // AnalyzerResource: type 1, properties 2, urn 3, name 4, options 5, provider 6, parent 7, dependencies 8,
        // propertyDependencies 9 (map<string, AnalyzerPropertyDependencies { repeated string urns = 1 }>).
        if (t === tag(1, LEN)) out.type = r.string();
        else if (t === tag(2, LEN)) out.properties = r.buf.subarray(r.start, r.end);
        else if (t === tag(3, LEN)) out.urn = r.string();
        else if (t === tag(4, LEN)) out.name = r.string();
        else if (t === tag(8, LEN)) out.dependencies.push(r.string());
        else if (t === tag(9, LEN)) readPropertyDependency(r.sub(), out.propertyDependencies);
    }
    return out;
}

/**
 * The resources of an encoded AnalyzeStackRequest (field 1), and the request's other fields, byte for byte, for the
 * engine's own decoder. Throws on bytes that are not a well-formed message.
 */
export function readStackRequest(bytes: Buffer): { resources: WireResource[]; rest: Buffer } {
    const r = new Reader(bytes, 0, bytes.length);
    const resources: WireResource[] = [];
    const rest: Buffer[] = [];
    let fieldStart = 0;
    for (let t = r.next(); t >= 0; t = r.next()) {
        if (t === tag(1, LEN)) resources.push(readResource(r.sub()));
        else rest.push(bytes.subarray(fieldStart, r.pos));
        fieldStart = r.pos;
    }
    return { resources, rest: Buffer.concat(rest) };
}

/**
 * The inputs of an encoded AnalyzeRequest (field 2, the last one when repeated, as google-protobuf's decoder keeps it),
 * and the request's other fields, byte for byte, for the engine's own decoder. Throws on malformed bytes.
 */
export function readAnalyzeRequest(bytes: Buffer): { properties?: Buffer; rest: Buffer } {
    const r = new Reader(bytes, 0, bytes.length);
    let properties: Buffer | undefined;
    const rest: Buffer[] = [];
    let fieldStart = 0;
    for (let t = r.next(); t >= 0; t = r.next()) {
        if (t === tag(2, LEN)) properties = bytes.subarray(r.start, r.end);
        else rest.push(bytes.subarray(fieldStart, r.pos));
        fieldStart = r.pos;
    }
    return { properties, rest: Buffer.concat(rest) };
}

/** How one conversion went: whether a value was cut for depth, or had no kind (google-protobuf throws on it). */
export interface Conversion {
    truncated: boolean;
    noKind: boolean;
}

/**
 * The inputs as plain JavaScript, as google-protobuf's Struct.toJavaScript() builds them (`own`: every key an own
 * property, "__proto__" included, as the tolerant reader in engine/internals.ts builds them). Recursion is bounded
 * by MAX_DEPTH. Throws WireError on malformed bytes.
 */
export function structToJavaScript(bytes: Buffer, own: boolean, c: Conversion): Record<string, unknown> {
    return struct(new Reader(bytes, 0, bytes.length), 1, own, c);
}

function struct(r: Reader, depth: number, own: boolean, c: Conversion): Record<string, unknown> {
    // Struct: map<string, Value> fields = 1; each entry { key = 1; value = 2 }.
    const keys: string[] = [];
    const values = new Map<string, unknown>();
    let sorted = true;
    for (let t = r.next(); t >= 0; t = r.next()) {
        if (t !== tag(1, LEN)) continue;
        const e = r.sub();
        let key = "";
        let value: unknown = null;
        let hasValue = false;
        for (let u = e.next(); u >= 0; u = e.next()) {
            if (u === tag(1, LEN)) key = e.string();
            else if (u === tag(2, LEN)) {
                value = valueOf(e.sub(), depth, own, c);
                hasValue = true;
            }
        }
        if (!hasValue) value = noKind(depth, c); // an entry without a value holds an empty Value (no kind)
        if (!values.has(key)) {
            if (keys.length > 0 && keys[keys.length - 1] > key) sorted = false;
            keys.push(key);
        }
        values.set(key, value);
    }
    if (!sorted) keys.sort();
    const out: Record<string, unknown> = {};
    for (const k of keys) {
        if (own) define(out, k, values.get(k));
        else out[k] = values.get(k);
    }
    return out;
}

function noKind(depth: number, c: Conversion): unknown {
    if (depth > MAX_DEPTH) {
        c.truncated = true;
        return TRUNCATED_VALUE;
    }
    c.noKind = true;
    return null;
}

function valueOf(r: Reader, depth: number, own: boolean, c: Conversion): unknown {
    if (depth > MAX_DEPTH) {
        c.truncated = true;
        return TRUNCATED_VALUE;
    }
    // Value: null_value 1, number_value 2, string_value 3, bool_value 4, struct_value 5, list_value 6 (a oneof:
    // the last one on the wire wins).
    let kind = 0;
    let out: unknown = null;
    for (let t = r.next(); t >= 0; t = r.next()) {
        switch (t) {
            case tag(1, 0):
                kind = 1;
                out = null;
                break;
            case tag(2, 1):
                kind = 2;
                out = r.buf.readDoubleLE(r.start);
                break;
            case tag(3, LEN):
                kind = 3;
                out = r.string();
                break;
            case tag(4, 0):
                kind = 4;
                out = r.int !== 0;
                break;
            case tag(5, LEN):
                kind = 5;
                out = struct(r.sub(), depth + 1, own, c);
                break;
            case tag(6, LEN): {
                kind = 6;
                const list: unknown[] = [];
                const l = r.sub();
                for (let u = l.next(); u >= 0; u = l.next()) {
                    if (u === tag(1, LEN)) list.push(valueOf(l.sub(), depth + 1, own, c));
                }
                out = list;
                break;
            }
        }
    }
    if (kind === 0) return noKind(depth, c);
    return out;
}
