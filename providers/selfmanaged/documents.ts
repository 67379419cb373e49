// YAML and JSON documents (multi-document streams), parsed with js-yaml (already a dependency of
// @pulumi/pulumi, and several times faster than the alternatives on user-data sized input). js-yaml keeps
// aliases as shared references instead of expanding them, so alias bombs cannot blow up memory; a stream
// that uses more aliases than any real config still gets one clear note instead of being judged. Size is
// bounded; a parse failure is reported, never thrown.
import { loadAll } from "js-yaml";
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

const ALIAS = /(?:^|[\s[{,:-])\*[^\s,\]}]+/g;

export function parseDocuments(text: string): ParsedDocs {
    if (text.length > LIMITS.maxTextBytes) return { docs: [], error: `larger than ${LIMITS.maxTextBytes} bytes` };
    if (text.includes("*")) {
        let aliases = 0;
        for (const _ of text.matchAll(ALIAS)) if (++aliases > LIMITS.maxYamlAliases) {
            return { docs: [], error: `uses more than ${LIMITS.maxYamlAliases} YAML aliases (possible alias bomb)` };
        }
    }
    const values: unknown[] = [];
    let error: string | undefined;
    try {
        loadAll(text, (v) => { if (values.length < LIMITS.maxParts + 1) values.push(v); }, { json: true });
    } catch {
        error = values.length === 0 ? "not valid YAML" : `document ${values.length + 1} is not valid YAML`;
    }
    if (values.length > LIMITS.maxParts) {
        values.length = LIMITS.maxParts;
        error = `more than ${LIMITS.maxParts} documents`;
    }
    const docs: Doc[] = [];
    values.forEach((value, i) => {
        if (value === null || value === undefined) return;
        const obj = typeof value === "object" && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
        docs.push({
            value, index: i + 1,
            kind: typeof obj?.kind === "string" ? obj.kind : undefined,
            apiVersion: typeof obj?.apiVersion === "string" ? obj.apiVersion : undefined,
        });
    });
    return { docs, error };
}

/** Cheap test before parsing: does the text mention a document kind the pack reads? */
export const KNOWN_KINDS = /\bkind:\s*["']?(KubeletConfiguration|ClusterConfiguration|InitConfiguration|JoinConfiguration|KubeProxyConfiguration|NodeConfig|AuthenticationConfiguration|Pod)\b|"kind"\s*:\s*"(KubeletConfiguration|KubeProxyConfiguration|NodeConfig|Pod)"/;
