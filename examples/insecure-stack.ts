// An example Pulumi program: managed clusters, self-managed nodes and access rules, written the insecure way
// and the hardened way. `npm run example` runs it under pulumi.runtime.setMocks and sends what it registers to
// the pack; `npm run example -- --export examples/stack-export.json` writes it as a `pulumi stack export`
// document, the bundled input of `npm run scan`.
import * as eks from "@pulumi/aws/eks";
import * as container from "@pulumi/gcp/container";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as ec2 from "@pulumi/aws/ec2";
import * as k8s from "@pulumi/kubernetes";

/** AL2023 user data: nodeadm NodeConfig in a MIME part that re-opens the kubelet's read-only port. */
const nodeadmUserData = [
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="BOUNDARY"',
    "",
    "--BOUNDARY",
    "Content-Type: application/node.eks.aws",
    "",
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  cluster:",
    "    name: prod",
    "  kubelet:",
    "    config:",
    "      readOnlyPort: 10255",
    "",
    "--BOUNDARY--",
    "",
].join("\n");

/** AL2 managed-node-group user data: adds a kubelet flag the way such templates must (EKS runs bootstrap.sh). */
const managedNodeGroupUserData = [
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="//"',
    "",
    "--//",
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    "#!/bin/bash",
    `sed -i '/^KUBELET_EXTRA_ARGS=/a KUBELET_EXTRA_ARGS+=" --anonymous-auth=true"' /etc/eks/bootstrap.sh`,
    "",
    "--//--",
    "",
].join("\n");

export function program() {
    const workersTemplate = new ec2.LaunchTemplate("mng-workers", {
        name: "mng-workers",
        userData: Buffer.from(managedNodeGroupUserData).toString("base64"),
    });
    return [
        // An EKS managed node group whose launch template turns on anonymous requests to the kubelet; the node
        // group is judged at stack level with the template and the AMI EKS supplies for its amiType.
        workersTemplate,
        new eks.NodeGroup("workers", {
            clusterName: "eks-private",
            nodeRoleArn: "arn:aws:iam::111122223333:role/node",
            subnetIds: ["subnet-0a1b"],
            amiType: "AL2_x86_64",
            scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 4 },
            launchTemplate: { name: workersTemplate.name, version: "$Latest" },
        }),
        // EKS with the defaults: public endpoint open to 0.0.0.0/0, aws-auth ConfigMap, no logs, no KMS.
        new eks.Cluster("eks-defaults", {
            roleArn: "arn:aws:iam::111122223333:role/eks",
            vpcConfig: { subnetIds: ["subnet-0a1b"] },
        }),
        new eks.Cluster("eks-hardened", {
            roleArn: "arn:aws:iam::111122223333:role/eks",
            vpcConfig: {
                subnetIds: ["subnet-0a1b"],
                endpointPublicAccess: true,
                publicAccessCidrs: ["203.0.113.0/24"],
                endpointPrivateAccess: true,
            },
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
            enabledClusterLogTypes: ["api", "audit", "authenticator"],
            encryptionConfig: {
                resources: ["secrets"],
                provider: { keyArn: "arn:aws:kms:eu-west-1:111122223333:key/1234" },
            },
        }),
        // GKE with legacy ABAC and the kubelet read-only port, reachable from anywhere.
        new container.Cluster("gke-legacy", {
            location: "europe-west1",
            initialNodeCount: 1,
            enableLegacyAbac: true,
            masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "0.0.0.0/0", displayName: "everyone" }] },
            nodeConfig: { kubeletConfig: { insecureKubeletReadonlyPortEnabled: "TRUE" } },
        }),
        // Self-managed: a launch template whose user data re-opens the kubelet's read-only port, and an etcd
        // static pod that accepts clients without certificates.
        new ec2.LaunchTemplate("al2023-nodes", { userData: Buffer.from(nodeadmUserData).toString("base64") }),
        new k8s.core.v1.Pod("etcd", {
            metadata: { name: "etcd", namespace: "kube-system" },
            spec: {
                containers: [
                    {
                        name: "etcd",
                        image: "registry.k8s.io/etcd:3.5.15-0",
                        command: [
                            "etcd",
                            "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
                            "--key-file=/etc/kubernetes/pki/etcd/server.key",
                            "--client-cert-auth=false",
                            "--listen-client-urls=https://0.0.0.0:2379",
                        ],
                    },
                ],
            },
        }),
        // Hardened counterparts: a private EKS cluster, a kubeadm control plane with secure flags, a closed kubelet.
        new eks.Cluster("eks-private", {
            roleArn: "arn:aws:iam::111122223333:role/eks",
            vpcConfig: { subnetIds: ["subnet-0a1b"], endpointPublicAccess: false, endpointPrivateAccess: true },
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
            enabledClusterLogTypes: ["api", "audit", "authenticator"],
            encryptionConfig: {
                resources: ["secrets"],
                provider: { keyArn: "arn:aws:kms:eu-west-1:111122223333:key/1234" },
            },
        }),
        new k8s.core.v1.ConfigMap("kubeadm-config", {
            metadata: { name: "kubeadm-config", namespace: "kube-system" },
            data: {
                ClusterConfiguration:
                    'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.31.2\napiServer:\n  extraArgs:\n  - name: anonymous-auth\n    value: "false"\n  - name: profiling\n    value: "false"\n',
            },
        }),
        new k8s.rbac.v1.ClusterRoleBinding("everyone-can-view", {
            metadata: { name: "everyone-can-view" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
            subjects: [{ kind: "Group", name: "system:authenticated", apiGroup: "rbac.authorization.k8s.io" }],
        }),
        new ec2.SecurityGroup("kubeadm-nodes", {
            ingress: [
                { protocol: "tcp", fromPort: 6443, toPort: 6443, cidrBlocks: ["0.0.0.0/0"] },
                { protocol: "tcp", fromPort: 10250, toPort: 10250, cidrBlocks: ["10.0.0.0/16"] },
            ],
        }),
        // AKS without RBAC and with local accounts.
        new containerservice.ManagedCluster("aks-no-rbac", {
            resourceGroupName: "rg-prod",
            dnsPrefix: "aks-no-rbac",
            enableRBAC: false,
            apiServerAccessProfile: { authorizedIPRanges: ["198.51.100.0/24"] },
        }),
    ];
}
