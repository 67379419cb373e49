// The node stage's entry points for the providers: a resource's node bootstrap fields (user data, custom data,
// startup scripts, remote commands), pod specs, ConfigMap data and cloud-init parts → node model (decode/) →
// invocations and settings (resolve/). Shared by the cloud and Kubernetes providers.
import type { Normalized } from "../model";
import { isUnknownValue, read } from "../props";
import { Decoder, compactBase64, looksBase64 } from "./decode";
import { KNOWN_KINDS } from "./decode/documents";
import { decodePodSpec } from "./decode/pods";
import { LIMITS } from "./limits";
import { BranchPlan, acrossBranches } from "./branches";
import { NodeModel } from "./model";
import type { KnownImage } from "./resolve/distros";
import { resolveNode } from "./resolve";
import { shownName } from "../shown";

export type { KnownImage, KubeletBase } from "./resolve/distros";
export { minorFromVersion } from "./resolve/distros";

const NOT_KNOWN = "is not known until the resources it depends on exist; it is inspected when the update runs";

export interface CarrierField {
    /** Dotted path in the inputs; `metadata.user-data` style keys with dashes are fine. */
    path: string;
    /** How the provider expects the value: base64 (LaunchTemplate userData, Azure customData) or plain text. */
    encoding: "base64" | "plain";
    /** What to call it in messages: "user data (userData)". */
    label: string;
    /** "shell" for command lines (remote commands); otherwise the content decides. */
    kind?: "shell";
}

export function readCarrier(props: Record<string, unknown>, fields: CarrierField[], image?: KnownImage): Normalized {
    // Scripts with if/else or case alternatives are read once per alternative (branches.ts).
    return acrossBranches(
        (plan) => carrierModel(props, fields, plan),
        (model) => resolveNode(model, "self-managed", image),
    );
}

function carrierModel(props: Record<string, unknown>, fields: CarrierField[], plan: BranchPlan): NodeModel {
    const model = new NodeModel(plan);
    const d = new Decoder(model);
    for (const f of fields) {
        const r = read(props, f.path);
        if (r.kind === "absent") continue;
        if (r.kind === "unknown") {
            model.note(f.label, NOT_KNOWN);
            continue;
        }
        if (typeof r.value !== "string") {
            model.note(f.label, "is not a string; not inspected");
            continue;
        }
        const value = r.value;
        d.top(() => {
            if (f.kind === "shell") return d.shell(value, f.label, 0);
            if (f.encoding === "base64") {
                const compact = compactBase64(value);
                if (compact !== "" && looksBase64(compact)) return d.bytes(Buffer.from(compact, "base64"), f.label, 1);
                model.note(f.label, "should be base64 but is not; inspected as plain text");
            }
            d.text(value, f.label, 0);
        });
    }
    return model;
}

/** Containers of a pod spec (a Pod, a workload template): each that starts a component is a subject. */
export function readPodSpec(spec: unknown, location: string): Normalized {
    const model = new NodeModel();
    decodePodSpec(model, spec, location);
    return resolveNode(model);
}

/** A ConfigMap's data: any value that is a component document (kubeadm-config, kubelet-config, kube-proxy, ...). */
export function readConfigMapData(data: unknown): Normalized {
    const model = new NodeModel();
    const d = new Decoder(model);
    if (isUnknownValue(data)) model.note("ConfigMap data", NOT_KNOWN);
    else if (typeof data === "object" && data !== null && !Array.isArray(data)) {
        for (const [key, value] of Object.entries(data).slice(0, LIMITS.maxParts)) {
            if (isUnknownValue(value)) {
                model.note(`ConfigMap data["${key}"]`, NOT_KNOWN);
                continue;
            }
            if (typeof value !== "string" || !KNOWN_KINDS.test(value)) continue;
            d.documents(value, `ConfigMap data["${key}"]`);
        }
    }
    return resolveNode(model);
}

/** @pulumi/cloudinit Config parts, read before they are rendered into MIME user data. */
export function readCloudinitParts(parts: unknown): Normalized {
    return acrossBranches(
        (plan) => cloudinitPartsModel(parts, plan),
        (model) => resolveNode(model),
    );
}

function cloudinitPartsModel(parts: unknown, plan: BranchPlan): NodeModel {
    const model = new NodeModel(plan);
    const d = new Decoder(model);
    if (isUnknownValue(parts)) model.note("parts", NOT_KNOWN);
    else if (Array.isArray(parts)) {
        d.top(() =>
            parts.slice(0, LIMITS.maxParts).forEach((p, i) => {
                if (isUnknownValue(p)) return model.note(`cloud-init part ${i + 1}`, NOT_KNOWN);
                if (typeof p !== "object" || p === null) return;
                const part = p as Record<string, unknown>;
                const type = typeof part.contentType === "string" ? part.contentType.toLowerCase() : "text/plain";
                const name = typeof part.filename === "string" ? ` ${shownName(part.filename)}` : "";
                const at = `cloud-init part ${i + 1}${name} (${shownName(type)})`;
                if (isUnknownValue(part.content)) return model.note(`${at} content`, NOT_KNOWN);
                if (typeof part.content !== "string") return;
                d.text(part.content, at, 0, { contentType: type });
            }),
        );
    }
    return model;
}
