// YAML and JSON documents (multi-document streams), parsed with js-yaml (already a dependency of
// @pulumi/pulumi, and several times faster than the alternatives on user-data sized input). js-yaml keeps
// aliases as shared references instead of expanding them, so parsing an alias bomb is cheap; what would blow
// up is any later walk over the value. So every document's expanded size (each alias counted as often as it
// is used, computed once per shared node) is bounded by LIMITS.maxYamlNodes: a bigger one is not read and gets
// one clear note. Size is bounded; a parse failure is reported, never thrown.
import { loadAll } from "js-yaml";
import { LIMITS } from "../limits";
import { checkBudget } from "../../budget";

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

/** Nodes of a value with every shared reference expanded, stopping once past `cap` (memoized: linear). */
export function expandedSize(v: unknown, cap: number, memo = new Map<object, number>()): number {
    if (typeof v !== "object" || v === null) return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    memo.set(v, cap + 1); // a cycle counts as too big
    let n = 1;
    for (const x of Array.isArray(v) ? v : Object.values(v)) {
        n += expandedSize(x, cap, memo);
        if (n > cap) break;
    }
    memo.set(v, n);
    return n;
}

export function parseDocuments(text: string): ParsedDocs {
    if (text.length > LIMITS.maxTextBytes) return { docs: [], error: `larger than ${LIMITS.maxTextBytes} bytes` };
    const values: unknown[] = [];
    let error: string | undefined;
    try {
        loadAll(
            text,
            (v) => {
                if (values.length < LIMITS.maxParts + 1) values.push(v);
            },
            { json: true },
        );
    } catch {
        error = values.length === 0 ? "not valid YAML" : `document ${values.length + 1} is not valid YAML`;
    }
    if (values.length > LIMITS.maxParts) {
        values.length = LIMITS.maxParts;
        error = `more than ${LIMITS.maxParts} documents`;
    }
    if (text.includes("*")) {
        const memo = new Map<object, number>();
        for (let i = 0; i < values.length; i++) {
            if (expandedSize(values[i], LIMITS.maxYamlNodes, memo) > LIMITS.maxYamlNodes) {
                return {
                    docs: [],
                    error: `YAML aliases expand to more than ${LIMITS.maxYamlNodes} nodes (alias bomb)`,
                };
            }
        }
    }
    const docs: Doc[] = [];
    values.forEach((value, i) => {
        checkBudget();
        if (value === null || value === undefined) return;
        const obj = typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
        docs.push({
            value,
            index: i + 1,
            kind: typeof obj?.kind === "string" ? obj.kind : undefined,
            apiVersion: typeof obj?.apiVersion === "string" ? obj.apiVersion : undefined,
        });
    });
    return { docs, error };
}

/** Document kinds the pack reads. */
export const KINDS = [
    "KubeletConfiguration",
    "ClusterConfiguration",
    "InitConfiguration",
    "JoinConfiguration",
    "KubeProxyConfiguration",
    "NodeConfig",
    "AuthenticationConfiguration",
    "AuthorizationConfiguration",
    "EncryptionConfiguration",
    "KubeSchedulerConfiguration",
    "Pod",
];

/** Cheap test before parsing: does the text mention a document kind the pack reads (YAML or JSON)? */
export const KNOWN_KINDS = new RegExp(`\\bkind"?\\s*:\\s*["']?(${KINDS.join("|")})\\b`);
