// Bounds for everything the pack decodes from user data, commands and documents. Content beyond them is not
// inspected, and the resource gets one advisory note saying so (never a silent pass). Every decoder is a
// single pass over its input (no regular expression with nested or overlapping quantifiers runs on user
// text), so together with these caps one resource costs time linear in its size.
export const LIMITS = {
    /** Largest text inspected at any layer (decoded user data, a file, a MIME part). */
    maxTextBytes: 1024 * 1024,
    /** Largest output of one gzip member, and the largest expansion ratio. */
    maxGunzipBytes: 4 * 1024 * 1024,
    maxGzipRatio: 200,
    /** Nesting of encodings (base64 in gzip in MIME in write_files ...), and of `$( )` / `sh -c` in shell. */
    maxDepth: 6,
    /** MIME parts, cloud-init write_files entries, heredocs, YAML documents per text. */
    maxParts: 64,
    /**
     * YAML aliases are bounded by what they expand to, not by their count: a document whose values, with every
     * alias expanded, hold more than this many nodes is not read (an alias bomb of 81 aliases expands to 9^9).
     */
    maxYamlNodes: 100_000,
    /** Lines of shell scanned per script (a line continued with `\` counts once per physical line). */
    maxShellLines: 5000,
    /** Simple commands interpreted per script, and files the node model tracks. */
    maxCommands: 5000,
    maxFiles: 512,
    /** Longest value a shell or systemd variable may grow to (A=$A$A doubling), and the total text expanded. */
    maxVariableBytes: 64 * 1024,
    maxExpandedBytes: 4 * 1024 * 1024,
    /** Words of one command, and words (tokens) of one script. */
    maxWords: 4096,
    maxShellTokens: 100_000,
    /**
     * Readings of one node when its scripts hold if/else or case alternatives (providers/node/branches.ts): the
     * first reading and one per other branch of each structure, up to this many; the rest are read as before.
     */
    maxBranchReadings: 9,
    /**
     * Commands interpreted by those readings together (the readings are whole re-reads of the node): a script of
     * N commands gets at most maxBranchCommands / N readings besides the first, so their cost stays linear.
     */
    maxBranchCommands: 2000,
};
