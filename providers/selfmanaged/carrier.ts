// Reading the fields of a resource that carry node bootstrap data (user data, custom data, startup scripts,
// remote commands, ConfigMap values) into subjects. Shared by the cloud providers.
import type { Normalized } from "../model";
import { isUnknownValue, read } from "../props";
import { Assembly, KubeletBase } from "./assembly";
import { Inspector, looksBase64 } from "./inspect";

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

/** What another resource says about the node image: it runs the kubelet with this distribution's config file. */
export interface KnownImage {
    kubeletBase: KubeletBase;
    /** Why it is known, for messages: "amiType AL2023_x86_64_STANDARD of EKS node group \"workers\"". */
    where: string;
}

export function readCarrier(props: Record<string, unknown>, fields: CarrierField[], image?: KnownImage): Normalized {
    const asm = new Assembly("self-managed", "");
    if (image) asm.assumeKubeletBase(image.kubeletBase, image.where);
    const inspector = new Inspector(asm);
    for (const f of fields) {
        const r = read(props, f.path);
        if (r.kind === "absent") continue;
        if (r.kind === "unknown") {
            asm.note(f.label, "is not known until the resources it depends on exist; it is inspected when the update runs");
            continue;
        }
        if (typeof r.value !== "string") {
            asm.note(f.label, "is not a string; not inspected");
            continue;
        }
        if (isUnknownValue(r.value)) continue;
        inspectField(inspector, asm, r.value, f);
    }
    return asm.build();
}

function inspectField(inspector: Inspector, asm: Assembly, value: string, f: CarrierField): void {
    if (f.kind === "shell") return inspector.shell(value, f.label, 0);
    if (f.encoding === "base64") {
        const compact = value.replace(/\s+/g, "");
        if (compact !== "" && looksBase64(compact)) {
            return inspector.bytes(Buffer.from(compact, "base64"), f.label, 1);
        }
        asm.note(f.label, "should be base64 but is not; inspected as plain text");
    }
    inspector.text(value, f.label, 0);
}
