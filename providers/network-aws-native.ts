// AWS security groups through the aws-native provider, which mirrors CloudFormation (AWS::EC2::SecurityGroup with
// its SecurityGroupIngress list, and AWS::EC2::SecurityGroupIngress resources): the same rules as the aws
// provider's, under CloudFormation's field names. ipProtocol "-1" is every protocol and port; sources are cidrIp and
// cidrIpv6, while sourcePrefixListId and sourceSecurityGroupId(/Name) are not internet ranges
// (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-security-group-ingress.html).
import { awsRule, unknownRule } from "./aws";
import type { Normalized } from "./model";
import { RuleInput, ruleSubjects } from "./network";
import { isRecord, isUnknownValue } from "./props";

export const AWS_NATIVE_SECURITY_GROUP = "aws-native:ec2:SecurityGroup";
export const AWS_NATIVE_SECURITY_GROUP_INGRESS = "aws-native:ec2:SecurityGroupIngress";

const FIELDS = { protocol: "ipProtocol", v4: "cidrIp", v6: "cidrIpv6" };

export function awsNativeSecurityGroup(props: Record<string, unknown>): Normalized {
    const raw = props.securityGroupIngress;
    if (isUnknownValue(raw)) return ruleSubjects([unknownRule("securityGroupIngress")], "aws");
    const list = Array.isArray(raw) ? raw : [];
    const rules = list.map((r, i) =>
        isUnknownValue(r)
            ? unknownRule(`securityGroupIngress[${i}]`)
            : isRecord(r)
              ? awsRule(r, `securityGroupIngress[${i}]`, "ingress", FIELDS)
              : undefined,
    );
    return ruleSubjects(
        rules.filter((r): r is RuleInput => r !== undefined),
        "aws",
    );
}

export function awsNativeSecurityGroupIngress(props: Record<string, unknown>): Normalized {
    return ruleSubjects([awsRule(props, "", "ingress", FIELDS)], "aws");
}
