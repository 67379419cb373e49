// YAML and JSON documents (multi-document streams), parsed with the `yaml` library in YAML 1.1 mode, as
// Kubernetes (sigs.k8s.io/yaml) and cloud-init (PyYAML) read them: `True`, `yes`, `on` are booleans.
// Alias expansion and size are bounded; a parse failure is reported, never thrown.
import { parseAllDocuments } from "yaml";
import { LIMITS } from "./limits";

export interface Doc {
    /** The parsed document. */
    value: unknown;
    /** 1-based index within the stream. */
    index: number;
    kind?: string;
    apiVersion?: string;
}

export interface ParsedDocs {
    docs: Doc[];
    /** Why (part of) the text could not be read; undefined when all of it parsed. */
    error?: string;
}

export function parseDocuments(text: string): ParsedDocs {
    if (text.length > LIMITS.maxTextBytes) return { docs: [], error: `larger than ${LIMITS.maxTextBytes} bytes` };
    let parsed;
    try {
        parsed = parseAllDocuments(text, { version: "1.1", uniqueKeys: false, prettyErrors: false, strict: false });
    } catch {
        return { docs: [], error: "not valid YAML" };
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    const docs: Doc[] = [];
    let error: string | undefined;
    for (let i = 0; i < list.length && i < LIMITS.maxParts; i++) {
        const d = list[i];
        if (d.errors.length > 0) { error = `document ${i + 1} is not valid YAML`; continue; }
        let value: unknown;
        try {
            value = d.toJS({ maxAliasCount: LIMITS.maxYamlAliases });
        } catch {
            error = `document ${i + 1} expands too many YAML aliases`;
            continue;
        }
        if (value === null || value === undefined) continue;
        const obj = typeof value === "object" && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
        docs.push({
            value, index: i + 1,
            kind: typeof obj?.kind === "string" ? obj.kind : undefined,
            apiVersion: typeof obj?.apiVersion === "string" ? obj.apiVersion : undefined,
        });
    }
    if (list.length > LIMITS.maxParts) error = `more than ${LIMITS.maxParts} documents`;
    return { docs, error };
}

/** Cheap test before parsing: does the text mention a document kind the pack reads? */
export const KNOWN_KINDS = /\bkind:\s*["']?(KubeletConfiguration|ClusterConfiguration|InitConfiguration|JoinConfiguration|KubeProxyConfiguration|NodeConfig|AuthenticationConfiguration|Pod)\b|"kind"\s*:\s*"(KubeletConfiguration|KubeProxyConfiguration|NodeConfig|Pod)"/;
