// Every regular expression of the pack against worst-case inputs. The pack runs its regexes on user text (user data,
// flags, names, paths), so none may take super-linear time: V8's engine backtracks, and a pattern such as /\s+$/ is
// quadratic on a long run of spaces, (a+)+ exponential.
//
// The regexes are found by reading the sources (providers/, pack/, cli/, policies/) with the TypeScript parser:
// every regex literal and every `new RegExp(...)` / `RegExp(...)`. A template-literal pattern is tested with each
// substitution replaced by a plain word (what they substitute is escaped or a fixed list); a pattern built from
// anything else must be listed in DYNAMIC with where its real values are tested. Two checks:
//   - static: no quantified group that holds an unbounded quantifier (nested quantifiers, the exponential form),
//     except the reviewed patterns in NESTED_OK whose alternatives cannot match the same text;
//   - dynamic: each regex runs on inputs made of the characters and literals it touches (long runs of one
//     character, runs ended by every other character, alternating pairs, repeated literals): an input that takes
//     more than SCREEN_MS is measured again at 8x the size, and the regex fails when the time grows more than
//     24x (linear is 8x, quadratic 64x; the wide margin keeps a loaded machine from failing a linear regex).
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { RULES } from "../../policies";
import { KNOWN_KINDS } from "../../providers/node/decode/documents";
import { globMatch } from "../../pack/glob";
import { Job, MAX_RATIO, nestedQuantifiers } from "./regex-check";
import { Worker } from "worker_threads";

const ROOT = path.resolve(__dirname, "../../..");
const DIRS = ["providers", "pack", "cli", "policies"];

type Found = Job;
/** A worker that reports nothing for this long is stuck in one pattern (exponential backtracking). */
const STUCK_MS = 4000;

/** Patterns built from values the parser cannot see, and where those values are tested instead. */
const DYNAMIC: Record<string, string> = {
    "policies/evaluator.ts": "the `matches` operator: every rule's pattern is tested below (rulePatterns)",
    "providers/node/decode/documents.ts": "KNOWN_KINDS, imported and tested below",
};

/** Nested quantifiers reviewed as unambiguous: each alternative starts with a character nothing before it matches. */
const NESTED_OK: Record<string, string> = {
    "^[A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z][A-Za-z0-9_]*|\\[\\d+\\])*$":
        "each repetition starts with '.' or '[', which neither inner run matches: one way to match any text",
};

/** Patterns the code runs only on short text, with the bound that makes their worst case small. */
const BOUNDED: Record<string, string> = {
    "^(https?:\\/\\/)?get\\.k3s\\.io(\\/|$)|k3s-io\\/k3s\\/[^ ]*install\\.sh|rancher\\/k3s\\/[^ ]*install\\.sh":
        "installerOf (shell/interp.ts) tests only URLs of at most 300 characters",
    "^(https?:\\/\\/)?get\\.rke2\\.io(\\/|$)|rancher\\/rke2\\/[^ ]*install\\.sh":
        "installerOf (shell/interp.ts) tests only URLs of at most 300 characters",
};

function sourceFiles(): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith(".ts")) out.push(p);
        }
    };
    for (const d of DIRS) walk(path.join(ROOT, d));
    return out;
}

export function findRegexes(): { found: Found[]; dynamic: string[] } {
    const found: Found[] = [];
    const dynamic: string[] = [];
    for (const file of sourceFiles()) {
        const rel = path.relative(ROOT, file);
        const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
        const line = (n: ts.Node) => `${rel}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
        const visit = (node: ts.Node) => {
            if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
                const text = (node as ts.RegularExpressionLiteral).text;
                const end = text.lastIndexOf("/");
                found.push({ where: line(node), source: text.slice(1, end), flags: text.slice(end + 1) });
            } else if (
                (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
                ts.isIdentifier(node.expression) &&
                node.expression.text === "RegExp"
            ) {
                const [pattern, flags] = node.arguments ?? [];
                const f = flags && ts.isStringLiteralLike(flags) ? flags.text : "";
                if (pattern && ts.isStringLiteralLike(pattern))
                    found.push({ where: line(node), source: pattern.text, flags: f });
                else if (pattern && ts.isTemplateExpression(pattern)) {
                    // Substitutions are escaped text or fixed word lists: a plain word stands for them.
                    const source =
                        pattern.head.text + pattern.templateSpans.map((s) => `word${s.literal.text}`).join("");
                    found.push({ where: line(node), source, flags: f });
                    if (rel in DYNAMIC) dynamic.push(rel);
                } else dynamic.push(rel);
            }
            ts.forEachChild(node, visit);
        };
        visit(sf);
    }
    return { found, dynamic };
}

/** Runs the dynamic check on every job in worker threads; a job its worker cannot finish counts as super-linear. */
async function dynamicCheck(jobs: Job[]): Promise<Map<number, string[]>> {
    const results = new Map<number, string[]>();
    let from = 0;
    while (from < jobs.length) {
        from = await new Promise<number>((resolve, reject) => {
            const worker = new Worker(path.join(__dirname, "regex-check.js"), {
                workerData: { kind: "regex-check", jobs, from },
            });
            let next = from;
            let timer: NodeJS.Timeout;
            const arm = () => {
                clearTimeout(timer);
                timer = setTimeout(() => {
                    results.set(next, [`did not finish within ${STUCK_MS} ms on worst-case inputs (exponential?)`]);
                    void worker.terminate().then(() => resolve(next + 1));
                }, STUCK_MS);
            };
            arm();
            worker.on("message", (m: { index: number; bad: string[] }) => {
                results.set(m.index, m.bad);
                next = m.index + 1;
                arm();
            });
            worker.on("error", (e) => {
                clearTimeout(timer);
                reject(e);
            });
            worker.on("exit", () => {
                clearTimeout(timer);
                resolve(Math.max(next, from + 1));
            });
        });
    }
    return results;
}

function rulePatterns(): Found[] {
    return RULES.flatMap((r) =>
        r.kind === "setting" && r.op === "matches" && typeof r.value === "string"
            ? [{ where: `rule ${r.id}`, source: r.value, flags: "" }]
            : [],
    );
}

describe("regular expressions on user text run in linear time", () => {
    const { found, dynamic } = findRegexes();
    const all = [...found, ...rulePatterns(), { where: "KNOWN_KINDS", source: KNOWN_KINDS.source, flags: "" }];

    it("every pattern exempted as bounded still exists (drop stale entries)", () => {
        const sources = new Set(all.map((f) => f.source));
        assert.deepEqual(
            Object.keys(BOUNDED).filter((b) => !sources.has(b)),
            [],
        );
    });

    it("the source scan finds the pack's regexes, and every pattern built at run time is accounted for", () => {
        assert.ok(found.length > 80, `only ${found.length} regexes found: is the scan still reading the sources?`);
        assert.ok(found.some((f) => f.where.startsWith("providers/node/decode/")));
        assert.ok(rulePatterns().length > 0, "no rule uses the matches operator any more: drop rulePatterns");
        const unexplained = [...new Set(dynamic)].filter((f) => !(f in DYNAMIC));
        assert.deepEqual(unexplained, [], "RegExp built from values the test cannot see: test them and list them");
    });

    it("no quantified group holds an unbounded quantifier, unless reviewed as unambiguous", () => {
        const nested = all.flatMap((f) =>
            nestedQuantifiers(f.source).length > 0 && !(f.source in NESTED_OK)
                ? [`${f.where}: /${f.source}/ (${nestedQuantifiers(f.source).join(", ")})`]
                : [],
        );
        assert.deepEqual(nested, []);
    });

    it("the static check recognises nested quantifiers", () => {
        assert.deepEqual(nestedQuantifiers("(a+)+b"), ["(a+)+"]);
        assert.deepEqual(nestedQuantifiers("^(?:[a-z]*,)*$"), ["(?:[a-z]*,)*"]);
        assert.deepEqual(nestedQuantifiers("((ab)*c)+"), ["((ab)*c)+"]);
        assert.deepEqual(nestedQuantifiers("^(\\d{1,5})(?:\\s*-\\s*(\\d{1,5}))?$"), []);
        assert.deepEqual(nestedQuantifiers("[(a+)+]"), []);
    });

    it("the dynamic check catches quadratic and exponential patterns (so that it can fail)", async () => {
        const probes = ["\\s+$", "^(a|aa)+$", "^\\s*\\d+\\s*$"].map((source) => ({
            where: "probe",
            source,
            flags: "",
        }));
        const r = await dynamicCheck(probes);
        assert.notDeepEqual(r.get(0), [], "quadratic /\\s+$/ not caught");
        assert.notDeepEqual(r.get(1), [], "exponential /^(a|aa)+$/ not caught");
        assert.deepEqual(r.get(2), [], "linear /^\\s*\\d+\\s*$/ flagged");
    });

    it("every regex of providers/, pack/, cli/ and policies/ stays linear on worst-case inputs", async () => {
        const checked = all.filter((f) => !(f.source in BOUNDED));
        const r = await dynamicCheck(checked);
        const slow = checked.flatMap((f, i) =>
            (r.get(i) ?? ["not checked"]).map((b) => `${f.where}: /${f.source}/ ${b}`),
        );
        assert.deepEqual(slow, []);
    });

    it("exemption globs match in time linear in the text, whatever their stars", () => {
        const glob = "*-*-*-*-*-*-*-*x";
        const t = (n: number) => {
            const text = "-".repeat(n);
            const t0 = process.hrtime.bigint();
            assert.equal(globMatch(glob, text), false);
            return Number(process.hrtime.bigint() - t0) / 1e6;
        };
        t(1000);
        const small = Math.min(t(2000), t(2000));
        const large = Math.min(t(16_000), t(16_000));
        assert.ok(large < 15 || large / Math.max(small, 0.01) < MAX_RATIO, `${small} ms then ${large} ms`);
        assert.equal(globMatch("urn:*::prod-*", "urn:pulumi:s::prod-db"), true);
        assert.equal(globMatch("a?c*", "abcdef"), true);
        assert.equal(globMatch("a?c", "abcd"), false);
        assert.equal(globMatch("*.*", "a.b"), true);
        assert.equal(globMatch("a.b", "axb"), false);
    });
});
