// The per-resource budget: a resource whose reading outlives its deadline gets one advisory note instead of a
// verdict, a resource that expands into more component instances than the cap is judged on the first ones only
// (with a note), and the cooperative checks decoders call are free outside a budget.
import { afterEach, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { normalize } from "../../providers";
import {
    BudgetExceeded,
    MAX_SUBJECTS_PER_RESOURCE,
    checkBudget,
    overBudget,
    setResourceDeadlineForTests,
    withBudget,
} from "../../providers/budget";
import { judgeProps } from "../helpers";
import { effectiveConfig } from "../../pack/config";
import { inspectionFindings } from "../../pack/judge";

const KUBELET = { userData: "#!/bin/bash\nkubelet --read-only-port=10255 --anonymous-auth=true\n" };
const INSTANCE = "aws:ec2/instance:Instance";

describe("per-resource budget", () => {
    afterEach(() => setResourceDeadlineForTests(undefined));

    it("within the deadline the resource is judged as usual", () => {
        assert.equal(
            judgeProps("kubelet-read-only-port-disabled", INSTANCE, KUBELET).filter((f) => f.level === "policy").length,
            1,
        );
    });

    it("past the deadline the resource gets one advisory note and no verdict", () => {
        setResourceDeadlineForTests(-1); // the deadline has passed before the reader starts: deterministic
        const n = normalize(INSTANCE, KUBELET);
        assert.deepEqual(n.subjects, []);
        assert.equal(n.notes.length, 1);
        assert.match(
            n.notes[0].reason,
            /took longer than the -1 ms each resource may take, so no policy judged this resource/,
        );
        assert.deepEqual(judgeProps("kubelet-read-only-port-disabled", INSTANCE, KUBELET), []);
        const r = { type: INSTANCE, name: "i", urn: "urn:budget:1" };
        const notes = inspectionFindings(r, KUBELET, effectiveConfig({}, {}));
        assert.equal(notes.length, 1);
        assert.equal(notes[0].level, "advisory");
    });

    it("checkBudget throws BudgetExceeded inside a spent budget, and decoders' own catch cannot hide it", () => {
        assert.throws(
            () =>
                withBudget(() => {
                    for (;;) checkBudget();
                }, 5),
            BudgetExceeded,
        );
        // A decoder that swallows errors still leaves the budget spent: overBudget() stays true in the same budget.
        const spent = withBudget(() => {
            try {
                for (;;) checkBudget();
            } catch {
                /* a careless decoder */
            }
            return overBudget();
        }, 5);
        assert.equal(spent, true);
    });

    // The deadline must reach inside the decoders (lexer, interpreter, systemd and env files, MIME, cloud-init,
    // documents, flags), not only apply after a resource is read: a resource whose decoding would take long is
    // stopped early. Without the checks inside, the run under a 2 ms deadline would take as long as the full one.
    const heavy: [string, Record<string, unknown>][] = [
        [
            "a long shell script",
            {
                userData:
                    "#!/bin/bash\n" +
                    Array.from(
                        { length: 3000 },
                        (_, i) =>
                            `export V${i}="--node-labels=a${i},b${i} $HOME/x" ; echo "$V${i}" >> /etc/default/kubelet`,
                    ).join("\n") +
                    "\nkubelet --read-only-port=10255\n",
            },
        ],
        [
            "MIME parts of kubelet command lines",
            {
                userData:
                    'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="//"\n\n' +
                    Array.from(
                        { length: 60 },
                        () =>
                            "--//\nContent-Type: text/x-shellscript\n\n#!/bin/bash\n" +
                            Array.from({ length: 60 }, (_, j) => `kubelet --port=${10000 + j} --read-only-port=0`).join(
                                "\n",
                            ),
                    ).join("\n") +
                    "\n--//--\n",
            },
        ],
    ];
    for (const [what, props] of heavy) {
        it(`a resource whose decoding outlives the deadline is stopped inside the decoders: ${what}`, () => {
            const timed = () => {
                const t0 = process.hrtime.bigint();
                const n = normalize(INSTANCE, props);
                return { n, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
            };
            setResourceDeadlineForTests(60_000);
            const full = [timed(), timed()].sort((a, b) => a.ms - b.ms)[0];
            assert.ok(full.n.subjects.length > 0, "read in full, the resource is judged");
            setResourceDeadlineForTests(2);
            const cut = [timed(), timed()].sort((a, b) => a.ms - b.ms)[0];
            assert.deepEqual(cut.n.subjects, []);
            assert.equal(cut.n.notes.length, 1, "one advisory note, nothing else");
            assert.match(cut.n.notes[0].reason, /took longer than the 2 ms each resource may take/);
            assert.ok(
                cut.ms < full.ms / 3,
                `stopped early: ${cut.ms.toFixed(1)} ms under a 2 ms deadline, ${full.ms.toFixed(1)} ms in full`,
            );
        });
    }

    it("outside a budget the checks never fire (decoders called directly, e.g. in unit tests)", () => {
        for (let i = 0; i < 10_000; i++) checkBudget();
        assert.equal(overBudget(), false);
    });

    it("a resource with more component instances than the cap is judged on the first ones, with a note", () => {
        const containers = Array.from({ length: MAX_SUBJECTS_PER_RESOURCE + 36 }, (_, i) => ({
            name: `c${i}`,
            command: ["kube-apiserver", "--profiling=true"],
        }));
        const n = normalize("kubernetes:core/v1:Pod", { spec: { containers } });
        assert.equal(n.subjects.length, MAX_SUBJECTS_PER_RESOURCE);
        assert.ok(
            n.notes.some(
                (x) =>
                    x.reason ===
                    `they start ${containers.length} component instances; only the first ${MAX_SUBJECTS_PER_RESOURCE} were judged`,
            ),
        );
    });
});
