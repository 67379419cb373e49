import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { contains, isNonPublic, parseCidr } from "../../policies/cidr";

describe("CIDR arithmetic", () => {
    it("parses IPv4, IPv6 and bare addresses, and rejects malformed input", () => {
        assert.equal(parseCidr("10.1.2.3/8")?.prefix, 8);
        assert.equal(parseCidr("203.0.113.5")?.prefix, 32);
        assert.equal(parseCidr("2001:db8::/32")?.family, 6);
        assert.equal(parseCidr("::/0")?.prefix, 0);
        assert.equal(parseCidr("::ffff:1.2.3.4/128")?.family, 6);
        for (const bad of [
            "",
            "1.2.3/8",
            "1.2.3.4/33",
            "300.1.1.1/8",
            "1.2.3.4/8/9",
            "2001:db8:::/32",
            "x::/0",
            "1.2.3.4/-1",
        ]) {
            assert.equal(parseCidr(bad), undefined, bad);
        }
    });
    it("containment honours prefixes and families", () => {
        assert.ok(contains(parseCidr("64.0.0.0/10")!, parseCidr("64.0.0.0/12")!));
        assert.ok(!contains(parseCidr("64.0.0.0/12")!, parseCidr("64.0.0.0/10")!));
        assert.ok(!contains(parseCidr("0.0.0.0/0")!, parseCidr("::/0")!));
        assert.ok(contains(parseCidr("2001:db8::/32")!, parseCidr("2001:db8:1::/48")!));
    });
    it("private, shared, loopback and unique-local ranges are not public", () => {
        for (const c of ["10.0.0.0/16", "172.20.0.0/16", "192.168.1.0/24", "100.64.0.0/10", "fd00::/8"])
            assert.ok(isNonPublic(parseCidr(c)!), c);
        for (const c of ["172.32.0.0/16", "8.8.8.0/24", "0.0.0.0/0", "10.0.0.0/7", "2001:db8::/32"])
            assert.ok(!isNonPublic(parseCidr(c)!), c);
    });
});
