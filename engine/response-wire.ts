// The AnalyzeResponse wire bytes, written directly. @pulumi/policy builds the response as google-protobuf messages
// (protoutil.makeAnalyzeResponse: one AnalyzeDiagnostic object per finding) that grpc then serializes through
// google-protobuf's writer, one JS array element per byte: for a stack's thousands of findings that is a large share
// of an AnalyzeStack call and of its garbage. `encodeAnalyzeResponse` writes the same bytes in one Buffer: the fields
// in the order and with the proto3 omissions of analyzer_pb.js's serializeBinaryToWriter, and strings as
// google-protobuf's BinaryEncoder.writeString encodes them (which differs from UTF-8 on unpaired surrogates).
// test/engine/response-wire.test.ts checks the bytes against google-protobuf's on varied responses.
//
// message AnalyzeResponse   { repeated AnalyzeDiagnostic diagnostics = 2; repeated PolicyNotApplicable not_applicable = 3; }
// message AnalyzeDiagnostic { string policyName = 1; string policyPackName = 2; string policyPackVersion = 3;
//                             string description = 4; string message = 5; EnforcementLevel enforcementLevel = 7;
//                             string urn = 8; PolicySeverity severity = 9; }

/** A diagnostic as @pulumi/policy's report functions push it (protoutil.makeAnalyzeResponse's input). */
export interface ResponseDiagnostic {
    policyName?: unknown;
    policyPackName?: unknown;
    policyPackVersion?: unknown;
    description?: unknown;
    message?: unknown;
    enforcementLevel?: unknown;
    urn?: unknown;
    severity?: unknown;
}

/** protoutil.mapEnforcementLevel (an unknown level makes it throw: no encoding here). */
const LEVEL: Record<string, number> = { advisory: 0, mandatory: 1, remediate: 3, disabled: 2 };
/** protoutil.mapSeverity (anything else is POLICY_SEVERITY_UNSPECIFIED). */
const SEVERITY: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };

const SURROGATE = /[\uD800-\uDFFF]/;

/** google-protobuf's BinaryEncoder.writeString: UTF-8, except that a high surrogate followed by anything but a low
 * surrogate is dropped and other unpaired surrogates are written as three bytes. */
function jspbUtf8(s: string): Buffer {
    const out: number[] = [];
    for (let i = 0; i < s.length; i++) {
        let c = s.charCodeAt(i);
        if (c < 128) out.push(c);
        else if (c < 2048) out.push((c >> 6) | 192, (c & 63) | 128);
        else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
            const d = s.charCodeAt(i + 1);
            if (d >= 0xdc00 && d <= 0xdfff) {
                c = (c - 0xd800) * 1024 + d - 0xdc00 + 0x10000;
                out.push((c >> 18) | 240, ((c >> 12) & 63) | 128, ((c >> 6) & 63) | 128, (c & 63) | 128);
                i++;
            }
        } else out.push((c >> 12) | 224, ((c >> 6) & 63) | 128, (c & 63) | 128);
    }
    return Buffer.from(out);
}

function varintSize(n: number): number {
    let size = 1;
    while (n >= 128) {
        n = Math.floor(n / 128);
        size++;
    }
    return size;
}

function writeVarint(buf: Buffer, at: number, n: number): number {
    while (n >= 128) {
        buf[at++] = (n & 127) | 128;
        n = Math.floor(n / 128);
    }
    buf[at++] = n;
    return at;
}

/** A string field: its bytes (a string without surrogates is plain UTF-8) or its UTF-8 length. */
interface Str {
    field: number;
    text?: string;
    bytes?: Buffer;
    length: number;
}

function str(field: number, v: unknown, out: Str[]): boolean {
    if (v === undefined || v === null || v === "") return true;
    if (typeof v !== "string") return false;
    if (SURROGATE.test(v)) {
        const bytes = jspbUtf8(v);
        if (bytes.length > 0) out.push({ field, bytes, length: bytes.length });
    } else out.push({ field, text: v, length: Buffer.byteLength(v, "utf8") });
    return true;
}

interface Encoded {
    strs: Str[];
    level: number;
    severity: number;
    size: number;
}

function fieldsOf(d: ResponseDiagnostic): Encoded | undefined {
    const level =
        typeof d.enforcementLevel === "string" && Object.hasOwn(LEVEL, d.enforcementLevel)
            ? LEVEL[d.enforcementLevel]
            : undefined;
    if (level === undefined) return undefined;
    const severity = typeof d.severity === "string" && Object.hasOwn(SEVERITY, d.severity) ? SEVERITY[d.severity] : 0;
    const strs: Str[] = [];
    // makeAnalyzeResponse sets the URN only when it is truthy.
    if (d.urn && typeof d.urn !== "string") return undefined;
    const ok =
        str(1, d.policyName, strs) &&
        str(2, d.policyPackName, strs) &&
        str(3, d.policyPackVersion, strs) &&
        str(4, d.description, strs) &&
        str(5, d.message, strs);
    if (!ok) return undefined;
    let size = 0;
    for (const s of strs) size += 1 + varintSize(s.length) + s.length;
    if (level !== 0) size += 2;
    const urn: Str[] = [];
    if (!str(8, d.urn || undefined, urn)) return undefined;
    for (const s of urn) {
        strs.push(s);
        size += 1 + varintSize(s.length) + s.length;
    }
    if (severity !== 0) size += 2;
    return { strs, level, severity, size };
}

/**
 * The bytes google-protobuf writes for protoutil.makeAnalyzeResponse(diagnostics, []) , or undefined when that
 * function would not produce a response the same way (an unknown enforcement level, a field that is not a string).
 */
export function encodeAnalyzeResponse(diagnostics: readonly ResponseDiagnostic[]): Buffer | undefined {
    const all: Encoded[] = [];
    let total = 0;
    for (const d of diagnostics) {
        const e = fieldsOf(d);
        if (!e) return undefined;
        all.push(e);
        total += 1 + varintSize(e.size) + e.size;
    }
    const buf = Buffer.allocUnsafe(total);
    let at = 0;
    for (const e of all) {
        buf[at++] = (2 << 3) | 2;
        at = writeVarint(buf, at, e.size);
        // Fields in number order: 1-5 strings, 7 level, 8 urn, 9 severity.
        let k = 0;
        for (; k < e.strs.length && e.strs[k].field <= 5; k++) at = writeStr(buf, at, e.strs[k]);
        if (e.level !== 0) {
            buf[at++] = (7 << 3) | 0;
            buf[at++] = e.level;
        }
        for (; k < e.strs.length; k++) at = writeStr(buf, at, e.strs[k]);
        if (e.severity !== 0) {
            buf[at++] = (9 << 3) | 0;
            buf[at++] = e.severity;
        }
    }
    return buf;
}

function writeStr(buf: Buffer, at: number, s: Str): number {
    buf[at++] = (s.field << 3) | 2;
    at = writeVarint(buf, at, s.length);
    if (s.bytes) at += s.bytes.copy(buf, at);
    else at += buf.write(s.text!, at, s.length, "utf8");
    return at;
}
