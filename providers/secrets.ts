// Inputs marked secret. The engine sends a secret input wrapped ({ <sig key>: <secret sig>, value }); the entry
// point unwraps it and records the path here, keyed by the resource's inputs object. A reader never sees the
// difference; afterwards every setting, subject location and note that a secret input decided is marked secret
// and its text withheld, so no message can print it.
//
// How "decided by a secret" is known: the resource is read a second time with every secret input replaced by the
// engine's unknown sentinel. A setting that comes out the same both times did not come from a secret; one that
// changes (or disappears) did. This holds for every reader and decoder without any of them tracking secrets.
import type { InspectionNote, Normalized, Setting, SettingKey, Subject } from "./model";
import { settingsOf } from "./model";
import { isRecord } from "./props";

/** The engine's signature key and the secret signature (pulumi sdk runtime/rpc specialSigKey / specialSecretSig). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Path = (string | number)[];
const secretPaths = new WeakMap<object, Path[]>();

/** Records that `path` inside the inputs `root` held a secret. */
export function markSecret(root: object, path: Path): void {
    const list = secretPaths.get(root);
    if (list) list.push(path);
    else secretPaths.set(root, [path]);
}

export function secretPathsOf(root: unknown): readonly Path[] {
    return (typeof root === "object" && root !== null && secretPaths.get(root)) || [];
}

export function hasSecrets(root: unknown): boolean {
    return secretPathsOf(root).length > 0;
}

const MAX_DEPTH = 256;

/**
 * Replaces, in place, every value `isSecret` recognises by what `unwrap` returns, and records its path on `root`.
 * Iterative (inputs may nest deeply); returns `root`, or the unwrapped value when `root` itself is secret.
 */
export function unwrapSecrets(
    root: unknown,
    isSecret: (v: unknown) => boolean,
    unwrap: (v: unknown) => unknown,
): unknown {
    if (isSecret(root)) {
        const inner = unwrapSecrets(unwrap(root), isSecret, unwrap);
        return inner;
    }
    if (typeof root !== "object" || root === null) return root;
    const stack: { node: Record<string | number, unknown>; path: Path }[] = [
        { node: root as Record<string, unknown>, path: [] },
    ];
    while (stack.length > 0) {
        const { node, path } = stack.pop()!;
        for (const k of Array.isArray(node) ? node.keys() : Object.keys(node)) {
            let v = node[k];
            if (isSecret(v)) {
                do v = unwrap(v);
                while (isSecret(v));
                node[k] = v;
                markSecret(root, [...path, k]);
            }
            if (typeof v === "object" && v !== null && path.length < MAX_DEPTH)
                stack.push({ node: v as Record<string, unknown>, path: [...path, k] });
        }
    }
    return root;
}

/** The wire form: { <sig key>: <secret sig>, value } objects (stack exports, case files, engine structs). */
export function isWireSecret(v: unknown): boolean {
    return isRecord(v) && v[SIG_KEY] === SECRET_SIG;
}

export function unwrapWireSecrets(root: unknown): unknown {
    return unwrapSecrets(root, isWireSecret, (v) => (v as Record<string, unknown>).value ?? null);
}

/** A copy of the inputs with every secret replaced by the engine's unknown sentinel (copies only along the paths). */
export function blindSecrets(root: unknown): unknown {
    const paths = secretPathsOf(root);
    if (paths.length === 0) return root;
    const copy = (v: unknown): unknown => (Array.isArray(v) ? [...v] : isRecord(v) ? { ...v } : v);
    const out = copy(root) as Record<string | number, unknown>;
    const copied = new Set<unknown>([out]);
    for (const path of paths) {
        if (path.length === 0) return UNKNOWN_STRING;
        let node = out;
        let ok = true;
        for (let i = 0; i < path.length - 1; i++) {
            const next = node[path[i]];
            if (typeof next !== "object" || next === null) {
                ok = false;
                break;
            }
            if (!copied.has(next)) {
                const c = copy(next);
                copied.add(c);
                node[path[i]] = c;
                node = c as Record<string | number, unknown>;
            } else node = next as Record<string | number, unknown>;
        }
        if (ok) node[path[path.length - 1]] = UNKNOWN_STRING;
    }
    return out;
}

/** The input fields that were secret, as the user would name them ("userData", "vpcConfig"), for messages. */
export function secretInputs(roots: unknown[]): string {
    const names = new Set<string>();
    for (const r of roots) {
        for (const p of secretPathsOf(r)) {
            const first = p[0];
            names.add(typeof first === "string" && /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(first) ? first : "an input");
        }
    }
    return [...names].slice(0, 3).join(", ") || "an input";
}

function sameValue(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function sameSetting(a: Setting, b: Setting | undefined): boolean {
    return (
        b !== undefined &&
        a.state === b.state &&
        a.where === b.where &&
        a.shown === b.shown &&
        sameValue(a.value, b.value)
    );
}

/** A path-like field name the pack itself wrote (`vpcConfig.publicAccessCidrs`), safe to show even for a secret. */
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*|\[\d+\])*$/;

function secretSetting(s: Setting, key: string, from: string): Setting {
    const name = FIELD_PATH.test(s.where) ? s.where : key;
    // A default value is the pack's, not the user's: it stays visible; the text of an explicit value does not.
    return { ...s, where: `${name} (from ${from}, marked secret)`, shown: undefined, secret: true };
}

/**
 * Marks what the secret inputs decided: `plain` is the reading of the real inputs, `blinded` the reading with the
 * secrets replaced by unknowns. Subjects are matched by component and location, settings by key, notes by text.
 */
export function markSecretProvenance(plain: Normalized, blinded: Normalized, from: string): Normalized {
    const pool = new Map<string, Subject[]>();
    for (const s of blinded.subjects) {
        const k = `${s.component}\u0000${s.location}`;
        const list = pool.get(k);
        if (list) list.push(s);
        else pool.set(k, [s]);
    }
    const subjects = plain.subjects.map((s): Subject => {
        const twin = pool.get(`${s.component}\u0000${s.location}`)?.shift();
        const settings = settingsOf();
        for (const [key, v] of Object.entries(s.settings) as [SettingKey, Setting][]) {
            settings[key] = twin && sameSetting(v, twin.settings[key]) ? v : secretSetting(v, key, from);
        }
        const location = twin || s.location === "" ? s.location : `(a location inside ${from}, marked secret)`;
        return { ...s, location, settings };
    });
    const blindNotes = new Set(blinded.notes.map((n) => `${n.where}\u0000${n.reason}`));
    const notes = plain.notes.map((n): InspectionNote =>
        blindNotes.has(`${n.where}\u0000${n.reason}`) ? n : { where: `${from} (marked secret)`, reason: n.reason },
    );
    return { subjects, notes };
}

/** Reads inputs (one resource's, or several joined) and marks what their secrets decided. */
export function readTrackingSecrets(roots: unknown[], read: (...roots: unknown[]) => Normalized): Normalized {
    const plain = read(...roots);
    if (!roots.some(hasSecrets)) return plain;
    return markSecretProvenance(plain, read(...roots.map(blindSecrets)), secretInputs(roots));
}
