// cloud-init `#cloud-config`: the modules that change the node, in the order cloud-init runs them
// (cloudinit.readthedocs.io, "Boot stages" and config/cloud.cfg.tmpl): `bootcmd` and `write_files` in the
// init stage; in the final stage `write_files` entries with `defer: true` (module write_files_deferred), then
// user scripts (MIME text/x-shellscript parts, saved as part-NNN) and `runcmd` (scripts-user runs the
// instance's scripts directory in name order: part-001 before runcmd). `write_files` honours `encoding`
// (b64, base64, gz, gzip, gz+b64, gzip+base64) and `append: true`.
import { LIMITS } from "../limits";
import { UNKNOWN_MARK } from "../model";
import type { Decoder } from "./index";
import { compactBase64, fileText } from "./index";
import { parseDocuments } from "./documents";
import { checkBudget } from "../../budget";
import { shownName } from "../../shown";

export interface LateWork {
    deferred: (() => void)[];
    runcmd: (() => void)[];
}

function quote(w: string): string {
    let safe = w.length > 0;
    for (let i = 0; i < w.length && safe; i++) safe = /[A-Za-z0-9_./:=,@%+-]/.test(w[i]);
    return safe ? w : `'${w.split("'").join("'\\''")}'`;
}

/** A runcmd/bootcmd item: a string is run by sh, a list is an argv (only strings are words; anything else is unknown). */
function commandLine(item: unknown): string | undefined {
    if (typeof item === "string") return item;
    if (Array.isArray(item))
        return item
            .map((w) =>
                typeof w === "string" || typeof w === "number" || typeof w === "boolean"
                    ? quote(String(w))
                    : UNKNOWN_MARK,
            )
            .join(" ");
    return undefined;
}

export function decodeCloudConfig(d: Decoder, text: string, location: string, depth: number, late: LateWork): void {
    const parsed = parseDocuments(text);
    if (parsed.error) d.model.note(location, `cloud-config: ${parsed.error}; not inspected`);
    const cfg = parsed.docs[0]?.value;
    if (!cfg || typeof cfg !== "object" || Array.isArray(cfg)) return;
    const c = cfg as Record<string, unknown>;
    const script = (key: string): string => {
        const list = Array.isArray(c[key]) ? (c[key] as unknown[]) : [];
        if (list.length > LIMITS.maxCommands)
            d.model.note(
                `${location}, cloud-init ${key}`,
                `more than ${LIMITS.maxCommands} commands; the rest were not inspected`,
            );
        return list
            .slice(0, LIMITS.maxCommands)
            .map(commandLine)
            .filter((x): x is string => x !== undefined)
            .join("\n");
    };
    const boot = script("bootcmd");
    if (boot.trim()) d.shell(boot, `${location}, cloud-init bootcmd`, depth + 1);
    const files = Array.isArray(c.write_files) ? c.write_files : [];
    if (files.length > LIMITS.maxParts)
        d.model.note(location, `more than ${LIMITS.maxParts} write_files entries; the rest were not inspected`);
    for (const f of files.slice(0, LIMITS.maxParts)) {
        checkBudget();
        if (!f || typeof f !== "object" || Array.isArray(f)) continue;
        const entry = f as Record<string, unknown>;
        if (typeof entry.path !== "string") continue;
        const path = entry.path;
        const at = `${location}, cloud-init write_files ${shownName(path)}${entry.defer === true ? " (defer)" : ""}`;
        const write = () => {
            const { text, gzip } = writeFileContent(d, entry, at);
            d.model.write(path, text, gzip ? `${at}, gzip` : at, entry.append === true);
        };
        if (entry.defer === true) late.deferred.push(write);
        else write();
    }
    const run = script("runcmd");
    if (run.trim()) late.runcmd.push(() => d.shell(run, `${location}, cloud-init runcmd`, depth + 1));
}

/** write_files content after its `encoding`. */
function writeFileContent(d: Decoder, entry: Record<string, unknown>, at: string): { text: string; gzip: boolean } {
    const enc = typeof entry.encoding === "string" ? entry.encoding.toLowerCase() : "text/plain";
    const raw = entry.content;
    let buf: Buffer;
    if (raw instanceof Uint8Array) buf = Buffer.from(raw);
    else if (typeof raw === "string") buf = Buffer.from(raw, "utf8");
    else if (raw === undefined || raw === null) return { text: "", gzip: false };
    else {
        d.model.note(at, "content is not text; not inspected");
        return { text: UNKNOWN_MARK, gzip: false };
    }
    if (enc === "b64" || enc === "base64" || enc.endsWith("+b64") || enc.endsWith("+base64"))
        buf = Buffer.from(compactBase64(buf.toString("utf8")), "base64");
    // gzip (gz, gzip, gz+b64, ...) is recognised by its magic bytes.
    return { text: fileText(buf, d.model, at), gzip: buf.length > 2 && buf[0] === 0x1f && buf[1] === 0x8b };
}
