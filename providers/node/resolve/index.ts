// The resolve stage: node model → each component's effective invocation → its settings. Order: distribution
// modules put their files and implied invocations on the node; systemd units, shell commands and containers
// give the invocations the program itself starts; each invocation is resolved with its component's rules
// (components.ts). Without any invocation, configuration written for a component still describes it: a
// KubeletConfiguration in a ConfigMap, an env file with kubelet flags whose unit the program does not write.
import type { Normalized, Subject } from "../../model";
import { KUBELET, KUBE_PROXY, componentOf } from "../catalogue";
import { parseEnvFile } from "../decode/systemd";
import { minorFromImage } from "../decode/images";
import { decodePodSpec } from "../decode/pods";
import { Arg, NodeModel } from "../model";
import { resolveInvocation } from "./components";
import { Context, KnownImage, allDocuments, assumeImage, distributions } from "./distros";
import { NodeFiles } from "./files";
import { Invocation, envOf } from "./invocation";
import { unitCommands } from "./systemd";
import { checkBudget } from "../../budget";

function toInvocation(
    argv: Arg[],
    env: Invocation["env"],
    at: string,
    extra: Partial<Invocation> = {},
): Invocation | undefined {
    const found = componentOf(argv.map((a) => a.text));
    if (!found) return undefined;
    const skip = argv.length - found.args.length;
    const binary = argv[skip - 1]?.text.split("/").pop() ?? "";
    return { spec: found.spec, args: argv.slice(skip), env, at: at ? `${at} ${binary}` : "", ...extra };
}

/** Kubelet flags in env files no unit reads (KUBELET_ARGS, KUBELET_EXTRA_ARGS, KUBELET_FLAGS, KUBELET_OPTS, ...). */
function orphanKubeletFlags(ctx: Context, read: Set<string>): Arg[] {
    const out: Arg[] = [];
    for (const f of ctx.model.files.values()) {
        checkBudget();
        const text = ctx.files.read(f.path)?.text;
        if (read.has(f.path) || text === undefined || !text.includes("KUBELET_")) continue;
        if (f.path.includes("/systemd/")) continue;
        for (const [k, v] of parseEnvFile(text)) {
            if (!/^KUBELET_[A-Z_]{0,40}(ARGS|FLAGS|OPTS)$/.test(k)) continue;
            const value = v.split(`$${k}`).join(" ").split(`\${${k}}`).join(" ");
            const where = `${f.history[f.history.length - 1] ?? f.path}, ${k}`;
            for (const w of value.split(/[ \t]+/)) if (w.startsWith("-")) out.push({ text: w, from: where });
        }
    }
    return out;
}

export function resolveNode(
    model: NodeModel,
    platform: Subject["platform"] = "self-managed",
    image?: KnownImage,
): Normalized {
    const files = new NodeFiles(model);
    const ctx: Context = { model, files, invocations: [], image };
    const docs = allDocuments(model);
    // Static pod manifests the node writes (or documents that are Pods) run as containers.
    for (const d of docs) {
        const v = d.doc.value as Record<string, unknown>;
        if (d.doc.kind === "Pod" && typeof v === "object" && v !== null) decodePodSpec(model, v.spec, `${d.at}, `);
    }
    const distro = distributions(ctx, docs);
    const units = unitCommands(files);
    const readEnvFiles = new Set<string>();
    for (const u of units) {
        for (const e of u.env.values()) {
            const m = / from (\/\S+)$/.exec(e.from);
            if (m) readEnvFiles.add(m[1]);
        }
        const inv = toInvocation(u.argv, u.env, u.at);
        if (inv) ctx.invocations.push(inv);
    }
    for (const c of model.commands) {
        checkBudget();
        const inv = toInvocation(c.argv, envOf(c.env, "in the environment"), c.at);
        if (inv) ctx.invocations.push(inv);
    }
    for (const c of model.containers) {
        const inv = toInvocation(c.argv, envOf(c.env, `in ${c.at} env`), "", {
            location: c.at,
            minor: minorFromImage(c.image),
            envUnknown: c.envUnknown,
        });
        if (inv) ctx.invocations.push(inv);
    }
    const kubeletStarted = ctx.invocations.some((i) => i.spec === KUBELET);
    const orphanDocs = docs
        .filter(
            (d) =>
                d.doc.kind &&
                ["KubeletConfiguration", "KubeProxyConfiguration", "AuthenticationConfiguration"].includes(d.doc.kind),
        )
        .filter(
            (d) =>
                !(
                    d.doc.kind === "KubeletConfiguration" &&
                    !(d.doc.apiVersion ?? "kubelet.config.k8s.io/").startsWith("kubelet.config.k8s.io/")
                ),
        )
        .map((d) => ({ kind: d.doc.kind!, doc: d.doc.value, at: d.at }));
    // Configuration for a kubelet whose start the program does not show.
    if (!kubeletStarted) {
        const flags = orphanKubeletFlags(ctx, readEnvFiles);
        const kubeletDocs = orphanDocs.filter((d) => d.kind === "KubeletConfiguration");
        const edited = [...model.files.values()].some(
            (f) => f.content === undefined && /kubelet/.test(f.path) && f.edits.length > 0,
        );
        const docsOf = kubeletDocs.map((d) => ({ doc: d.doc, at: d.at }));
        if (image && (flags.length || kubeletDocs.length || edited) && !distro.kubelet)
            assumeImage(ctx, image, flags, docsOf);
        else if (flags.length || kubeletDocs.length) {
            ctx.invocations.push({
                spec: KUBELET,
                args: flags,
                env: new Map(),
                at: flags[0]?.from ?? kubeletDocs[0].at,
                label: "",
                docs: flags.some((f) => f.text.startsWith("--config")) ? [] : docsOf,
                configWhy: "a KubeletConfiguration is given",
            });
        }
    }
    if (!ctx.invocations.some((i) => i.spec === KUBE_PROXY)) {
        const proxy = orphanDocs.filter((d) => d.kind === "KubeProxyConfiguration");
        if (proxy.length)
            ctx.invocations.push({
                spec: KUBE_PROXY,
                args: [],
                env: new Map(),
                at: proxy[0].at,
                docs: proxy.map((d) => ({ doc: d.doc, at: d.at })),
            });
    }
    const subjects: Subject[] = [];
    const seen = new Set<string>();
    const env = { model, files, orphanDocs };
    for (const inv of ctx.invocations) {
        checkBudget();
        const r = resolveInvocation(inv, env, platform);
        if (r.unknown.size) {
            const first = [...r.unknown.values()][0];
            model.note(
                `${inv.location ? `${inv.location}, ` : ""}${first}`,
                `is not known until the resources it depends on exist, and it may set any ${inv.spec.component} setting: ${r.unknown.size} setting(s) are judged at update`,
            );
        }
        const key = JSON.stringify([r.subject.component, r.subject.location, r.subject.settings]);
        if (seen.has(key)) continue;
        seen.add(key);
        subjects.push(r.subject);
    }
    return { subjects, notes: model.notes };
}
