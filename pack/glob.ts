// Glob patterns for exemptions: `*` matches any run of characters, `?` one character; everything else is literal.
const compiled = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
    let re = compiled.get(glob);
    if (!re) {
        const body = glob
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".");
        re = new RegExp(`^${body}$`);
        if (compiled.size < 1000) compiled.set(glob, re);
    }
    return re;
}

export function globMatch(glob: string, text: string): boolean {
    return globToRegExp(glob).test(text);
}
