// @pulumi/cloudinit Config: the parts it renders into MIME user data, read before rendering.
import type { Normalized } from "./model";
import { isRecord } from "./props";
import { Assembly } from "./selfmanaged/assembly";
import { Inspector } from "./selfmanaged/inspect";
import { LIMITS } from "./selfmanaged/limits";

export const CLOUDINIT_CONFIG = "cloudinit:index/config:Config";

export function cloudinitConfig(props: Record<string, unknown>): Normalized {
    const asm = new Assembly("self-managed", "");
    const inspector = new Inspector(asm);
    const parts = Array.isArray(props.parts) ? props.parts : [];
    parts.slice(0, LIMITS.maxParts).forEach((p, i) => {
        if (!isRecord(p) || typeof p.content !== "string") return;
        const type = typeof p.contentType === "string" ? p.contentType.toLowerCase() : "text/plain";
        const name = typeof p.filename === "string" ? ` ${p.filename}` : "";
        inspector.text(p.content, `cloud-init part ${i + 1}${name} (${type})`, 0, { contentType: type });
    });
    return asm.build();
}
