// The Pulumi program `npm run test:cli` previews and deploys with the real CLI: the bundled example
// (examples/insecure-stack.ts) plus resources whose inputs the real engine hands the pack differently from
// pulumi.runtime.setMocks: values a provider computes (unknown during preview, resolved by `pulumi up`), a secret,
// and resources joined only through those values (property dependencies).
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { program } from "../../examples/insecure-stack";

/** Appears only inside a secret input: no output of the CLI, the pack or `scan` may ever show it. */
export const SECRET_CANARY = "canary-9f1c2e7a-kube-api-guard";

export function computedResources(withSecret = true) {
    // A hardened private cluster: no finding of its own. The provider computes its endpoint and security group.
    const api = new aws.eks.Cluster("eks-api", {
        roleArn: "arn:aws:iam::111122223333:role/eks",
        vpcConfig: { subnetIds: ["subnet-0a1b"], endpointPublicAccess: false, endpointPrivateAccess: true },
        accessConfig: { authenticationMode: "API" },
        enabledClusterLogTypes: ["api", "audit", "authenticator"],
        encryptionConfig: {
            resources: ["secrets"],
            provider: { keyArn: "arn:aws:kms:eu-west-1:111122223333:key/1234" },
        },
    });
    // User data built from the endpoint: unknown during preview, and it re-opens the kubelet's read-only port.
    const nodes = new aws.ec2.LaunchTemplate("eks-api-nodes", {
        userData: api.endpoint.apply((endpoint) =>
            Buffer.from(
                [
                    "#!/bin/bash",
                    `/etc/eks/bootstrap.sh eks-api --apiserver-endpoint ${endpoint} --kubelet-extra-args '--read-only-port=10255'`,
                    "",
                ].join("\n"),
            ).toString("base64"),
        ),
    });
    // HTTPS from anywhere on the security group EKS creates for the cluster (known only after the cluster exists).
    const https = new aws.ec2.SecurityGroupRule("eks-api-https-from-anywhere", {
        type: "ingress",
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrBlocks: ["0.0.0.0/0"],
        securityGroupId: api.vpcConfig.clusterSecurityGroupId,
    });
    // A kubelet configuration kept as a secret: judged like any other, never shown.
    const kubelet =
        withSecret &&
        new k8s.core.v1.ConfigMap("kubelet-config", {
            metadata: { name: "kubelet-config", namespace: "kube-system" },
            data: {
                kubelet: pulumi.secret(
                    [
                        "apiVersion: kubelet.config.k8s.io/v1beta1",
                        "kind: KubeletConfiguration",
                        `# bootstrap token ${SECRET_CANARY}`,
                        "authentication:",
                        "  anonymous:",
                        "    enabled: true",
                        "",
                    ].join("\n"),
                ),
            },
        });
    return { api, nodes, https, kubelet };
}

/** The whole stack; its outputs let the suite check what `pulumi up` resolved. Config `withSecret: false` drops the secret. */
export function stack() {
    program();
    const { api, nodes, https } = computedResources(new pulumi.Config().getBoolean("withSecret") !== false);
    return {
        endpoint: api.endpoint,
        clusterSecurityGroupId: api.vpcConfig.clusterSecurityGroupId,
        userData: nodes.userData,
        ruleGroup: https.securityGroupId,
    };
}
