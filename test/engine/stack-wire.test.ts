// engine/stack-wire.ts against google-protobuf itself: for the same bytes, the lazy reader gives what
// Struct.deserializeBinary(bytes).toJavaScript() gives (or throws where it throws), and reads the resources of an
// AnalyzeStackRequest as the generated decoder does.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { readStackRequest, structToJavaScript } from "../../engine/stack-wire";
import { MAX_DEPTH, TRUNCATED_VALUE } from "../../engine/wire";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const from = { paths: [require.resolve("@pulumi/pulumi")] };
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", from));
const pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", from));

function viaProtobuf(bytes: Uint8Array): { value?: unknown; threw?: boolean } {
    try {
        return { value: Struct.deserializeBinary(bytes).toJavaScript() };
    } catch {
        return { threw: true };
    }
}

function viaWire(bytes: Uint8Array): { value?: unknown; threw?: boolean } {
    const c = { truncated: false, noKind: false };
    const value = structToJavaScript(Buffer.from(bytes), false, c);
    return c.noKind ? { threw: true } : { value };
}

// Hand-written encoding, to make what google-protobuf's own encoder never makes: unsorted and duplicate keys,
// values without a kind.
const varint = (n: number): number[] => (n < 128 ? [n] : [(n % 128) | 128, ...varint(Math.floor(n / 128))]);
const len = (field: number, body: Buffer) =>
    Buffer.concat([Buffer.from([field * 8 + 2, ...varint(body.length)]), body]);
const str = (field: number, s: string) => len(field, Buffer.from(s, "utf8"));
const entry = (key: string, value: Buffer) => len(1, Buffer.concat([str(1, key), len(2, value)]));
const boolValue = (b: boolean) => Buffer.from([4 * 8, b ? 1 : 0]);
const structValue = (body: Buffer) => len(5, body);

describe("engine: the lazy AnalyzeStack reader", () => {
    it("converts inputs exactly as google-protobuf does, key order included", () => {
        const json = fc.letrec((tie) => ({
            value: fc.oneof(
                { depthSize: "small" },
                fc.constant(null),
                fc.boolean(),
                fc.double({ noNaN: true }),
                fc.string({ unit: "binary" }),
                fc.array(tie("value"), { maxLength: 4 }),
                fc.dictionary(fc.string({ unit: "grapheme" }), tie("value"), { maxKeys: 5 }),
            ),
        }));
        fc.assert(
            fc.property(fc.dictionary(fc.string(), json.value, { maxKeys: 6 }), (obj) => {
                const bytes = Struct.fromJavaScript(obj).serializeBinary();
                const a = viaProtobuf(bytes);
                const b = viaWire(bytes);
                assert.deepEqual(b, a);
                if (a.value) assert.deepEqual(Object.keys(b.value as object), Object.keys(a.value as object));
            }),
            { numRuns: 300 },
        );
    });

    it("sorts keys written out of order, keeps the last of duplicate keys, and throws on a Value with no kind", () => {
        const unsorted = Buffer.concat([
            entry("b", boolValue(true)),
            entry("a", boolValue(false)),
            entry("10", boolValue(true)),
            entry("2", structValue(Buffer.concat([entry("y", boolValue(true)), entry("x", boolValue(true))]))),
            entry("a", boolValue(true)),
        ]);
        assert.deepEqual(viaWire(unsorted), viaProtobuf(unsorted));
        assert.deepEqual(Object.keys(viaWire(unsorted).value as object), ["2", "10", "a", "b"]);
        const noKind = Buffer.concat([entry("a", Buffer.alloc(0))]);
        assert.equal(viaProtobuf(noKind).threw, true);
        assert.equal(viaWire(noKind).threw, true);
        const c = { truncated: false, noKind: false };
        assert.deepEqual(structToJavaScript(noKind, true, c), { a: null }, "the tolerant form gives null");
    });

    it("cuts values nested deeper than MAX_DEPTH, without recursing further", () => {
        let v = boolValue(true);
        for (let i = 0; i < 1000; i++) v = structValue(entry("k", v));
        const c = { truncated: false, noKind: false };
        let out: unknown = structToJavaScript(entry("top", v), false, c);
        assert.equal(c.truncated, true);
        let depth = 0;
        while (typeof out === "object" && out !== null) {
            out = (out as Record<string, unknown>)[depth === 0 ? "top" : "k"];
            depth++;
        }
        assert.equal(out, TRUNCATED_VALUE);
        // The top-level object, then values at depths 1..MAX_DEPTH kept; the next one is the cut.
        assert.equal(depth, MAX_DEPTH + 1);
    });

    it("reads each resource's type, name, URN and dependencies as the generated decoder does", () => {
        const req = new pb.AnalyzeStackRequest();
        const resources = [0, 1, 2].map((i) => {
            const r = new pb.AnalyzerResource();
            r.setType(`aws:ec2/instance:Instance`);
            r.setName(`n${i} ☃`);
            r.setUrn(`urn:pulumi:dev::p::aws:ec2/instance:Instance::n${i}`);
            r.setProperties(Struct.fromJavaScript({ i, userData: "#!/bin/bash" }));
            r.setDependenciesList([`d${i}`, "shared"]);
            const deps = new pb.AnalyzerPropertyDependencies();
            deps.setUrnsList(["sg", `sg${i}`]);
            r.getPropertydependenciesMap().set("vpcSecurityGroupIds", deps);
            r.setOptions(new pb.AnalyzerResourceOptions());
            return r;
        });
        req.setResourcesList(resources);
        const read = readStackRequest(Buffer.from(req.serializeBinary()));
        assert.equal(read.rest.length, 0);
        assert.deepEqual(
            read.resources.map((r) => ({ ...r, properties: viaWire(r.properties).value })),
            resources.map((r: any) => ({
                type: r.getType(),
                name: r.getName(),
                urn: r.getUrn(),
                dependencies: r.getDependenciesList(),
                propertyDependencies: {
                    vpcSecurityGroupIds: r.getPropertydependenciesMap().get("vpcSecurityGroupIds").getUrnsList(),
                },
                properties: r.getProperties().toJavaScript(),
            })),
        );
        assert.throws(() => readStackRequest(Buffer.from([0x0a, 0x7f, 0x01])), "a truncated message is refused");
    });
});
