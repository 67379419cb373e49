// `npm run docs`: rewrites the README's policy table from the rule records (metadata lives once, in the rules).
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../policies";

const README = path.resolve(__dirname, "../../README.md");
const START = "<!-- policies:start -->";
const END = "<!-- policies:end -->";

function cis(r: (typeof RULES)[number]): string {
    return r.cis.map((c) => `${c.benchmark.replace(/^cis-/, "").replace(/-(\d)/, " $1").replace(/^kubernetes/, "K8s").toUpperCase().replace("K8S", "K8s")} ${c.id}`).join(", ") || "–";
}

export function policyTable(): string {
    const rows = RULES.map((r) => `| \`${r.id}\` | ${r.title} | ${r.severity} | ${r.enforcement} | ${cis(r)} |`);
    return [
        "| policy | checks | severity | default | CIS |",
        "|---|---|---|---|---|",
        ...rows,
        "| `pack-wide-settings` | carries pack-wide configuration (exemptions, allowed CIDRs); reports nothing | low | advisory | – |",
        "| `resource-inputs-inspectable` | reports, once per resource, anything the pack could not read and why | medium | advisory | – |",
    ].join("\n");
}

if (require.main === module) {
    const text = fs.readFileSync(README, "utf8");
    const a = text.indexOf(START);
    const b = text.indexOf(END);
    if (a < 0 || b < a) throw new Error(`README has no ${START} … ${END} block`);
    fs.writeFileSync(README, `${text.slice(0, a + START.length)}\n${policyTable()}\n${text.slice(b)}`);
    process.stdout.write(`README policy table: ${RULES.length} rules\n`);
}
