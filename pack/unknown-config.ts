// Policy configuration the Pulumi CLI lets through. `pulumi preview --policy-pack-config` validates each policy's
// settings against its configSchema, but builds the schema from `properties` and `required` only, dropping
// `additionalProperties` (pulumi/pkg/resource/analyzer/config.go, convertSchema), and it hands settings for policy
// names the pack does not have to Configure unchecked. A misspelt setting or policy name would be ignored in silence
// (seen with the real CLI 3.248 in test/cli-real/config.test.ts); the pack rejects such a Configure request instead.

/** Small edit distance, for "did you mean"; names are short, so the quadratic table stays tiny. */
function distance(a: string, b: string): number {
    if (a.length > 100 || b.length > 100) return Math.max(a.length, b.length);
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = cur;
    }
    return prev[b.length];
}

function closest(name: string, known: Iterable<string>): string {
    let best: string | undefined;
    let bestD = Infinity;
    for (const k of known) {
        const d = distance(name, k);
        if (d < bestD) [best, bestD] = [k, d];
    }
    return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 4)) ? ` (did you mean "${best}"?)` : "";
}

/**
 * The problems of one Configure request: policy names the pack does not have (other than "all") and settings a
 * policy's configSchema does not declare. `settings` maps each policy to the setting names of its schema.
 */
export function unknownConfig(
    config: Record<string, { properties: Record<string, unknown> }>,
    settings: ReadonlyMap<string, readonly string[]>,
): string[] {
    const problems: string[] = [];
    for (const [policy, c] of Object.entries(config)) {
        if (policy === "all") continue;
        const known = settings.get(policy);
        if (!known) {
            problems.push(`"${policy}" is not a policy of this pack${closest(policy, settings.keys())}`);
            continue;
        }
        for (const k of Object.keys(c.properties ?? {})) {
            if (!known.includes(k))
                problems.push(`${policy}: "${k}" is not a setting of this policy${closest(k, known)}`);
        }
    }
    return problems;
}
