// Stack links at scale: joins by index (network, security group, name, dependency), one finding per resource for
// what many nodes share, and the same verdicts whatever the shape of the stack (hubs, chains, many small groups).
import { describe, it } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { RULES } from "../../policies";
import { effectiveConfig } from "../../pack/config";
import { StackFinding, judgeStack } from "../../pack/judge";
import type { StackResource } from "../../providers/stack";

const CFG = effectiveConfig({}, {});
const PORTS = RULES.find((r) => r.id === "control-plane-ports-not-open-to-internet")!;
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INSTANCE = "aws:ec2/instance:Instance";

function res(type: string, name: string, props: unknown, deps: Record<string, string[]> = {}): StackResource {
    return {
        type,
        name,
        urn: `urn:pulumi:dev::demo::${type}::${name}`,
        props,
        dependencies: [...new Set(Object.values(deps).flat())],
        propertyDependencies: deps,
    };
}

const movedKubelet = (port: number) => ({ userData: `#!/bin/bash\nkubelet --port=${port} --anonymous-auth=false\n` });
const openGroup = (port: number) => ({
    ingress: [{ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ["0.0.0.0/0"] }],
});

function portFindings(stack: StackResource[]): StackFinding[] {
    return judgeStack(PORTS, stack, CFG);
}

describe("stack links at scale", () => {
    it("one security group shared by 1,000 instances with a moved kubelet port gets one finding naming how many", () => {
        const hub = res(SG, "shared", openGroup(10260));
        const nodes = Array.from({ length: 1000 }, (_, i) =>
            res(INSTANCE, `node-${i}`, movedKubelet(10260), { vpcSecurityGroupIds: [hub.urn] }),
        );
        const f = portFindings([hub, ...nodes]);
        assert.equal(f.length, 1);
        assert.equal(f[0].urn, hub.urn);
        assert.match(
            f[0].message,
            /security group "shared" attached to 1000 nodes \("node-0", "node-1", "node-2" and 997 more\), whose kubelet serves on 10260/,
        );
    });

    it("one node keeps the message naming it, and nodes with different moved ports are named with each port", () => {
        const hub = res(SG, "shared", {
            ingress: [{ protocol: "tcp", fromPort: 10000, toPort: 13000, cidrBlocks: ["0.0.0.0/0"] }],
        });
        const one = portFindings([hub, res(INSTANCE, "solo", movedKubelet(10260), { vpcSecurityGroupIds: [hub.urn] })]);
        assert.match(one[0].message, /\(security group "shared" attached to "solo", whose kubelet serves on 10260\)/);
        const two = portFindings([
            hub,
            res(INSTANCE, "a", movedKubelet(10260), { vpcSecurityGroupIds: [hub.urn] }),
            res(INSTANCE, "b", movedKubelet(12345), { vpcSecurityGroupIds: [hub.urn] }),
        ]);
        assert.equal(two.length, 1);
        assert.match(
            two[0].message,
            /: 10260, 12345 open to 0\.0\.0\.0\/0 \(security group "shared" attached to 2 nodes \("a", "b"\), whose kubelet serves on 10260, whose kubelet serves on 12345\)/,
        );
    });

    it("a separate rule of a shared group is judged once, and a group with no moved-port node gets nothing extra", () => {
        const hub = res(SG, "shared", { ingress: [] });
        const rule = res(
            "aws:ec2/securityGroupRule:SecurityGroupRule",
            "r",
            { type: "ingress", protocol: "tcp", fromPort: 10260, toPort: 10260, cidrBlocks: ["0.0.0.0/0"] },
            { securityGroupId: [hub.urn] },
        );
        const quiet = res(SG, "quiet", openGroup(10260));
        const nodes = Array.from({ length: 300 }, (_, i) =>
            res(INSTANCE, `n${i}`, movedKubelet(10260), { vpcSecurityGroupIds: [hub.urn] }),
        );
        const f = portFindings([hub, rule, quiet, ...nodes]);
        assert.deepEqual(
            f.map((x) => x.urn),
            [rule.urn],
        );
        assert.match(f[0].message, /attached to 300 nodes/);
    });

    it("GCP firewalls join by network name and tags; Azure NSGs through NIC and subnet chains", () => {
        const fw = res("gcp:compute/firewall:Firewall", "fw", {
            network: "projects/p/global/networks/vpc",
            direction: "INGRESS",
            sourceRanges: ["0.0.0.0/0"],
            allows: [{ protocol: "tcp", ports: ["10260"] }],
            targetTags: ["k8s"],
        });
        const other = res("gcp:compute/firewall:Firewall", "fw-other-net", {
            network: "other",
            sourceRanges: ["0.0.0.0/0"],
            allows: [{ protocol: "tcp", ports: ["10260"] }],
        });
        const gce = (name: string, tags: string[]) =>
            res("gcp:compute/instance:Instance", name, {
                tags,
                networkInterfaces: [{ network: "vpc" }],
                metadata: { "user-data": movedKubelet(10260).userData },
            });
        const nsg = res("azure-native:network:NetworkSecurityGroup", "nsg", {
            securityRules: [
                {
                    name: "k",
                    direction: "Inbound",
                    access: "Allow",
                    protocol: "Tcp",
                    sourceAddressPrefix: "*",
                    destinationPortRange: "10260",
                    priority: 100,
                },
            ],
        });
        const subnet = res("azure-native:network:Subnet", "subnet", {}, { networkSecurityGroup: [nsg.urn] });
        const nic = res("azure-native:network:NetworkInterface", "nic", {}, { ipConfigurations: [subnet.urn] });
        const vm = res(
            "azure-native:compute:VirtualMachine",
            "vm",
            { osProfile: { customData: Buffer.from(movedKubelet(10260).userData).toString("base64") } },
            { networkProfile: [nic.urn] },
        );
        const f = portFindings([
            fw,
            other,
            gce("tagged-1", ["k8s"]),
            gce("tagged-2", ["k8s", "x"]),
            gce("untagged", []),
            nsg,
            subnet,
            nic,
            vm,
        ]);
        assert.deepEqual(f.map((x) => x.urn).sort(), [fw.urn, nsg.urn].sort());
        assert.match(
            f.find((x) => x.urn === fw.urn)!.message,
            /firewall "fw" applying to 2 nodes \("tagged-1", "tagged-2"\)/,
        );
        assert.match(f.find((x) => x.urn === nsg.urn)!.message, /network security group "nsg" attached to "vm"/);
    });

    it("property: whatever the shape (hubs, many groups, shared and private), each guarding rule gets one finding naming exactly its nodes", () => {
        // Worst cases for the joins: every node on one group, every node on its own group, and anything between.
        const shape = fc.record({
            groups: fc.integer({ min: 1, max: 30 }),
            nodes: fc.array(
                fc.record({
                    groups: fc.uniqueArray(fc.nat(29), { minLength: 1, maxLength: 3 }),
                    moved: fc.boolean(),
                    port: fc.constantFrom(10260, 12345),
                }),
                { maxLength: 200 },
            ),
            filler: fc.nat(200),
        });
        fc.assert(
            fc.property(shape, ({ groups, nodes, filler }) => {
                const sgs = Array.from({ length: groups }, (_, g) =>
                    res(SG, `sg${g}`, {
                        ingress: [{ protocol: "tcp", fromPort: 10000, toPort: 13000, cidrBlocks: ["0.0.0.0/0"] }],
                    }),
                );
                const expected = new Map<string, number>();
                const instances = nodes.map((n, i) => {
                    const attached = [...new Set(n.groups.map((g) => g % groups))].map((g) => sgs[g].urn);
                    if (n.moved) for (const u of attached) expected.set(u, (expected.get(u) ?? 0) + 1);
                    return res(
                        INSTANCE,
                        `n${i}`,
                        n.moved ? movedKubelet(n.port) : { userData: "#!/bin/bash\nkubelet --anonymous-auth=false\n" },
                        { vpcSecurityGroupIds: attached },
                    );
                });
                const fill = Array.from({ length: filler }, (_, i) =>
                    res("aws:s3/bucket:Bucket", `b${i}`, { bucket: `b${i}` }),
                );
                const f = portFindings([...fill, ...sgs, ...instances]);
                assert.deepEqual(new Set(f.map((x) => x.urn)), new Set(expected.keys()));
                assert.equal(f.length, expected.size, "one finding per group");
                for (const x of f) {
                    const count = expected.get(x.urn)!;
                    assert.match(
                        x.message,
                        count === 1 ? /attached to "n\d+", whose/ : new RegExp(`attached to ${count} nodes \\(`),
                    );
                }
            }),
            { numRuns: 60 },
        );
    });
});
