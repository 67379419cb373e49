// kube-apiserver --audit-policy-file: what an audit.k8s.io Policy records, evaluated the way the API server does.
// kubernetes.io "Auditing": without the flag no events are logged; "a policy with no (0) rules is treated as
// illegal"; each request is compared with the rules in order and the first matching rule sets its level (None,
// Metadata, Request, RequestResponse); a request no rule matches is not logged. Rule matching follows
// k8s.io/apiserver pkg/audit/policy/checker.go ruleMatches: users, userGroups and verbs narrow a rule; a rule with
// namespaces or resources matches resource requests only, one with nonResourceURLs non-resource requests only,
// one with neither matches every request; within `resources`, a group with no resource list matches all of that
// group's resources, `*` matches any resource, and resourceNames narrow it.
//
// CIS Kubernetes 3.2.1 asks for an audit policy, 3.2.2 for one that covers key concerns; logging Secrets at the
// Request or RequestResponse level writes their values into the audit log, so CIS and the Kubernetes docs'
// example policy log Secrets, ConfigMaps and TokenReviews at Metadata.

const LEVELS = new Set(["None", "Metadata", "Request", "RequestResponse"]);

export type AuditPolicyReading =
    | { valid: false; why: string }
    | {
          valid: true;
          /** Some request is logged at Metadata or above. */
          logsRequests: { value: boolean; where: string };
          /** No Secret request is logged with its body (Request or RequestResponse). */
          secretsMetadataOnly: { value: boolean; where: string };
      };

function obj(v: unknown): Record<string, unknown> | undefined {
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;

/** How a rule matches requests on core-group `secrets`: not at all, some of them, or all of them. */
function matchSecrets(rule: Record<string, unknown>): "none" | "some" | "all" {
    const narrowed = nonEmpty(rule.users) || nonEmpty(rule.userGroups) || nonEmpty(rule.verbs);
    let resource: "none" | "some" | "all";
    if (nonEmpty(rule.namespaces) || nonEmpty(rule.resources)) {
        if (!nonEmpty(rule.resources))
            resource = "some"; // namespaces only: every resource in those namespaces
        else {
            resource = "none";
            for (const g of rule.resources as unknown[]) {
                const gr = obj(g);
                if (!gr || (gr.group ?? "") !== "") continue;
                const names = nonEmpty(gr.resources) ? (gr.resources as unknown[]) : ["*"];
                const exact = names.some((r) => r === "secrets" || r === "*");
                // "secrets/*" is meant for subresources; whether it also matches the resource itself is left open.
                if (!exact && !names.includes("secrets/*")) continue;
                const whole = exact && !nonEmpty(gr.resourceNames) && !nonEmpty(rule.namespaces);
                resource = whole ? "all" : "some";
                if (whole) break;
            }
        }
    } else resource = nonEmpty(rule.nonResourceURLs) ? "none" : "all";
    if (resource === "none") return "none";
    return narrowed || resource === "some" ? "some" : "all";
}

function isCatchAll(rule: Record<string, unknown>): boolean {
    return !["users", "userGroups", "verbs", "resources", "namespaces", "nonResourceURLs"].some((k) =>
        nonEmpty(rule[k]),
    );
}

export function readAuditPolicy(doc: Record<string, unknown>, where: string): AuditPolicyReading {
    if (!Array.isArray(doc.rules) || doc.rules.length === 0)
        return { valid: false, why: "has no rules; a policy without rules is illegal and kube-apiserver refuses it" };
    const rules = doc.rules.map((r) => obj(r));
    const bad = rules.findIndex((r) => !r || typeof r.level !== "string" || !LEVELS.has(r.level));
    if (bad >= 0)
        return { valid: false, why: `rules[${bad}] has no valid level (None, Metadata, Request, RequestResponse)` };
    const list = rules as Record<string, unknown>[];

    let logsRequests = { value: false, where: `${where} rules (every rule is level None)` };
    for (let i = 0; i < list.length; i++) {
        if (list[i].level !== "None") {
            logsRequests = { value: true, where: `${where} rules[${i}] level ${String(list[i].level)}` };
            break;
        }
        if (isCatchAll(list[i])) {
            logsRequests = { value: false, where: `${where} rules[${i}] (level None, matches every request)` };
            break;
        }
    }

    let secretsMetadataOnly = { value: true, where: `${where} rules (no rule logs Secret bodies)` };
    for (let i = 0; i < list.length; i++) {
        const m = matchSecrets(list[i]);
        if (m === "none") continue;
        const level = String(list[i].level);
        if (level === "Request" || level === "RequestResponse") {
            secretsMetadataOnly = { value: false, where: `${where} rules[${i}] level ${level} (matches Secrets)` };
            break;
        }
        if (m === "all") {
            secretsMetadataOnly = { value: true, where: `${where} rules[${i}] level ${level} (matches Secrets)` };
            break;
        }
    }
    return { valid: true, logsRequests, secretsMetadataOnly };
}
