// AWS: EKS control planes. (User data of instances and launch templates: see providers/nodes.)
import { Normalized, defaulted, explicit, settingsOf } from "./model";
import { ALL_PORTS, RuleInput, normalizeProtocol, ruleSubjects, sourceList } from "./network";
import { UNKNOWN, boolSetting, isRecord, isUnknownValue, read, stringListSetting, stringSetting } from "./props";
import { KnownImage, minorFromVersion, readCarrier } from "./node";

export const EKS_CLUSTER = "aws:eks/cluster:Cluster";
/** The CloudFormation-shaped EKS cluster of the aws-native provider. */
export const EKS_NATIVE_CLUSTER = "aws-native:eks:Cluster";

/** EKS control-plane log types that record API requests, audit events and authentication decisions. */
export const EKS_AUDIT_LOG_TYPES = ["api", "audit", "authenticator"];

/** Where each provider keeps the same EKS API fields. */
interface EksShape {
    vpc: string;
    logs: string;
    logPick?: string;
}
const EKS_CLASSIC: EksShape = { vpc: "vpcConfig", logs: "enabledClusterLogTypes" };
const EKS_NATIVE: EksShape = {
    vpc: "resourcesVpcConfig",
    logs: "logging.clusterLogging.enabledTypes",
    logPick: "type",
};

export function eksCluster(props: Record<string, unknown>, type = EKS_CLUSTER): Normalized {
    const shape = type === EKS_NATIVE_CLUSTER ? EKS_NATIVE : EKS_CLASSIC;
    const settings = settingsOf();
    // endpointPublicAccess defaults to true, publicAccessCidrs to 0.0.0.0/0 (EKS API VpcConfigRequest; the same for
    // CloudFormation's ResourcesVpcConfig).
    settings["cluster.publicEndpoint"] = boolSetting(props, `${shape.vpc}.endpointPublicAccess`, true);
    const cidrs = stringListSetting(props, `${shape.vpc}.publicAccessCidrs`, ["0.0.0.0/0"]);
    if (cidrs.state === "explicit" && Array.isArray(cidrs.value) && cidrs.value.length === 0) {
        // An empty list is the same as leaving it out: EKS applies 0.0.0.0/0.
        settings["cluster.authorizedNetworks"] = defaulted(
            ["0.0.0.0/0"],
            `${shape.vpc}.publicAccessCidrs (empty list)`,
        );
    } else {
        settings["cluster.authorizedNetworks"] = cidrs;
    }

    // Control-plane logs are off unless listed (EKS user guide, "Send control plane logs to CloudWatch Logs").
    settings["cluster.controlPlaneLogs"] = stringListSetting(props, shape.logs, [], shape.logs, shape.logPick);

    // accessConfig.authenticationMode: CONFIG_MAP when not set (EKS API default for clusters created without accessConfig).
    settings["cluster.authenticationMode"] = stringSetting(props, "accessConfig.authenticationMode", "CONFIG_MAP");

    settings["cluster.secretsEncryption"] = eksSecretsEncryption(props);
    // bootstrapClusterCreatorAdminPermissions defaults to true: the IAM identity that creates the cluster (often the
    // CI role running the deployment) gets a cluster-admin access entry (EKS API CreateAccessConfigRequest).
    settings["cluster.creatorAdmin"] = boolSetting(props, "accessConfig.bootstrapClusterCreatorAdminPermissions", true);
    const version = read(props, "version");
    const minor = version.kind === "value" ? minorFromVersion(version.value) : undefined;
    return {
        subjects: [
            {
                component: "cluster",
                platform: "eks",
                location: "",
                settings,
                ...(minor !== undefined ? { kubernetesMinor: minor } : {}),
            },
        ],
        notes: [],
    };
}

function eksSecretsEncryption(props: Record<string, unknown>) {
    const where = "encryptionConfig";
    const cfg = read(props, "encryptionConfig");
    if (cfg.kind === "unknown") return { state: "unknown" as const, where };
    if (cfg.kind === "absent") return defaulted(false, where);
    // Older SDKs took a list of encryption configs; accept both.
    const entries = Array.isArray(cfg.value) ? cfg.value : [cfg.value];
    let sawUnknown = false;
    for (const e of entries) {
        const key = read(e, "provider.keyArn");
        const resources = stringListSetting(e, "resources", ["secrets"]);
        if (resources.state === "unknown") {
            sawUnknown = true;
            continue;
        }
        const coversSecrets =
            Array.isArray(resources.value) && (resources.value as unknown[]).some((r) => r === "secrets");
        // A key created in the same program is unknown at preview: it will be a key, so it counts.
        const hasKey =
            key.kind === "unknown" || (key.kind === "value" && typeof key.value === "string" && key.value !== "");
        if (hasKey && coversSecrets) {
            return explicit(true, `${where}.provider.keyArn`);
        }
    }
    return sawUnknown ? { state: "unknown" as const, where } : explicit(false, where);
}

// EC2 user data: node bootstrap scripts, cloud-init, MIME, nodeadm and Bottlerocket settings.
export const EC2_INSTANCE = "aws:ec2/instance:Instance";
export const EC2_LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const EC2_LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration";
export const EC2_SPOT_INSTANCE_REQUEST = "aws:ec2/spotInstanceRequest:SpotInstanceRequest";

export function ec2Instance(props: Record<string, unknown>): Normalized {
    return readCarrier(props, [
        { path: "userData", encoding: "plain", label: "user data (userData)" },
        { path: "userDataBase64", encoding: "base64", label: "user data (userDataBase64)" },
    ]);
}

/** `image`: what a resource using the template (an EKS node group) says about the AMI it boots. */
export function ec2LaunchTemplate(props: Record<string, unknown>, image?: KnownImage): Normalized {
    return readCarrier(props, [{ path: "userData", encoding: "base64", label: "user data (userData)" }], image);
}

// EKS managed node groups: their nodes run a launch template's user data on an image EKS chooses by amiType.
export const EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

/**
 * The kubelet config file of the AMI an EKS managed node group boots, when EKS supplies the AMI: the launch
 * template names no imageId and amiType is not CUSTOM. EKS then adds its own bootstrap (bootstrap.sh on AL2,
 * nodeadm's NodeConfig on AL2023, Bottlerocket's settings), and the user's user data is merged into it.
 * Undefined when the image is the user's own, Windows, or not known before the update.
 */
export function eksManagedImage(
    nodeGroup: Record<string, unknown>,
    template: Record<string, unknown>,
    nodeGroupLabel: string,
): KnownImage | undefined {
    const imageId = read(template, "imageId");
    if (imageId.kind === "unknown" || (imageId.kind === "value" && imageId.value !== "")) return undefined;
    const amiType = read(nodeGroup, "amiType");
    if (amiType.kind === "unknown") return undefined;
    if (amiType.kind === "value" && typeof amiType.value === "string") {
        const t = amiType.value;
        const where = `amiType ${t} of EKS node group ${nodeGroupLabel}`;
        if (t.startsWith("AL2023_")) return { kubeletBase: "nodeadm", where };
        if (t.startsWith("AL2_")) return { kubeletBase: "eks-ami", where };
        if (t.startsWith("BOTTLEROCKET_")) return { kubeletBase: "bottlerocket", where };
        return undefined;
    }
    if (amiType.kind !== "absent") return undefined;
    // Not set: EKS picks AL2023 from Kubernetes 1.30 and AL2 before; both run the kubelet with a secure file.
    const version = read(nodeGroup, "version");
    const minor = version.kind === "value" ? minorFromVersion(version.value) : undefined;
    const where = `EKS node group ${nodeGroupLabel} (amiType not set: EKS picks ${minor !== undefined && minor < 30 ? "AL2" : "AL2023"} for its Kubernetes version)`;
    return { kubeletBase: minor !== undefined && minor < 30 ? "eks-ami" : "nodeadm", where };
}

// Security groups: inline ingress rules, SecurityGroupRule and vpc.SecurityGroupIngressRule.
export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const VPC_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

function awsPorts(rule: Record<string, unknown>, protocol: unknown): RuleInput["ports"] {
    const proto = normalizeProtocol(protocol);
    if (proto === "all") return [ALL_PORTS];
    const from = rule.fromPort;
    const to = rule.toPort;
    if (isUnknownValue(from) || isUnknownValue(to)) return UNKNOWN;
    if (from === undefined && to === undefined) return [ALL_PORTS];
    const a = Number(from ?? to);
    const b = Number(to ?? from);
    if (!Number.isInteger(a) || !Number.isInteger(b)) return "invalid";
    if (a === -1 || b === -1) return proto === "tcp" || proto === "udp" ? [ALL_PORTS] : [];
    return [[Math.max(0, Math.min(a, b)), Math.min(65535, Math.max(a, b))]];
}

export function awsRule(
    rule: Record<string, unknown>,
    location: string,
    direction: RuleInput["direction"],
    fields: { protocol: string; v4: string; v6: string },
): RuleInput {
    const protocol = rule[fields.protocol];
    // Sources: IPv4 and IPv6 CIDRs. A rule whose only sources are security groups (sourceSecurityGroupId,
    // referencedSecurityGroupId, self) or managed prefix lists (prefixListIds, prefixListId) admits no internet range.
    return {
        location,
        direction,
        allow: true,
        protocol,
        ports: awsPorts(rule, protocol),
        sources: sourceList([rule[fields.v4], rule[fields.v6]]),
        where: { ports: "fromPort/toPort", sources: `${fields.v4}/${fields.v6}`, protocol: fields.protocol },
    };
}

/** A rule whose every field is an output (an element of an ingress list built with apply()). */
export function unknownRule(location: string): RuleInput {
    return {
        location,
        direction: "ingress",
        allow: true,
        protocol: UNKNOWN,
        ports: UNKNOWN,
        sources: [UNKNOWN],
        where: {
            ports: `${location} (unknown during preview)`,
            sources: `${location} (unknown during preview)`,
            protocol: `${location} (unknown during preview)`,
        },
    };
}

// Security groups only allow (AWS evaluates every rule; there are no deny rules and no order).
export function securityGroup(props: Record<string, unknown>): Normalized {
    if (isUnknownValue(props.ingress)) return ruleSubjects([unknownRule("ingress")], "aws");
    const ingress = Array.isArray(props.ingress) ? props.ingress : [];
    const rules = ingress.map((r, i) =>
        isUnknownValue(r)
            ? unknownRule(`ingress[${i}]`)
            : isRecord(r)
              ? awsRule(r, `ingress[${i}]`, "ingress", { protocol: "protocol", v4: "cidrBlocks", v6: "ipv6CidrBlocks" })
              : undefined,
    );
    return ruleSubjects(
        rules.filter((r): r is RuleInput => r !== undefined),
        "aws",
    );
}

export function securityGroupRule(props: Record<string, unknown>): Normalized {
    const direction = isUnknownValue(props.type) ? UNKNOWN : props.type === "egress" ? "egress" : "ingress";
    return ruleSubjects(
        [awsRule(props, "", direction, { protocol: "protocol", v4: "cidrBlocks", v6: "ipv6CidrBlocks" })],
        "aws",
    );
}

export function vpcIngressRule(props: Record<string, unknown>): Normalized {
    return ruleSubjects(
        [awsRule(props, "", "ingress", { protocol: "ipProtocol", v4: "cidrIpv4", v6: "cidrIpv6" })],
        "aws",
    );
}
