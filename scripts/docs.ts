// `npm run docs`: rewrites the README's policy table from the rule records (metadata lives once, in the rules).
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../policies";
import { COMPONENTS } from "../providers/node/catalogue";
import { describeDefaults } from "../providers/node/resolve/distros/k3s";
import { describeTalosDefaults } from "../providers/node/resolve/distros/talos";

const README = path.resolve(__dirname, "../../README.md");
const START = "<!-- policies:start -->";
const END = "<!-- policies:end -->";

function cis(r: (typeof RULES)[number]): string {
    return (
        r.cis
            .map(
                (c) =>
                    `${c.benchmark
                        .replace(/^cis-/, "")
                        .replace(/-(\d)/, " $1")
                        .replace(/^kubernetes/, "K8s")
                        .toUpperCase()
                        .replace("K8S", "K8s")} ${c.id}`,
            )
            .join(", ") || "–"
    );
}

export function policyTable(): string {
    const rows = RULES.map((r) => `| \`${r.id}\` | ${r.title} | ${r.severity} | ${r.enforcement} | ${cis(r)} |`);
    return [
        "| policy | checks | severity | default | CIS |",
        "|---|---|---|---|---|",
        ...rows,
        "| `pack-wide-settings` | carries pack-wide configuration (exemptions and whether in-code `kube-api-guard/exempt` tags, labels and annotations apply, allowed CIDRs, ports); reports nothing | low | advisory | – |",
        "| `resource-inputs-inspectable` | reports, once per resource, anything the pack could not read and why | medium | advisory | – |",
    ].join("\n");
}

const show = (v: unknown) =>
    v === undefined ? "–" : Array.isArray(v) ? (v.length ? v.join(",") : "(empty)") : String(v);

/** The component catalogue as a table: how each component reads configuration, and each setting's rules. */
export function catalogueTable(): string {
    const rows: string[] = [
        "| component | setting | flag | config-file field | type, repeat | flag default | file default |",
        "|---|---|---|---|---|---|---|",
    ];
    for (const c of COMPONENTS) {
        const how = [
            c.configFlag && `--${c.configFlag}${c.configExclusive ? " (exclusive)" : ""}`,
            c.configDirFlag && `--${c.configDirFlag}`,
            c.envPrefix && `${c.envPrefix}*`,
        ]
            .filter((x) => x)
            .join(", ");
        rows.push(`| **${c.component}** (${c.binaries.join(", ")}) | reads: ${how || "flags only"} | | | | | |`);
        for (const st of c.settings) {
            const repeat = st.type === "map" ? "merge" : st.repeat === "append" ? "append" : "last wins";
            rows.push(
                `| | \`${st.key}\` | ${st.flag ? `\`--${st.flag}\`` : st.derivedFrom ? `read from ${st.derivedFrom}` : "–"} | ${st.config ? `\`${st.config}\`` : "–"} | ${st.type}, ${repeat} | ${show(st.flagDefault)} | ${show(st.fileDefault)} |`,
            );
        }
    }
    return rows.join("\n");
}

/** The defaults each distribution gives its components (generated from the distribution modules). */
export function distributionTable(): string {
    const rows: string[] = [
        "| distribution | component | flag or config field | default | source |",
        "|---|---|---|---|---|",
    ];
    const cut = (v: string) => (v.length > 48 ? `${v.slice(0, 45)}…` : v);
    const add = (name: string, list: [string, string, string, string][]) => {
        for (const [component, setting, value, source] of list)
            rows.push(`| ${name} | ${component} | \`${setting}\` | \`${cut(value)}\` | ${source} |`);
    };
    add("k3s", describeDefaults("k3s"));
    add("RKE2", describeDefaults("rke2"));
    add("Talos", describeTalosDefaults());
    return rows.join("\n");
}

function replaceBlock(text: string, start: string, end: string, body: string): string {
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a < 0 || b < a) throw new Error(`README has no ${start} … ${end} block`);
    return `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
}

if (require.main === module) {
    let text = fs.readFileSync(README, "utf8");
    text = replaceBlock(text, START, END, policyTable());
    text = replaceBlock(text, "<!-- catalogue:start -->", "<!-- catalogue:end -->", catalogueTable());
    text = replaceBlock(text, "<!-- distributions:start -->", "<!-- distributions:end -->", distributionTable());
    fs.writeFileSync(README, text);
    process.stdout.write(`README policy table: ${RULES.length} rules; catalogue: ${COMPONENTS.length} components\n`);
}
