// Reading what `kube-api-guard scan` judges: `pulumi stack export` documents (deployment version 3) and
// `pulumi preview --json` output. Anything else, or anything that cannot be read completely, is an InputError
// naming the file and the problem: nothing is partially reported as clean.
import * as fs from "fs";
import type { ResourceInput } from "../client/analyzer";

export class InputError extends Error {}

/** Pulumi's secret signature key and value in serialized state. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface LoadedInput {
    file: string;
    kind: "stack export" | "preview";
    resources: ResourceInput[];
}

function isObj(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Replaces plaintext secrets by their value; throws on encrypted ones (the file cannot be judged). */
function revealSecrets(v: unknown, where: () => string): unknown {
    if (Array.isArray(v)) return v.map((x) => revealSecrets(x, where));
    if (!isObj(v)) return v;
    if (v[SIG_KEY] === SECRET_SIG) {
        if (typeof v.plaintext === "string") {
            try { return revealSecrets(JSON.parse(v.plaintext), where); } catch { return v.plaintext; }
        }
        throw new InputError(`${where()} holds a secret encrypted by the stack's secrets provider, which cannot be read here; export with \`pulumi stack export --show-secrets\` (and keep the file private)`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = revealSecrets(x, where);
    return out;
}

function skipType(type: string): boolean {
    return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
}

function fromExport(file: string, doc: Record<string, unknown>): ResourceInput[] {
    const deployment = doc.deployment;
    if (!isObj(deployment)) throw new InputError(`${file}: a stack export needs a "deployment" object`);
    if (doc.version !== 3) throw new InputError(`${file}: stack export version ${String(doc.version)} is not supported (expected 3, as written by \`pulumi stack export\`)`);
    const list = deployment.resources ?? [];
    if (!Array.isArray(list)) throw new InputError(`${file}: deployment.resources is not a list`);
    const out: ResourceInput[] = [];
    list.forEach((r, i) => {
        if (!isObj(r) || typeof r.urn !== "string" || typeof r.type !== "string") throw new InputError(`${file}: deployment.resources[${i}] has no urn or type`);
        if (skipType(r.type) || r.delete === true) return;
        const name = r.urn.split("::").pop() ?? r.urn;
        const props = revealSecrets(r.inputs ?? {}, () => `${file}: resource ${name} (${r.type})`) as Record<string, unknown>;
        out.push({
            type: r.type, name, urn: r.urn, props,
            parent: typeof r.parent === "string" ? r.parent : undefined,
            dependencies: Array.isArray(r.dependencies) ? r.dependencies.filter((d): d is string => typeof d === "string") : [],
            propertyDependencies: isObj(r.propertyDependencies) ? Object.fromEntries(Object.entries(r.propertyDependencies)
                .map(([k, v]) => [k, Array.isArray(v) ? v.filter((d): d is string => typeof d === "string") : []])) : {},
        });
    });
    return out;
}

function fromPreview(file: string, doc: Record<string, unknown>): ResourceInput[] {
    const steps = doc.steps;
    if (!Array.isArray(steps)) throw new InputError(`${file}: preview output needs a "steps" list`);
    // Without --show-sames the CLI leaves unchanged resources out of "steps" and only counts them (a deployed stack
    // with no change lists the Stack resource alone): judging such a file would pass those resources in silence.
    const summary = doc.changeSummary as Record<string, unknown> | undefined;
    const sames = steps.filter((s) => isObj(s) && s.op === "same").length;
    const counted = isObj(summary) && typeof summary.same === "number" ? summary.same : 0;
    if (counted > sames) {
        throw new InputError(`${file}: the preview leaves out ${counted - sames} unchanged resources (it lists changes only); ` +
            "run `pulumi preview --json --show-sames` to judge the whole stack");
    }
    const out: ResourceInput[] = [];
    steps.forEach((s, i) => {
        if (!isObj(s)) throw new InputError(`${file}: steps[${i}] is not an object`);
        const op = String(s.op ?? "");
        if (op === "delete" || op === "discard" || op === "remove-pending-replace" || op === "read-discard") return;
        const state = isObj(s.newState) ? s.newState : isObj(s.oldState) ? s.oldState : undefined;
        const urn = typeof s.urn === "string" ? s.urn : typeof state?.urn === "string" ? state.urn : undefined;
        const type = typeof state?.type === "string" ? state.type : undefined;
        if (!urn || !type) throw new InputError(`${file}: steps[${i}] has no urn or type`);
        if (skipType(type)) return;
        const name = urn.split("::").pop() ?? urn;
        if (out.some((r) => r.urn === urn)) return; // replacements list the same resource twice
        const where = () => `${file}: resource ${name} (${type})`;
        if (JSON.stringify(state?.inputs ?? {}).includes('"[secret]"')) {
            // Preview output blinds every secret as "[secret]", even with --show-secrets (seen with the CLI 3.248).
            throw new InputError(`${where()} holds a secret, which preview output never shows; scan \`pulumi stack export --show-secrets\` instead (and keep the file private)`);
        }
        out.push({
            type, name, urn, props: revealSecrets(state?.inputs ?? {}, where) as Record<string, unknown>,
            parent: typeof state?.parent === "string" ? state.parent : undefined,
            dependencies: Array.isArray(state?.dependencies) ? (state.dependencies as unknown[]).filter((d): d is string => typeof d === "string") : [],
            propertyDependencies: isObj(state?.propertyDependencies) ? Object.fromEntries(Object.entries(state.propertyDependencies)
                .map(([k, v]) => [k, Array.isArray(v) ? v.filter((d): d is string => typeof d === "string") : []])) : {},
        });
    });
    return out;
}

export function loadInput(file: string): LoadedInput {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        const truncated = text.trim() !== "" && /end of (json )?input|Unterminated/i.test(String((e as Error).message));
        throw new InputError(text.trim() === "" ? `${file}: is empty` : truncated ? `${file}: is truncated (the JSON ends early)` : `${file}: is not JSON`);
    }
    if (!isObj(doc)) throw new InputError(`${file}: is JSON but not an object; expected \`pulumi stack export\` or \`pulumi preview --json\` output`);
    if ("deployment" in doc) return { file, kind: "stack export", resources: fromExport(file, doc) };
    if ("steps" in doc) return { file, kind: "preview", resources: fromPreview(file, doc) };
    throw new InputError(`${file}: is neither a \`pulumi stack export\` document nor \`pulumi preview --json\` output`);
}
