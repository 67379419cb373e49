// Inputs marked secret, sent the way the engine sends them (wrapped with the secret signature), through the real
// launcher: Analyze and AnalyzeStack keep every verdict and never print the secret.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import { AnalyzerClient } from "../../client/analyzer";
import { SECRET_SIG, SIG_KEY } from "../../providers/secrets";

const PACK = path.resolve(__dirname, "../../..");
const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

describe("engine: inputs marked secret", () => {
    let client: AnalyzerClient;
    before(async () => {
        client = await AnalyzerClient.start(PACK);
        await client.configure({});
    });
    after(async () => {
        await client?.stop();
    });

    it("Analyze: secret user data keeps its mandatory verdicts and its token-shaped values are not printed", async () => {
        const ds = await client.analyze({
            type: "aws:ec2/instance:Instance",
            name: "i",
            props: {
                userData: secret(
                    "#!/bin/bash\nkubelet --anonymous-auth=true --hostname-override=AKIAIOSFODNN7EXAMPLE\n",
                ),
            },
        });
        assert.ok(
            ds.some((d) => d.policyName === "kubelet-anonymous-auth-disabled" && d.enforcementLevel === "mandatory"),
        );
        assert.ok(
            ds.some((d) => d.policyName === "kubelet-hostname-override-not-set" && /= \(secret\)/.test(d.message)),
        );
        for (const d of ds) assert.ok(!d.message.includes("AKIAIOSFODNN7EXAMPLE"), d.message);
    });

    it("Analyze: the same inputs without the secret mark show the value (the mark, not the shape, withholds it)", async () => {
        const ds = await client.analyze({
            type: "aws:ec2/instance:Instance",
            name: "j",
            props: {
                userData: "#!/bin/bash\nkubelet --anonymous-auth=true --hostname-override=AKIAIOSFODNN7EXAMPLE\n",
            },
        });
        assert.ok(ds.some((d) => d.message.includes("--hostname-override = AKIAIOSFODNN7EXAMPLE")));
    });

    it("AnalyzeStack: a secret source CIDR of a security group joined to an EKS cluster is withheld", async () => {
        const sgUrn = "urn:pulumi:dev::demo::aws:ec2/securityGroup:SecurityGroup::sg";
        const ds = await client.analyzeStack([
            {
                type: "aws:ec2/securityGroup:SecurityGroup",
                name: "sg",
                urn: sgUrn,
                props: {
                    ingress: [
                        {
                            protocol: "tcp",
                            fromPort: 443,
                            toPort: 443,
                            cidrBlocks: secret(["0.0.0.0/0", "198.51.100.9/32"]),
                        },
                    ],
                },
            },
            {
                type: "aws:eks/cluster:Cluster",
                name: "c",
                dependencies: [sgUrn],
                propertyDependencies: { vpcConfig: [sgUrn] },
                props: {
                    roleArn: "arn:aws:iam::1:role/r",
                    vpcConfig: { securityGroupIds: ["sg-1"], endpointPublicAccess: false },
                },
            },
        ]);
        const d = ds.find((x) => x.policyName === "control-plane-ports-not-open-to-internet" && x.urn === sgUrn);
        assert.ok(d, JSON.stringify(ds.map((x) => x.policyName)));
        const finding = d.message.split(". Why it matters: ")[0];
        assert.ok(!finding.includes("0.0.0.0/0") && !finding.includes("198.51.100.9"), d.message);
    });
});
