// A resource provider plugin for the real-CLI suite (`npm run test:cli`): the provider plugins of aws, gcp,
// azure-native, kubernetes and command cannot be downloaded here, so this one stands in for each of them
// (`pulumi-resource-<name>` runs `node stub-provider.js <name> <version> <engine address>`). It serves
// pulumirpc.ResourceProvider over gRPC and accepts any resource: Check returns the inputs, Diff compares old and
// new inputs, Create/Update return the inputs as outputs plus a few computed outputs that real providers set
// (unknown during preview, values at `pulumi up`), Read returns the state, Delete forgets it. Secrets and
// unknowns pass through unchanged, as with the real providers.
import * as crypto from "crypto";

/* eslint-disable @typescript-eslint/no-require-imports */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any; // the generated protobuf modules carry no useful types
const grpc = require("@grpc/grpc-js");
const rpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const pb = require("@pulumi/pulumi/proto/provider_pb");
const pluginpb = require("@pulumi/pulumi/proto/plugin_pb");
const structpb = require("google-protobuf/google/protobuf/struct_pb");
const emptypb = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

/** The sentinel a provider returns for a value it cannot know during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Props = Record<string, unknown>;

/** Outputs real providers compute (not inputs): `path` is a dotted path into the outputs, `value` makes it. */
interface Computed {
    path: string;
    value: (name: string, id: string) => unknown;
}
const COMPUTED: Record<string, Computed[]> = {
    "aws:eks/cluster:Cluster": [
        { path: "endpoint", value: (n) => `https://${n}.gr7.eu-west-1.eks.amazonaws.com` },
        { path: "vpcConfig.clusterSecurityGroupId", value: (_n, id) => `sg-${id.slice(-8)}` },
        { path: "status", value: () => "ACTIVE" },
    ],
    "aws:ec2/securityGroup:SecurityGroup": [
        { path: "arn", value: (_n, id) => `arn:aws:ec2:eu-west-1:111122223333:security-group/${id}` },
    ],
    "aws:ec2/launchTemplate:LaunchTemplate": [{ path: "latestVersion", value: () => 1 }],
    "gcp:container/cluster:Cluster": [{ path: "endpoint", value: () => "203.0.113.10" }],
    "azure-native:containerservice:ManagedCluster": [{ path: "fqdn", value: (n) => `${n}.hcp.westeurope.azmk8s.io` }],
};

function typeOf(urn: string): string {
    const parts = urn.split("::");
    const qualified = parts[2] ?? "";
    return qualified.slice(qualified.lastIndexOf("$") + 1);
}

function nameOf(urn: string): string {
    return urn.split("::")[3] ?? "";
}

function withComputed(urn: string, id: string, inputs: Props, preview: boolean): Props {
    const out: Props = JSON.parse(JSON.stringify(inputs));
    for (const c of COMPUTED[typeOf(urn)] ?? []) {
        const keys = c.path.split(".");
        let o = out;
        for (const k of keys.slice(0, -1)) {
            if (typeof o[k] !== "object" || o[k] === null || Array.isArray(o[k])) o[k] = {};
            o = o[k] as Props;
        }
        o[keys[keys.length - 1]] = preview ? UNKNOWN : c.value(nameOf(urn), id);
    }
    return out;
}

function toJs(s: Any): Props {
    return (s ? s.toJavaScript() : {}) as Props;
}

function toStruct(p: Props): Any {
    return structpb.Struct.fromJavaScript(p as Any);
}

function sameValue(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

type Callback = (err: unknown, resp?: unknown) => void;
type Handler = (call: { request: Any }, cb: Callback) => void;

function handlers(name: string, version: string): Record<string, Handler> {
    const ok =
        (fn: (req: Any) => unknown): Handler =>
        (call, cb) => {
            try {
                cb(null, fn(call.request));
            } catch (e) {
                cb({ code: grpc.status.INTERNAL, details: `stub ${name} provider: ${(e as Error).message}` });
            }
        };
    return {
        getPluginInfo: ok(() => {
            const r = new pluginpb.PluginInfo();
            r.setVersion(version);
            return r;
        }),
        getSchema: ok(() => {
            const r = new pb.GetSchemaResponse();
            r.setSchema(JSON.stringify({ name, version, resources: {}, functions: {} }));
            return r;
        }),
        checkConfig: ok((req) => {
            const r = new pb.CheckResponse();
            r.setInputs(req.getNews());
            return r;
        }),
        diffConfig: ok(() => {
            const r = new pb.DiffResponse();
            r.setChanges(pb.DiffResponse.DiffChanges.DIFF_NONE);
            return r;
        }),
        configure: ok(() => {
            const r = new pb.ConfigureResponse();
            r.setAcceptsecrets(true);
            r.setSupportspreview(true);
            r.setAcceptresources(true);
            return r;
        }),
        check: ok((req) => {
            const r = new pb.CheckResponse();
            r.setInputs(req.getNews());
            return r;
        }),
        diff: ok((req) => {
            const olds = toJs(req.getOldInputs() ?? req.getOlds());
            const news = toJs(req.getNews());
            const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
                (k) => !sameValue(olds[k], news[k]),
            );
            const r = new pb.DiffResponse();
            r.setChanges(
                changed.length ? pb.DiffResponse.DiffChanges.DIFF_SOME : pb.DiffResponse.DiffChanges.DIFF_NONE,
            );
            r.setDiffsList(changed);
            return r;
        }),
        create: ok((req) => {
            const urn: string = req.getUrn();
            const id = req.getPreview()
                ? ""
                : `${nameOf(urn)}-${crypto.createHash("sha256").update(urn).digest("hex").slice(0, 8)}`;
            const r = new pb.CreateResponse();
            r.setId(id);
            r.setProperties(toStruct(withComputed(urn, id, toJs(req.getProperties()), req.getPreview())));
            return r;
        }),
        read: ok((req) => {
            const r = new pb.ReadResponse();
            r.setId(req.getId());
            r.setProperties(req.getProperties());
            r.setInputs(req.getInputs());
            return r;
        }),
        update: ok((req) => {
            const r = new pb.UpdateResponse();
            r.setProperties(toStruct(withComputed(req.getUrn(), req.getId(), toJs(req.getNews()), req.getPreview())));
            return r;
        }),
        delete: ok(() => new emptypb.Empty()),
        invoke: ok(() => {
            const r = new pb.InvokeResponse();
            r.setReturn(toStruct({}));
            return r;
        }),
        cancel: ok(() => new emptypb.Empty()),
    };
}

function main(): void {
    const [name, version] = process.argv.slice(2);
    if (!name || !version) {
        process.stderr.write("usage: stub-provider.js <name> <version> [engine address]\n");
        process.exit(2);
    }
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(rpc.ResourceProviderService, handlers(name, version));
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, port: number) => {
        if (err) {
            process.stderr.write(`stub ${name} provider: ${err.message}\n`);
            process.exit(1);
        }
        process.stdout.write(`${port}\n`);
    });
}

if (require.main === module) main();
