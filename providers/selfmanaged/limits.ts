// Bounds for everything the pack decodes from user data, commands and documents. Content beyond them is not
// inspected, and the resource gets one advisory note saying so (never a silent pass).
export const LIMITS = {
    /** Largest text inspected at any layer (decoded user data, a file, a MIME part). */
    maxTextBytes: 1024 * 1024,
    /** Largest output of one gzip member, and the largest expansion ratio. */
    maxGunzipBytes: 4 * 1024 * 1024,
    maxGzipRatio: 200,
    /** Nesting of encodings (base64 in gzip in MIME in write_files ...). */
    maxDepth: 6,
    /** MIME parts, cloud-init write_files entries, heredocs, YAML documents per text. */
    maxParts: 64,
    /** YAML alias expansions per document (alias bombs). */
    maxYamlAliases: 100,
    /** Lines of shell scanned per script. */
    maxShellLines: 5000,
};
