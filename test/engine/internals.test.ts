// The engine internals the pack patches (engine/internals.ts), checked in process against the installed
// @pulumi/policy and @grpc/grpc-js. When a dependency upgrade changes one of them, this file fails and names it.
import { before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
    ConfigureRequest,
    PatchName,
    installEnginePatches,
    inputsTruncated,
    patchStatus,
    rawInputs,
    reportAdvisory,
} from "../../engine/internals";
import {
    ANALYZE_REQUEST,
    ANALYZE_STACK_REQUEST,
    MAX_DEPTH,
    TRUNCATED_VALUE,
    boundNesting,
    nestedDeeperThan,
} from "../../engine/wire";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const from = { paths: [require.resolve("@pulumi/policy")] };
const grpc = require(require.resolve("@grpc/grpc-js", from));
const rpc = require(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb", from));
const pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", from));
const structpb = require(require.resolve("google-protobuf/google/protobuf/struct_pb", from));
const server = require("@pulumi/policy/server");
const deserialize = require("@pulumi/policy/deserialize");
const proxy = require("@pulumi/policy/proxy");

const ASSET = { "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17" };
const ALL: PatchName[] = [
    "deserialize",
    "addService",
    "configure",
    "analyze-fast-path",
    "request-nesting",
    "proxy-target",
    "report-object",
    "secrets",
    "analyze-stack-once",
    "response-encoding",
];

/** Registered handlers of a grpc Server (private, read here only to call what addService registered). */
function handler(s: any, path: string): (call: any, cb: (e: unknown, r?: any) => void) => void {
    return s.handlers.get(path).func;
}

function nested(depth: number): Record<string, unknown> {
    let v: Record<string, unknown> = { leaf: "bottom" };
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
}

/** An AnalyzeRequest, encoded, built bottom-up so that the test itself never recurses deeply. */
function encodedAnalyze(type: string, props: Record<string, unknown>): Uint8Array {
    const req = new pb.AnalyzeRequest();
    req.setType(type);
    req.setUrn(`urn:pulumi:dev::demo::${type}::r`);
    req.setName("r");
    req.setProperties(structpb.Struct.fromJavaScript(props));
    req.setOptions(new pb.AnalyzerResourceOptions());
    return req.serializeBinary();
}

/** Protobuf field with a length-delimited payload. */
function ld(field: number, body: Buffer): Buffer {
    const varint = (n: number) => {
        const o: number[] = [];
        while (n >= 128) {
            o.push((n % 128) | 128);
            n = Math.floor(n / 128);
        }
        o.push(n);
        return o;
    };
    return Buffer.concat([Buffer.from([...varint(field * 8 + 2), ...varint(body.length)]), body]);
}

/** An encoded AnalyzeRequest for an instance with `deep` nested `depth` levels, built in linear time. */
function deepAnalyzeRequest(depth: number): Buffer {
    const str = (s: string) => ld(3, Buffer.from(s)); // Value.string_value
    const entry = (k: string, value: Buffer) => ld(1, Buffer.concat([ld(1, Buffer.from(k)), ld(2, value)])); // Struct.fields entry
    let v = str("bottom");
    for (let i = 0; i < depth; i++) v = ld(5, entry("a", v)); // Value.struct_value
    const props = Buffer.concat([entry("deep", v), entry("userData", str("#!/bin/bash\n"))]);
    return Buffer.concat([
        ld(1, Buffer.from("aws:ec2/instance:Instance")),
        ld(2, props),
        ld(3, Buffer.from("urn:pulumi:dev::demo::aws:ec2/instance:Instance::r")),
        ld(4, Buffer.from("r")),
        ld(5, Buffer.alloc(0)),
    ]);
}

describe("engine internals: every patch applies to the installed engine", () => {
    const configured: ConfigureRequest[] = [];
    let grpcServer: any;
    before(() => {
        installEnginePatches({
            nothingToJudge: (_u, type) => type === "quiet:index:Thing",
            onConfigure: (c) => configured.push(c),
        });
        grpcServer = new grpc.Server();
        const calls: string[] = [];
        grpcServer.addService(rpc.AnalyzerService, {
            analyze: (_c: unknown, cb: (e: unknown, r?: unknown) => void) => {
                calls.push("analyze");
                cb(null, new pb.AnalyzeResponse());
            },
            analyzeStack: (_c: unknown, cb: (e: unknown, r?: unknown) => void) => cb(null, new pb.AnalyzeResponse()),
            configure: (_c: unknown, cb: (e: unknown, r?: unknown) => void) => {
                calls.push("configure");
                cb(null, {});
            },
            remediate: () => undefined,
            getAnalyzerInfo: () => undefined,
            getPluginInfo: () => undefined,
            configureStack: () => undefined,
        });
    });

    it("patchStatus lists every patch as applied (a failure names the one that no longer applies)", () => {
        const byName = new Map(patchStatus().map((s) => [s.patch, s]));
        for (const name of ALL) {
            const s = byName.get(name);
            assert.ok(s, `patch ${name} was never attempted`);
            assert.equal(s.applied, true, `patch ${name} no longer applies: ${s.detail}`);
        }
    });

    it("Configure: the request's policy configuration reaches the pack before the engine's handler", () => {
        const req = new pb.ConfigureAnalyzerRequest();
        const pc = new pb.PolicyConfig();
        pc.setEnforcementlevel(2); // disabled
        pc.setProperties(structpb.Struct.fromJavaScript({ exemptions: [{ resource: "x", reason: "why not" }] }));
        req.getPolicyconfigMap().set("pack-wide-settings", pc);
        let answered = false;
        handler(grpcServer, "/pulumirpc.Analyzer/Configure")({ request: req }, (e) => {
            assert.equal(e, null);
            answered = true;
        });
        assert.ok(answered);
        assert.deepEqual(configured.at(-1), {
            "pack-wide-settings": {
                enforcementLevel: "disabled",
                properties: { exemptions: [{ resource: "x", reason: "why not" }] },
            },
        });
    });

    it("Analyze: a resource with nothing to judge is answered directly with an empty response", () => {
        const req = pb.AnalyzeRequest.deserializeBinary(encodedAnalyze("quiet:index:Thing", { a: 1 }));
        let resp: any;
        handler(grpcServer, "/pulumirpc.Analyzer/Analyze")({ request: req }, (_e, r) => {
            resp = r;
        });
        assert.ok(resp instanceof pb.AnalyzeResponse);
        assert.equal(resp.getDiagnosticsList().length, 0);
    });

    it("request decoding: nesting beyond the limit is cut instead of failing the request", () => {
        const bytes = deepAnalyzeRequest(1500);
        assert.ok(
            nestedDeeperThan(bytes, ANALYZE_REQUEST) &&
                !nestedDeeperThan(encodedAnalyze("t", nested(MAX_DEPTH - 2)), ANALYZE_REQUEST),
        );
        const registered = grpcServer.handlers.get("/pulumirpc.Analyzer/Analyze").deserialize;
        const req = registered(bytes);
        assert.equal(req.getType(), "aws:ec2/instance:Instance");
        const props = deserialize.deserializeProperties(req.getProperties(), false);
        assert.equal(props.userData, "#!/bin/bash\n");
        let v = props.deep;
        let depth = 1;
        while (typeof v === "object") {
            v = v.a;
            depth++;
        }
        assert.equal(v, TRUNCATED_VALUE);
        assert.equal(depth, MAX_DEPTH + 1, "values down to the limit are kept");
        assert.ok(inputsTruncated(props), "the pack knows these inputs were cut");
    });

    it("deserializeProperties is shared per request and tolerates inputs @pulumi/policy rejects", () => {
        const struct = structpb.Struct.fromJavaScript({
            empty: { ...ASSET, text: "" },
            hashOnly: { ...ASSET, hash: "e3b0c442" },
            odd: { "4dabf18193072939515e22adb298388d": "not-a-signature" },
            keep: "kept",
        });
        const a = deserialize.deserializeProperties(struct, false);
        assert.equal(deserialize.deserializeProperties(struct, false), a, "one value per Struct");
        assert.equal(a.keep, "kept");
        assert.equal(a.empty.text, "");
        assert.equal(inputsTruncated(a), false);
        const proto = deserialize.deserializeProperties(
            structpb.Struct.fromJavaScript(
                JSON.parse('{"__proto__":{"x":1},"odd":{"4dabf18193072939515e22adb298388d":"?"}}'),
            ),
            false,
        );
        assert.equal(proto.x, undefined, "__proto__ is never promoted");
    });

    it("the unknown-checking proxy exposes its target, so providers read raw inputs", () => {
        const raw = { userData: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" };
        const proxied = proxy.unknownCheckingProxy(raw);
        assert.throws(() => proxied.userData, /known during preview/, "the proxy still throws on unknowns");
        assert.equal(rawInputs(proxied), raw);
    });

    it("reportViolation's object form sets a per-diagnostic enforcement level through the real Analyze handler", async () => {
        const policy = {
            name: "p",
            description: "d",
            enforcementLevel: "mandatory",
            validateResource: (_a: unknown, report: any) => {
                report("hard");
                reportAdvisory(report, "soft", "urn:x");
            },
        };
        const analyze = server.makeAnalyzeRpcFun("pack", "0.0.1", "mandatory", [policy]);
        const req = pb.AnalyzeRequest.deserializeBinary(
            encodedAnalyze("aws:eks/cluster:Cluster", { empty: { ...ASSET, text: "" } }),
        );
        const resp: any = await new Promise((resolve, reject) =>
            analyze({ request: req }, (e: unknown, r: unknown) => (e ? reject(e) : resolve(r))),
        );
        const ds = resp.getDiagnosticsList().map((d: any) => [d.getMessage(), d.getEnforcementlevel(), d.getUrn()]);
        assert.deepEqual(ds, [
            ["d\nhard", 1, ""],
            ["soft", 0, "urn:x"],
        ]);
    });
});

describe("engine/wire: bounding Struct nesting on the wire", () => {
    it("leaves a request within the limit byte for byte", () => {
        const bytes = encodedAnalyze("t", { a: nested(50), b: [1, "x", true, null, { c: [[]] }] });
        const r = boundNesting(bytes, ANALYZE_REQUEST);
        assert.deepEqual(r.cut, []);
        assert.ok(Buffer.from(bytes).equals(r.bytes));
    });
    it("in AnalyzeStack, names the resources that lost a value and keeps the others whole", () => {
        const req = new pb.AnalyzeStackRequest();
        const list = [{ ok: 1 }, { deep: nested(MAX_DEPTH + 5) }, { ok: [nested(10)] }].map((p, i) => {
            const r = new pb.AnalyzerResource();
            r.setType("t");
            r.setUrn(`u${i}`);
            r.setProperties(structpb.Struct.fromJavaScript(p));
            return r;
        });
        req.setResourcesList(list);
        const r = boundNesting(req.serializeBinary(), ANALYZE_STACK_REQUEST);
        assert.deepEqual(r.cut, [{ field: 1, ordinal: 1 }]);
        const back = pb.AnalyzeStackRequest.deserializeBinary(r.bytes);
        assert.deepEqual(
            back.getResourcesList().map((x: any) => x.getUrn()),
            ["u0", "u1", "u2"],
        );
        assert.deepEqual(back.getResourcesList()[2].getProperties().toJavaScript(), { ok: [nested(10)] });
    });
    it("rejects bytes that are not a message", () => {
        assert.throws(() => boundNesting(Uint8Array.from([0x0a, 0xff]), ANALYZE_REQUEST));
    });
});
