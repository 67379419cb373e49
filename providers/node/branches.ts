// Alternative branches of a boot script: `if … then A else B fi`, `if … elif …`, and the arms of `case`. Only one
// of them runs on the machine, and which one is decided there (a file that exists, a role variable, the
// instance's metadata), so the pack must not read both as if one ran after the other (the later branch would
// silently win). The node is read once with every branch (the reading pass, which also finds the alternatives
// that change something: a file written or edited, a command or tool recorded, a variable set), then once per
// alternative: every structure takes its first branch, and one structure at a time takes each of its other
// branches (1 + Σ(branches − 1) readings, linear in the alternatives, capped). A setting that comes out the same
// in every reading keeps its verdict; one that differs is undetermined, with one advisory naming the structure.
// Interactions of two structures are not enumerated (the cap keeps a hostile script from multiplying readings).
// `if` without `else` and loops are read as running their body: that is what the script was written for.
import { isDeepStrictEqual } from "util";
import type { InspectionNote, Normalized, Setting, Subject } from "../model";
import { undetermined } from "../model";
import type { SettingKey } from "../keys";
import { LIMITS } from "./limits";

export interface BranchStructure {
    kind: "if" | "case";
    /** The script's location and line, for messages: "user data (userData), line 4". */
    at: string;
    /** Number of alternatives seen (then, each elif, else; or case arms). */
    branches: number;
    /** Some branch wrote or edited a file, recorded a command, tool or document, or set a variable. */
    relevant: boolean;
    /** Some branch wrote or edited a file or recorded a command, tool or document (not only variables). */
    writes: boolean;
    /** The structure and branch it is nested in (in the same script), which a reading of it must take. */
    within?: { key: string; branch: number };
}

export class BranchPlan {
    /** Structures found by the reading pass, by key (script location and token index). */
    readonly found = new Map<string, BranchStructure>();
    /** Shell commands interpreted in this reading (to bound the readings by the script's size). */
    commands = 0;

    /** `choice` undefined: the reading pass (every branch runs). Otherwise the branch each listed structure takes. */
    constructor(private readonly choice?: ReadonlyMap<string, number>) {}

    get reading(): boolean {
        return this.choice === undefined;
    }

    /** The branch of a structure that runs; undefined: all of them (the reading pass, or a structure not varied). */
    chosen(key: string): number | undefined {
        return this.choice?.get(key);
    }

    /**
     * The structures whose alternatives change something: those that write first (files, components, tools), then
     * those that only set variables, each in the order the reading pass met them.
     */
    alternatives(): [string, BranchStructure][] {
        const alts = [...this.found].filter(([, s]) => s.relevant && s.branches > 1);
        return [...alts.filter(([, s]) => s.writes), ...alts.filter(([, s]) => !s.writes)];
    }
}

interface World {
    choice: Map<string, number>;
    /** The structure and branch this reading varies (undefined for the first reading). */
    varied?: BranchStructure;
}

function worlds(plan: BranchPlan): { worlds: World[]; unvaried: number; unvariedAt?: string; cap: number } {
    // Which structures are varied, within the cap; the others are read with every branch in each reading.
    const varied: [string, BranchStructure][] = [];
    const cap = Math.min(
        LIMITS.maxBranchReadings,
        1 + Math.floor(LIMITS.maxBranchCommands / Math.max(1, plan.commands)),
    );
    let readings = 1;
    // Alternatives not read that write something are counted for the note; those that only set variables are
    // read in order without one (long scripts set many: architecture, retries), as the README says.
    let unvaried = 0;
    let unvariedAt: string | undefined;
    for (const alt of plan.alternatives()) {
        if (readings + alt[1].branches - 1 > cap) {
            if (alt[1].writes) {
                unvaried++;
                unvariedAt ??= alt[1].at;
            }
        } else {
            readings += alt[1].branches - 1;
            varied.push(alt);
        }
    }
    const base = new Map<string, number>(varied.map(([k]) => [k, 0]));
    const out: World[] = [{ choice: base }];
    for (const [key, s] of varied)
        for (let b = 1; b < s.branches; b++) {
            const choice = new Map(base).set(key, b);
            // A nested structure is reached only through the branch that holds it.
            for (let up = s.within; up; up = plan.found.get(up.key)?.within)
                if (choice.has(up.key)) choice.set(up.key, up.branch);
            out.push({ choice, varied: s });
        }
    return { worlds: out, unvaried, unvariedAt, cap };
}

const sameSetting = (a: Setting | undefined, b: Setting | undefined): boolean =>
    a === b || (a !== undefined && b !== undefined && a.state === b.state && isDeepStrictEqual(a.value, b.value));

/**
 * Reads a node once per alternative and merges the readings. `build` decodes the node under a plan into a model,
 * `resolve` turns a model into subjects; both are the caller's (readCarrier, readCloudinitParts).
 */
export function acrossBranches<M>(build: (plan: BranchPlan) => M, resolve: (model: M) => Normalized): Normalized {
    const reading = new BranchPlan();
    const first = build(reading);
    const { worlds: ws, unvaried, unvariedAt, cap } = worlds(reading);
    // Nothing varied (no alternatives, or a script too large for a second reading): the reading pass.
    const merged =
        ws.length < 2
            ? resolve(first)
            : merge(ws.map((w) => ({ world: w, normalized: resolve(build(new BranchPlan(w.choice))) })));
    if (unvariedAt)
        merged.notes.push({
            where: unvariedAt,
            reason: `${unvaried} if/else or case alternatives ${cap < 2 ? "in a script too large to read once per alternative" : `beyond the ${cap} readings the pack makes of a script this size`}; their branches were read as if each ran in turn`,
        });
    return merged;
}

function merge(results: { world: World; normalized: Normalized }[]): Normalized {
    // Subjects correspond by component and by their order among that component's subjects in each reading.
    const groups = new Map<string, { subject: Subject; world: World }[]>();
    for (const { world, normalized } of results) {
        const seen = new Map<string, number>();
        for (const subject of normalized.subjects) {
            const n = seen.get(subject.component) ?? 0;
            seen.set(subject.component, n + 1);
            const key = `${subject.component}#${n}`;
            const g = groups.get(key);
            if (g) g.push({ subject, world });
            else groups.set(key, [{ subject, world }]);
        }
    }
    const subjects: Subject[] = [];
    for (const members of groups.values()) {
        const [head] = members;
        const settings = { ...head.subject.settings };
        const keys = new Set<SettingKey>();
        for (const m of members) for (const k of Object.keys(m.subject.settings)) keys.add(k as SettingKey);
        for (const key of keys) {
            const base = head.subject.settings[key];
            const other = members.find((m) => !sameSetting(base, m.subject.settings[key]));
            if (!other) continue;
            const where = base?.where ?? other.subject.settings[key]?.where ?? head.subject.location;
            const s = other.world.varied ?? members.find((m) => m.world.varied)?.world.varied;
            const structure = s ? `the ${s.kind === "if" ? "if/else" : "case"} at ${s.at}` : "an if/else or case";
            const setting = undetermined(
                where,
                `differs between the branches of ${structure}; which branch runs is decided on the machine at boot`,
            );
            if (members.some((m) => m.subject.settings[key]?.secret)) setting.secret = true;
            settings[key] = setting;
        }
        subjects.push({ ...head.subject, settings });
    }
    const notes: InspectionNote[] = [];
    for (const { normalized } of results)
        for (const n of normalized.notes)
            if (!notes.some((x) => x.where === n.where && x.reason === n.reason)) notes.push(n);
    return { subjects, notes };
}
