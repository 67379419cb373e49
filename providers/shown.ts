// Text taken from user data that a message may quote. Values, paths, file names and names the program wrote (a
// write_files path, a redirect target, a MIME content type, a container name) are printed only when they are short
// plain tokens: letters, digits and `_ . : / @ = , + -`, as an ordinary path, flag value or name is. Anything else
// (spaces, quotes, shell syntax, control characters, long text) may be a script, a key or a token and is withheld.
// pack/messages.ts applies the same test to values.

/** A short plain token: what may be printed of user data ("*" alone too: the wildcard of NSG and RBAC rules). */
export const PLAIN_TOKEN = /^(?:[A-Za-z0-9_.:/@=,+-]{1,80}|\*)$/;
export const NAME_WITHHELD = "(name withheld)";

/** The path or name as a message may print it. */
export function shownName(s: string): string {
    return PLAIN_TOKEN.test(s) ? s : NAME_WITHHELD;
}
