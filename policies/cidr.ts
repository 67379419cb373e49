// CIDR arithmetic for exposure rules: which networks a prefix admits, whether it is public, how broad.

export interface Cidr {
    family: 4 | 6;
    /** Network address as a bigint (IPv4 in the low 32 bits). */
    base: bigint;
    prefix: number;
    text: string;
}

function parseV4(addr: string): bigint | undefined {
    const parts = addr.split(".");
    if (parts.length !== 4) return undefined;
    let n = 0n;
    for (const p of parts) {
        if (!/^\d{1,3}$/.test(p)) return undefined;
        const v = Number(p);
        if (v > 255) return undefined;
        n = (n << 8n) | BigInt(v);
    }
    return n;
}

function parseV6(addr: string): bigint | undefined {
    if (!/^[0-9a-fA-F:.]+$/.test(addr)) return undefined;
    const halves = addr.split("::");
    if (halves.length > 2) return undefined;
    const groups = (s: string): string[] | undefined => {
        if (s === "") return [];
        const g = s.split(":");
        // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
        const last = g[g.length - 1];
        if (last.includes(".")) {
            const v4 = parseV4(last);
            if (v4 === undefined) return undefined;
            g.splice(g.length - 1, 1, ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
        }
        return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
    };
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    if (!head || !tail) return undefined;
    const fill = 8 - head.length - tail.length;
    if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
    const all = [...head, ...Array(halves.length === 2 ? fill : 0).fill("0"), ...tail];
    return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses "a.b.c.d/n", "x::y/n" or a bare address (a /32 or /128). Undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
    const t = text.trim();
    const [addr, len, extra] = t.split("/");
    if (extra !== undefined || addr === undefined) return undefined;
    const family: 4 | 6 = addr.includes(":") ? 6 : 4;
    const bits = family === 4 ? 32 : 128;
    const prefix = len === undefined ? bits : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
    if (!(prefix >= 0 && prefix <= bits)) return undefined;
    const n = family === 4 ? parseV4(addr) : parseV6(addr);
    if (n === undefined) return undefined;
    const mask = prefix === 0 ? 0n : ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
    return { family, base: n & mask, prefix, text: t };
}

/** Does `outer` contain every address of `inner`? */
export function contains(outer: Cidr, inner: Cidr): boolean {
    if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
    const bits = outer.family === 4 ? 32 : 128;
    const shift = BigInt(bits - outer.prefix);
    return inner.base >> shift === outer.base >> shift;
}

/** Ranges that are never reachable from the internet: private, shared, loopback, link-local, unique local. */
const NON_PUBLIC = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
    "::1/128",
].map((c) => parseCidr(c)!);

export function isNonPublic(c: Cidr): boolean {
    return NON_PUBLIC.some((n) => contains(n, c));
}

export function isAnyAddress(c: Cidr): boolean {
    return c.prefix === 0;
}

/**
 * How far a network opens something to the internet: "any" for 0.0.0.0/0 or ::/0, "broad" for a public prefix
 * broader than the limit, undefined when it is not internet exposure (private, shared, loopback or unique-local,
 * inside an allowed CIDR, or narrow enough).
 */
export function exposure(
    c: Cidr,
    limits: { allowedCidrs: string[]; minimumPrefixLength: { ipv4: number; ipv6: number } },
): "any" | "broad" | undefined {
    if (
        isNonPublic(c) ||
        limits.allowedCidrs.some((a) => {
            const p = parseCidr(a);
            return p !== undefined && contains(p, c);
        })
    )
        return undefined;
    if (isAnyAddress(c)) return "any";
    return c.prefix < minimumPrefix(c, limits) ? "broad" : undefined;
}

export function minimumPrefix(c: Cidr, limits: { minimumPrefixLength: { ipv4: number; ipv6: number } }): number {
    return c.family === 4 ? limits.minimumPrefixLength.ipv4 : limits.minimumPrefixLength.ipv6;
}
