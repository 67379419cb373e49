// A cooperative time budget for reading one resource. normalize() opens a budget around each reader; decoders
// (user data, shell, documents) call `checkBudget()` in their loops, which is cheap (it reads the clock only every
// CHECK_EVERY calls) and throws BudgetExceeded once the resource's deadline has passed. normalize() turns that
// into one advisory note for the resource instead of a verdict: a hostile or huge input never stalls a preview.
//
// Decoders use only this surface:
//   checkBudget()          in any loop over user-controlled input (lines, parts, tokens, expansions);
//   overBudget()           the same test without throwing, where a decoder prefers to stop and add its own note;
//   BudgetExceeded         the error class (rethrow it if you catch errors around a decoding step).
// Outside a budget (unit tests calling a decoder directly) both are no-ops.

/** Wall-clock time one resource may take to be read, in ms. An Analyze call must answer well under a second. */
export const RESOURCE_DEADLINE_MS = 500;
/** Subjects (component instances) one resource may yield; more is an expansion, not a real node. */
export const MAX_SUBJECTS_PER_RESOURCE = 64;

const CHECK_EVERY = 64;

export class BudgetExceeded extends Error {
    constructor(readonly limitMs: number) {
        super(`reading the resource took longer than ${limitMs} ms`);
        this.name = "BudgetExceeded";
    }
}

interface Budget {
    deadline: number;
    limitMs: number;
    calls: number;
    exceeded: boolean;
}

let current: Budget | undefined;
let deadlineOverride: number | undefined;

/** Runs `fn` under a fresh budget of `limitMs` (nested budgets keep the earlier deadline). */
export function withBudget<T>(fn: () => T, limitMs: number = deadlineOverride ?? RESOURCE_DEADLINE_MS): T {
    const outer = current;
    const deadline = Date.now() + limitMs;
    current = outer && outer.deadline <= deadline ? outer : { deadline, limitMs, calls: 0, exceeded: false };
    try {
        return fn();
    } finally {
        current = outer;
    }
}

/** True once the current budget is spent (reads the clock every CHECK_EVERY calls; always false outside a budget). */
export function overBudget(): boolean {
    const b = current;
    if (!b) return false;
    if (b.exceeded) return true;
    if (++b.calls % CHECK_EVERY !== 0) return false;
    if (Date.now() <= b.deadline) return false;
    b.exceeded = true;
    return true;
}

/** Throws BudgetExceeded once the current budget is spent. Call it inside loops over user input. */
export function checkBudget(): void {
    if (overBudget()) throw new BudgetExceeded(current!.limitMs);
}

/** True when the current budget has been found spent (no clock read). */
export function budgetSpent(): boolean {
    return current?.exceeded === true;
}

/** Reads the clock: true (and the budget marked spent) when the deadline has passed. */
export function pastDeadline(): boolean {
    const b = current;
    if (!b) return false;
    if (!b.exceeded && Date.now() > b.deadline) b.exceeded = true;
    return b.exceeded;
}

/** The current budget's limit in ms (the default outside a budget). */
export function budgetLimitMs(): number {
    return current?.limitMs ?? deadlineOverride ?? RESOURCE_DEADLINE_MS;
}

/** For tests: a different per-resource deadline (undefined restores the default). */
export function setResourceDeadlineForTests(ms: number | undefined): void {
    deadlineOverride = ms;
}
