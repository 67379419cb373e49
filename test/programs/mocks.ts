// Shared set-up for program tests: real SDK classes under pulumi.runtime.setMocks, recording the inputs each
// resource registers (exactly what the engine hands the pack), and the verdict table every file checks.
import { it } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { loadAll } from "js-yaml";
import { verdict } from "../helpers";

export interface Registered {
    type: string;
    name: string;
    urn: string;
    inputs: Record<string, unknown>;
}

/**
 * Installs the mocks (once per test file: each file runs in its own process) and returns the registry.
 * `helmTemplate` stands in for `helm template`: the objects a helm.v3.Chart renders for its options.
 */
export function recordRegistrations(helmTemplate?: (opts: Record<string, unknown>) => unknown[]): Registered[] {
    const registered: Registered[] = [];
    pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                registered.push({
                    type: a.type,
                    name: a.name,
                    inputs: a.inputs,
                    urn: `urn:pulumi:dev::demo::${a.type}::${a.name}`,
                });
                return { id: `${a.name}-id`, state: a.inputs };
            },
            // yaml.ConfigFile / ConfigGroup decode their YAML through this invoke; helm.v3.Chart renders through the next.
            call: (a) => {
                if (a.token === "kubernetes:yaml:decode") return { result: loadAll(String(a.inputs.text)) };
                if (a.token === "kubernetes:helm:template" && helmTemplate)
                    return { result: helmTemplate(JSON.parse(String(a.inputs.jsonOpts))) };
                return a.inputs;
            },
        },
        "demo",
        "dev",
        false,
    );
    return registered;
}

export function inputsOf(registered: Registered[], name: string): Registered {
    const r = registered.find((x) => x.name === name || x.name.endsWith(name));
    assert.ok(r, `resource ${name} was not registered (have ${registered.map((x) => x.name).join(", ")})`);
    return r;
}

/** Waits until every resource has registered. */
export async function settle(resources: pulumi.Resource[]): Promise<void> {
    await Promise.all(resources.map((r) => new Promise((res) => r.urn.apply(res))));
}

/** One test per row: the named resource's inputs give the expected verdict for the policy. */
export function verdictTable(
    registered: Registered[],
    rows: [name: string, policy: string, want: "violation" | "pass"][],
): void {
    for (const [name, policy, want] of rows) {
        it(`${name}: ${policy} ${want === "pass" ? "passes" : "fails"}`, () => {
            const r = inputsOf(registered, name);
            assert.equal(verdict(policy, r.type, r.inputs), want);
        });
    }
}
