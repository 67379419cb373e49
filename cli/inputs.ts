// Reading what `kube-api-guard scan` judges: `pulumi stack export` documents (deployment version 3) and
// `pulumi preview --json` output, from files or standard input (`-`), in UTF-8 (with or without a BOM) or UTF-16.
// Anything that is not such a document is an InputError naming the file and the problem.
//
// Values scan cannot read are not a reason to refuse a whole stack: a secret encrypted by the stack's secrets
// provider (exports without --show-secrets always hold some), a secret a preview prints as "[secret]", and values
// nested deeper than the pack reads become the engine's "unknown" sentinel, and the path is recorded. They matter
// only where a policy reads that field; the report then says "could not inspect" with advice for the kind of input
// (cli/unreadable.ts).
import * as fs from "fs";
import type { OptionsInput, ProviderInput, ResourceInput } from "../client/analyzer";

export class InputError extends Error {}

/** Pulumi's secret signature key and value in serialized state. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The engine's unknown string sentinel: providers report what depends on it as "could not judge", never a verdict. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/**
 * How `pulumi preview --json` prints every secret: the plain string "[secret]", whatever the value's type, and even
 * with --show-secrets (pkg/backend/display/json.go, stateForJSONOutput → MassageSecrets(inputs, false) →
 * massagePropertyValue: `case v.IsSecret(): return resource.NewProperty("[secret]")`; Pulumi v3.248.0).
 */
const BLINDED = "[secret]";
/** Deeper values are not sent to the pack (the pack cuts Struct nesting at the same depth, engine/wire.ts). */
export const MAX_INPUT_DEPTH = 128;

export type UnreadableReason = "encrypted" | "blinded" | "too deep";

export interface Unreadable {
    /** Path inside the resource's inputs, e.g. `userData` or `vpcConfig.publicAccessCidrs[0]`. */
    path: string;
    reason: UnreadableReason;
}

export interface LoadedInput {
    file: string;
    kind: "stack export" | "preview";
    /** The resources judged and counted. */
    resources: ResourceInput[];
    /**
     * The Stack resource and the providers: the engine sends them to the pack too (Analyze and AnalyzeStack), so scan
     * does; they are not counted as resources of the report.
     */
    context: ResourceInput[];
    /** Values that could not be read, by resource URN. */
    unreadable: Map<string, Unreadable[]>;
}

function isObj(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function pathOf(parent: string, key: string | number): string {
    if (typeof key === "number") return `${parent}[${key}]`;
    return parent === "" ? key : `${parent}.${key}`;
}

/**
 * The inputs as the pack should see them: plaintext secrets (--show-secrets) revealed, unreadable values replaced by
 * the unknown sentinel and recorded, `__proto__` keys dropped (they would become the object's prototype on the pack's
 * side), nesting bounded. Recursion is bounded by MAX_INPUT_DEPTH.
 */
function clean(
    v: unknown,
    path: string,
    depth: number,
    out: Unreadable[],
    secretsSeen: number,
    preview: boolean,
): unknown {
    if (depth > MAX_INPUT_DEPTH) {
        out.push({ path, reason: "too deep" });
        return UNKNOWN_STRING;
    }
    if (Array.isArray(v)) return v.map((x, i) => clean(x, pathOf(path, i), depth + 1, out, secretsSeen, preview));
    if (preview && v === BLINDED) {
        out.push({ path, reason: "blinded" });
        return UNKNOWN_STRING;
    }
    if (!isObj(v)) return v;
    if (v[SIG_KEY] === SECRET_SIG) {
        if (typeof v.plaintext === "string" && secretsSeen < 8) {
            let inner: unknown;
            try {
                inner = JSON.parse(v.plaintext);
            } catch {
                inner = v.plaintext;
            }
            // Sent to the pack still marked secret, so that its messages withhold what the secret decides.
            return { [SIG_KEY]: SECRET_SIG, value: clean(inner, path, depth, out, secretsSeen + 1, preview) };
        }
        const blinded = v.ciphertext === "[secret]" || v.plaintext === "[secret]";
        out.push({ path, reason: blinded ? "blinded" : "encrypted" });
        return UNKNOWN_STRING;
    }
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
        if (k === "__proto__") continue;
        o[k] = clean(v[k], pathOf(path, k), depth + 1, out, secretsSeen, preview);
    }
    return o;
}

function isContext(type: string): boolean {
    return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
}

function urnList(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((d): d is string => typeof d === "string") : [];
}

function propertyDependencies(v: unknown): Record<string, string[]> {
    if (!isObj(v)) return {};
    const out: Record<string, string[]> = {};
    for (const k of Object.keys(v)) if (k !== "__proto__") out[k] = urnList(v[k]);
    return out;
}

function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/** The options a state records, as the engine sends them for it (deploy/analyze_snapshot.go, stateToAnalyzerResource). */
function options(state: Record<string, unknown> | undefined): OptionsInput {
    const t = isObj(state?.customTimeouts) ? state.customTimeouts : {};
    const seconds = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
    return {
        protect: state?.protect === true,
        ignoreChanges: urnList(state?.ignoreChanges),
        additionalSecretOutputs: urnList(state?.additionalSecretOutputs),
        aliases: urnList(state?.aliases),
        customTimeouts: { create: seconds(t.create), update: seconds(t.update), delete: seconds(t.delete) },
    };
}

/** Provider states by URN, to send each resource's provider with its inputs as the engine does. */
type Providers = Map<string, Record<string, unknown>>;

/**
 * The provider a state's reference (`<provider URN>::<id>`) names, with its inputs where the input holds its state
 * (an export always does; preview output lists no provider steps, so there only its URN, type and name are known).
 */
function providerOf(ref: unknown, providers: Providers, preview: boolean): ProviderInput | undefined {
    if (typeof ref !== "string" || ref === "") return undefined;
    const urn = ref.slice(0, ref.lastIndexOf("::"));
    const state = providers.get(urn);
    const props = clean(state?.inputs ?? {}, "", 1, [], 0, preview);
    const type = (urn.split("::")[2] ?? "").split("$").pop() ?? "";
    return { urn, type, name: nameOf(urn), props: isObj(props) ? props : {} };
}

function resource(
    urn: string,
    type: string,
    state: Record<string, unknown> | undefined,
    outputs: unknown,
    providers: Providers,
    unreadable: Map<string, Unreadable[]>,
    preview: boolean,
): ResourceInput {
    const lost: Unreadable[] = [];
    const props = clean(state?.inputs ?? {}, "", 1, lost, 0, preview);
    const lostOutputs: Unreadable[] = [];
    const outs = outputs === undefined ? undefined : clean(outputs, "", 1, lostOutputs, 0, preview);
    for (const u of lostOutputs) if (!lost.some((x) => x.path === u.path)) lost.push(u);
    if (lost.length > 0) unreadable.set(urn, lost);
    return {
        type,
        name: nameOf(urn),
        urn,
        props: isObj(props) ? props : {},
        outputs: isObj(outs) ? outs : undefined,
        parent: typeof state?.parent === "string" ? state.parent : undefined,
        dependencies: urnList(state?.dependencies),
        propertyDependencies: propertyDependencies(state?.propertyDependencies),
        provider: providerOf(state?.provider, providers, preview),
        options: options(state),
    };
}

interface Read {
    resources: ResourceInput[];
    context: ResourceInput[];
}

/**
 * A stack export, sent as `pulumi policy analyze` sends the stack's state (deploy/analyze_snapshot.go): every resource
 * not pending deletion, Analyze with its inputs, AnalyzeStack with its outputs.
 */
function fromExport(file: string, doc: Record<string, unknown>, unreadable: Map<string, Unreadable[]>): Read {
    const deployment = doc.deployment;
    if (!isObj(deployment)) throw new InputError(`${file}: a stack export needs a "deployment" object`);
    if (doc.version !== 3)
        throw new InputError(
            `${file}: stack export version ${String(doc.version)} is not supported ` +
                "(expected 3, as written by `pulumi stack export`)",
        );
    const list = deployment.resources ?? [];
    if (!Array.isArray(list)) throw new InputError(`${file}: deployment.resources is not a list`);
    const providers: Providers = new Map();
    list.forEach((r, i) => {
        if (!isObj(r) || typeof r.urn !== "string" || typeof r.type !== "string")
            throw new InputError(`${file}: deployment.resources[${i}] has no urn or type`);
        if (r.type.startsWith("pulumi:providers:") && r.delete !== true) providers.set(r.urn, r);
    });
    const out: Read = { resources: [], context: [] };
    for (const r of list as Record<string, unknown>[]) {
        if (r.delete === true) continue;
        const type = r.type as string;
        const res = resource(r.urn as string, type, r, r.outputs ?? {}, providers, unreadable, false);
        (isContext(type) ? out.context : out.resources).push(res);
    }
    return out;
}

/**
 * Preview output, sent as the engine sends a preview: Analyze with each step's new inputs; AnalyzeStack with the
 * outputs where the output holds them (an unchanged resource keeps its old outputs), otherwise the inputs (what a
 * provider's preview of a create returns, unknown computed values aside). Preview output prints no provider steps.
 */
function fromPreview(file: string, doc: Record<string, unknown>, unreadable: Map<string, Unreadable[]>): Read {
    const steps = doc.steps;
    if (!Array.isArray(steps)) throw new InputError(`${file}: preview output needs a "steps" list`);
    // Without --show-sames the CLI leaves unchanged resources out of "steps" and only counts them (a deployed stack
    // with no change lists the Stack resource alone): judging such a file would pass those resources in silence.
    const summary = doc.changeSummary as Record<string, unknown> | undefined;
    const sames = steps.filter((s) => isObj(s) && s.op === "same").length;
    const counted = isObj(summary) && typeof summary.same === "number" ? summary.same : 0;
    if (counted > sames) {
        throw new InputError(
            `${file}: the preview leaves out ${counted - sames} unchanged resources (it lists changes only); ` +
                "run `pulumi preview --json --show-sames` to judge the whole stack",
        );
    }
    const out: Read = { resources: [], context: [] };
    const seen = new Set<string>();
    const providers: Providers = new Map();
    steps.forEach((s, i) => {
        if (!isObj(s)) throw new InputError(`${file}: steps[${i}] is not an object`);
        const state = isObj(s.newState) ? s.newState : isObj(s.oldState) ? s.oldState : undefined;
        if (typeof state?.type === "string" && state.type.startsWith("pulumi:providers:") && typeof s.urn === "string")
            providers.set(s.urn, state);
    });
    steps.forEach((s, i) => {
        if (!isObj(s)) throw new InputError(`${file}: steps[${i}] is not an object`);
        const op = String(s.op ?? "");
        if (op === "delete" || op === "discard" || op === "remove-pending-replace" || op === "read-discard") return;
        const state = isObj(s.newState) ? s.newState : isObj(s.oldState) ? s.oldState : undefined;
        const urn = typeof s.urn === "string" ? s.urn : typeof state?.urn === "string" ? state.urn : undefined;
        const type = typeof state?.type === "string" ? state.type : undefined;
        if (!urn || !type) throw new InputError(`${file}: steps[${i}] has no urn or type`);
        if (seen.has(urn)) return; // replacements list the same resource twice
        seen.add(urn);
        const old = isObj(s.oldState) ? s.oldState : undefined;
        const outputs = state?.outputs ?? (op === "same" ? old?.outputs : undefined);
        const res = resource(urn, type, state, outputs, providers, unreadable, true);
        (isContext(type) ? out.context : out.resources).push(res);
    });
    return out;
}

/** Text of a file in UTF-8 (a BOM is dropped) or UTF-16 (by its BOM, or by the zero bytes of ASCII text). */
export function decodeText(buf: Buffer, file: string): string {
    if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    else if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe)
        return new TextDecoder("utf-16le").decode(buf.subarray(2));
    else if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff)
        return new TextDecoder("utf-16be").decode(buf.subarray(2));
    else if (buf.length >= 4 && buf[0] !== 0 && buf[1] === 0 && buf[2] !== 0 && buf[3] === 0)
        return new TextDecoder("utf-16le").decode(buf);
    else if (buf.length >= 4 && buf[0] === 0 && buf[1] !== 0 && buf[2] === 0 && buf[3] !== 0)
        return new TextDecoder("utf-16be").decode(buf);
    try {
        return new TextDecoder("utf-8", { fatal: true }).decode(buf);
    } catch {
        throw new InputError(`${file}: is not text (neither UTF-8 nor UTF-16)`);
    }
}

/** Reads a file, or standard input for `-`. */
export function readInput(file: string): string {
    let buf: Buffer;
    try {
        buf = file === "-" ? fs.readFileSync(0) : fs.readFileSync(file);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? "error";
        throw new InputError(`${file === "-" ? "standard input" : file}: cannot be read (${code})`);
    }
    return decodeText(buf, file === "-" ? "standard input" : file);
}

export function parseInput(file: string, text: string): LoadedInput {
    const label = file === "-" ? "standard input" : file;
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        const truncated = text.trim() !== "" && /end of (json )?input|Unterminated/i.test(String((e as Error).message));
        throw new InputError(
            text.trim() === ""
                ? `${label}: is empty`
                : truncated
                  ? `${label}: is truncated (the JSON ends early)`
                  : `${label}: is not JSON`,
        );
    }
    if (!isObj(doc))
        throw new InputError(
            `${label}: is JSON but not an object; expected \`pulumi stack export\` or \`pulumi preview --json\` output`,
        );
    const unreadable = new Map<string, Unreadable[]>();
    if ("deployment" in doc)
        return { file: label, kind: "stack export", ...fromExport(label, doc, unreadable), unreadable };
    if ("steps" in doc) return { file: label, kind: "preview", ...fromPreview(label, doc, unreadable), unreadable };
    throw new InputError(
        `${label}: is neither a \`pulumi stack export\` document nor \`pulumi preview --json\` output`,
    );
}

export function loadInput(file: string): LoadedInput {
    return parseInput(file, readInput(file));
}

/** The files to read, each once: the same path given twice (or through a link) is read once, and so is `-`. */
export function distinctFiles(files: string[]): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const f of files) {
        let key = f;
        if (f !== "-") {
            try {
                key = fs.realpathSync(f);
            } catch {
                key = f; // reported when it is read
            }
        }
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(f);
    }
    return out;
}

/** The resources of all inputs, each URN once (an export and a preview of one stack name the same resources). */
export function mergeResources(inputs: LoadedInput[], which: "resources" | "context" = "resources"): ResourceInput[] {
    const seen = new Set<string>();
    const out: ResourceInput[] = [];
    for (const i of inputs) {
        for (const r of i[which]) {
            const urn = r.urn ?? r.name;
            if (seen.has(urn)) continue;
            seen.add(urn);
            out.push(r);
        }
    }
    return out;
}
