// Glob patterns for exemptions: `*` matches any run of characters, `?` one character; everything else is literal.
// Matched without regular expressions: a glob with k stars compiled to /^.*a.*b…$/ backtracks in time n^k on a long
// URN. The greedy two-pointer match below retries only from the last star, so it is O(text × glob) at worst and
// linear for the usual globs (test/fuzz/regex.test.ts).

export function globMatch(glob: string, text: string): boolean {
    let g = 0;
    let t = 0;
    let star = -1;
    let resume = 0;
    while (t < text.length) {
        const c = glob[g];
        if (c === "*") {
            star = g++;
            resume = t;
        } else if (g < glob.length && (c === "?" || c === text[t])) {
            g++;
            t++;
        } else if (star >= 0) {
            g = star + 1;
            t = ++resume;
        } else return false;
    }
    while (glob[g] === "*") g++;
    return g === glob.length;
}
