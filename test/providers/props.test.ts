import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
// @internal exports of @pulumi/policy (not in its .d.ts): the sentinels the engine sends for unknowns.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as Record<string, string>;
import { UNKNOWN, UNKNOWN_SENTINELS, boolSetting, read, stringListSetting } from "../../providers/props";

describe("reading engine inputs", () => {
    it("knows every unknown sentinel @pulumi/policy knows", () => {
        const theirs = [
            proxy.unknownBooleanValue,
            proxy.unknownNumberValue,
            proxy.unknownStringValue,
            proxy.unknownArrayValue,
            proxy.unknownAssetValue,
            proxy.unknownArchiveValue,
            proxy.unknownObjectValue,
        ];
        assert.deepEqual([...UNKNOWN_SENTINELS].sort(), [...theirs].sort());
    });
    it("an unknown on the path makes the read unknown; a missing step makes it absent", () => {
        assert.deepEqual(read({ a: proxy.unknownObjectValue }, "a.b.c"), { kind: "unknown" });
        assert.deepEqual(read({ a: { b: null } }, "a.b.c"), { kind: "absent" });
        assert.deepEqual(read({ a: { b: 1 } }, "a.b"), { kind: "value", value: 1 });
        assert.deepEqual(read({ a: "x" }, "a.b"), { kind: "absent" });
    });
    it("booleans: explicit, string forms, default, invalid", () => {
        assert.deepEqual(boolSetting({ x: true }, "x", false), { state: "explicit", value: true, where: "x" });
        assert.deepEqual(boolSetting({ x: "False" }, "x", true), { state: "explicit", value: false, where: "x" });
        assert.deepEqual(boolSetting({}, "x", true), { state: "default", value: true, where: "x" });
        assert.deepEqual(boolSetting({ x: 3 }, "x", true), { state: "invalid", where: "x" });
        assert.equal(boolSetting({ x: proxy.unknownBooleanValue }, "x", true).state, "unknown");
    });
    it("lists keep unknown elements as UNKNOWN and pick fields from objects", () => {
        const s = stringListSetting({ l: [{ c: "1.2.3.4/32" }, { c: proxy.unknownStringValue }] }, "l", [], "l", "c");
        assert.deepEqual(s.value, ["1.2.3.4/32", UNKNOWN]);
        assert.equal(stringListSetting({ l: "x" }, "l", []).state, "invalid");
    });
});
