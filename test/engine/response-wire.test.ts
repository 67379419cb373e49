// engine/response-wire.ts against google-protobuf itself: for the same diagnostics, the bytes written directly are
// the bytes of @pulumi/policy's protoutil.makeAnalyzeResponse(ds).serializeBinary(), and where that function would
// not build a response the same way (an unknown level, a field that is not a string) the encoder declines.
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { ResponseDiagnostic, encodeAnalyzeResponse } from "../../engine/response-wire";

/* eslint-disable @typescript-eslint/no-require-imports */
const protoutil = require("@pulumi/policy/protoutil") as {
    makeAnalyzeResponse(ds: ResponseDiagnostic[], na: undefined): { serializeBinary(): Uint8Array };
};

function viaProtobuf(ds: ResponseDiagnostic[]): Buffer {
    return Buffer.from(protoutil.makeAnalyzeResponse(ds, undefined).serializeBinary());
}

function same(ds: ResponseDiagnostic[], what: string): void {
    const direct = encodeAnalyzeResponse(ds);
    assert.ok(direct, `${what}: the encoder declined`);
    assert.equal(direct.toString("hex"), viaProtobuf(ds).toString("hex"), what);
}

const base: ResponseDiagnostic = {
    policyName: "kubelet-read-only-port",
    policyPackName: "kube-api-guard",
    policyPackVersion: "0.1.0",
    description: "The kubelet's read-only port is closed",
    message: 'aws:ec2/launchTemplate:LaunchTemplate "nodes": --read-only-port = 10255',
    enforcementLevel: "mandatory",
    severity: "high",
};

describe("engine: AnalyzeResponse bytes written directly", () => {
    it("an empty response is zero bytes, as google-protobuf writes it", () => {
        same([], "empty");
        assert.equal(encodeAnalyzeResponse([])!.length, 0);
    });

    it("every level, severity and optional field, including empty strings and absent values", () => {
        for (const enforcementLevel of ["advisory", "mandatory", "remediate", "disabled"])
            for (const severity of ["low", "medium", "high", "critical", "", undefined, "unknown", "constructor"])
                for (const urn of [undefined, "", "urn:pulumi:dev::p::aws:ec2/instance:Instance::vm"])
                    same([{ ...base, enforcementLevel, severity, urn }], `${enforcementLevel}/${severity}/${urn}`);
        same([{ ...base, description: undefined, message: "" }], "absent description, empty message");
        same([{ ...base, policyPackVersion: null }], "null version");
    });

    it("unicode: multi-byte characters, emoji, and unpaired surrogates encoded as google-protobuf encodes them", () => {
        for (const message of [
            "café ☸ 日本語",
            "emoji 😀 in a message",
            "lone high \uD800 then text",
            "lone low \uDC00 here",
            "two highs \uD800\uD801x",
            "high at the end \uD800",
            "\uDBFF\uDFFF",
            "\u0000\u007f\u0080\u07ff\u0800\uffff",
        ])
            same([{ ...base, message, urn: `urn:${message}` }], JSON.stringify(message));
    });

    it("large responses: thousands of diagnostics and messages long enough for multi-byte lengths", () => {
        const ds: ResponseDiagnostic[] = [];
        for (let i = 0; i < 5000; i++)
            ds.push({ ...base, message: `finding ${i} ${"x".repeat(i % 300)}`, urn: `urn:${i}` });
        ds.push({ ...base, message: "m".repeat(200_000) });
        ds.push({ ...base, message: "é".repeat(70_000) });
        same(ds, "large");
    });

    it("property: random diagnostics give the same bytes", () => {
        const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }));
        const diag = fc.record({
            policyName: text,
            policyPackName: text,
            policyPackVersion: text,
            description: fc.option(text, { nil: undefined }),
            message: text,
            enforcementLevel: fc.constantFrom("advisory", "mandatory", "remediate", "disabled"),
            urn: fc.option(text, { nil: undefined }),
            severity: fc.option(fc.constantFrom("low", "medium", "high", "critical", "other"), { nil: undefined }),
        });
        fc.assert(
            fc.property(fc.array(diag, { maxLength: 20 }), (ds) => {
                const direct = encodeAnalyzeResponse(ds);
                assert.ok(direct);
                assert.equal(direct.toString("hex"), viaProtobuf(ds).toString("hex"));
            }),
            { numRuns: 300 },
        );
    });

    it("declines what makeAnalyzeResponse would not build the same way", () => {
        assert.equal(encodeAnalyzeResponse([{ ...base, enforcementLevel: "strict" }]), undefined);
        assert.equal(encodeAnalyzeResponse([{ ...base, enforcementLevel: "toString" }]), undefined);
        assert.equal(encodeAnalyzeResponse([{ ...base, message: 42 }]), undefined);
        assert.equal(encodeAnalyzeResponse([{ ...base, urn: { id: 1 } }]), undefined);
    });
});
