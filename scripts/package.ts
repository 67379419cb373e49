// `npm run package`: writes the publishable pack to dist/ (or the folder given as the first argument).
// The Pulumi CLI downloads a published pack, runs a plain `npm install` in it (devDependencies included)
// and starts `main`, so dist/ holds compiled JavaScript only and a package.json whose dependencies are
// what the pack needs at run time: no cloud SDKs, no TypeScript, no test tools, no build step.
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
/** Compiled folders that make up the pack at run time (tests and scripts stay out). */
const RUNTIME_DIRS = ["policies", "providers", "pack", "engine", "client", "cli"];

function copyJs(from: string, to: string): void {
    fs.mkdirSync(to, { recursive: true });
    for (const e of fs.readdirSync(from, { withFileTypes: true })) {
        const src = path.join(from, e.name);
        if (e.isDirectory()) copyJs(src, path.join(to, e.name));
        else if (e.name.endsWith(".js")) fs.copyFileSync(src, path.join(to, e.name));
    }
}

export function buildDist(outDir: string): string {
    const out = path.resolve(outDir);
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(path.join(out, "bin"), { recursive: true });
    const bin = path.join(ROOT, "bin");
    if (!fs.existsSync(path.join(bin, "index.js")))
        throw new Error("bin/index.js is missing: run `npm run build` first");
    fs.copyFileSync(path.join(bin, "index.js"), path.join(out, "bin", "index.js"));
    for (const d of RUNTIME_DIRS) copyJs(path.join(bin, d), path.join(out, "bin", d));
    for (const f of ["PulumiPolicy.yaml", "README.md", "LICENSE"]) {
        if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(out, f));
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    // `dependencies` are the run-time ones by definition; devDependencies (SDKs, TypeScript, tests) stay behind.
    const dependencies: Record<string, string> = { ...pkg.dependencies };
    const published = {
        name: pkg.name,
        version: pkg.version,
        description: pkg.description,
        license: pkg.license,
        main: "bin/index.js",
        bin: pkg.bin,
        engines: pkg.engines,
        dependencies,
    };
    fs.writeFileSync(path.join(out, "package.json"), JSON.stringify(published, null, 2) + "\n");
    return out;
}

if (require.main === module) {
    const out = buildDist(process.argv[2] ?? path.join(ROOT, "dist"));
    process.stdout.write(
        `wrote ${path.relative(process.cwd(), out) || "."}: publish with \`pulumi policy publish ${path.relative(process.cwd(), out)}\`\n`,
    );
}
