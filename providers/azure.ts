// Azure: AKS through azure-native (every API-version token) and the classic `azure` provider (by token).
// (VM and scale set custom data: see providers/nodes.)
import { Normalized, Setting, defaulted, explicit, undetermined, unknown, settingsOf } from "./model";
import { RuleInput, denyOf, portRanges, ruleSubjects, sourceList } from "./network";
import { UNKNOWN, boolSetting, isRecord, isUnknownValue, read, stringListSetting } from "./props";
import { readCarrier } from "./node";

/** azure-native ManagedCluster at the default or any explicit API version, e.g. `azure-native:containerservice/v20240102preview:ManagedCluster`. */
export const AKS_NATIVE_CLUSTER = /^azure-native:containerservice(?:\/v[0-9a-z]+)?:ManagedCluster$/;
export const AKS_CLASSIC_CLUSTER = "azure:containerservice/kubernetesCluster:KubernetesCluster";

const ANY_ADDRESS = ["0.0.0.0/0"];

function authorizedRanges(props: Record<string, unknown>, paths: string[], note = ""): Setting {
    for (const path of paths) {
        const s = stringListSetting(props, path, undefined);
        if (s.state === "default") continue;
        if (s.state === "explicit" && (s.value as unknown[]).length === 0) continue;
        return s;
    }
    return defaulted(ANY_ADDRESS, `${paths[0]} (not set: any address${note})`);
}

/** A block that turns a feature on by being present; unknown when the block itself is an output. */
function presence(props: Record<string, unknown>, path: string, absentMeans: string): Setting {
    const r = read(props, path);
    if (r.kind === "unknown") return unknown(path);
    if (r.kind === "absent") return defaulted(false, `${path} (not set: ${absentMeans})`);
    return explicit(true, path);
}

function keyPresent(props: Record<string, unknown>, path: string): boolean {
    const r = read(props, path);
    return r.kind === "unknown" || (r.kind === "value" && typeof r.value === "string" && r.value !== "");
}

/** The API version of an azure-native token ("…/v20190601:…" → "2019-06-01"); undefined for the default-version token. */
export function azureApiVersion(type: string): string | undefined {
    const m = /\/v(\d{4})(\d{2})(\d{2})([a-z]*):/.exec(type);
    return m ? `${m[1]}-${m[2]}-${m[3]}${m[4] ? `-${m[4]}` : ""}` : undefined;
}

/**
 * enableRBAC when omitted. AKS today creates RBAC-enabled clusters; but in January 2019 only `az aks` enabled RBAC
 * by default, while ARM templates, Terraform and other API clients that omitted enableRBAC created clusters without
 * it (MicrosoftDocs/azure-docs PR #22220, Azure/AKS#603, MicrosoftDocs/azure-docs#15024). What the resource provider
 * does today for an omitted enableRBAC at those old API versions is not documented, so a token pinned before 2020
 * gets an advisory instead of a guess; the default token (azure-native 3: a 2024 API version) and later ones default
 * to true.
 */
const AKS_RBAC_DEFAULT_DOCUMENTED_FROM = "2020-01-01";

function aksRbac(props: Record<string, unknown>, type: string): Setting {
    const s = boolSetting(props, "enableRBAC", true);
    const api = azureApiVersion(type);
    if (s.state !== "default" || api === undefined || api >= AKS_RBAC_DEFAULT_DOCUMENTED_FROM) return s;
    return undetermined(
        "enableRBAC (not set)",
        `is not set at API version ${api}, where clusters created outside az aks without enableRBAC had RBAC off; whether this API version still does so is not documented`,
    );
}

export function aksNativeCluster(props: Record<string, unknown>, type = ""): Normalized {
    const settings = settingsOf();
    // API server VNet integration (enableVnetIntegration) projects the API server into a delegated subnet; without
    // enablePrivateCluster it keeps its public endpoint (learn.microsoft.com/azure/aks/api-server-vnet-integration).
    const { setting, vnetNote } = publicEndpoint(
        props,
        "apiServerAccessProfile.enablePrivateCluster",
        "apiServerAccessProfile.enableVnetIntegration",
    );
    settings["cluster.publicEndpoint"] = setting;
    settings["cluster.authorizedNetworks"] = authorizedRanges(
        props,
        ["apiServerAccessProfile.authorizedIPRanges"],
        vnetNote,
    );
    const disableLocal = boolSetting(props, "disableLocalAccounts", false);
    settings["cluster.localAccounts"] = negate(disableLocal);
    settings["cluster.entraId"] = presence(props, "aadProfile", "Kubernetes certificates and local accounts only");
    settings["cluster.rbac"] = aksRbac(props, type);
    const kms = boolSetting(props, "securityProfile.azureKeyVaultKms.enabled", false);
    settings["cluster.secretsEncryption"] =
        kms.state === "unknown"
            ? kms
            : kms.value === true
              ? explicit(
                    keyPresent(props, "securityProfile.azureKeyVaultKms.keyId"),
                    "securityProfile.azureKeyVaultKms",
                )
              : derivedFalse(kms, "securityProfile.azureKeyVaultKms");
    return { subjects: [{ component: "cluster", platform: "aks", location: "", settings }], notes: [] };
}

/** Is the AKS API server public? A private-cluster flag decides; VNet integration alone does not make it private. */
function publicEndpoint(
    props: Record<string, unknown>,
    privatePath: string,
    vnetPath: string,
): { setting: Setting; vnetNote: string } {
    const priv = boolSetting(props, privatePath, false);
    const vnet = read(props, vnetPath);
    const field = vnetPath.split(".").pop();
    const vnetNote = vnet.kind === "value" && vnet.value === true ? `; ${field} alone does not make it private` : "";
    const setting =
        priv.state === "unknown" || priv.state === "invalid"
            ? priv
            : priv.state === "explicit"
              ? explicit(!priv.value, `${priv.where}${priv.value ? "" : vnetNote}`)
              : defaulted(true, `${priv.where} (not set: public endpoint${vnetNote})`);
    return { setting, vnetNote };
}

export function aksClassicCluster(props: Record<string, unknown>): Normalized {
    const settings = settingsOf();
    const { setting, vnetNote } = publicEndpoint(
        props,
        "privateClusterEnabled",
        "apiServerAccessProfile.vnetIntegrationEnabled",
    );
    settings["cluster.publicEndpoint"] = setting;
    settings["cluster.authorizedNetworks"] = authorizedRanges(
        props,
        ["apiServerAccessProfile.authorizedIpRanges", "apiServerAuthorizedIpRanges"],
        vnetNote,
    );
    settings["cluster.localAccounts"] = negate(boolSetting(props, "localAccountDisabled", false));
    settings["cluster.entraId"] = presence(
        props,
        "azureActiveDirectoryRoleBasedAccessControl",
        "Kubernetes certificates and local accounts only",
    );
    settings["cluster.rbac"] = boolSetting(props, "roleBasedAccessControlEnabled", true);
    const kms = read(props, "keyManagementService");
    settings["cluster.secretsEncryption"] =
        kms.kind === "unknown"
            ? unknown("keyManagementService")
            : kms.kind === "absent"
              ? defaulted(false, "keyManagementService (not set: platform-managed keys only)")
              : explicit(keyPresent(props, "keyManagementService.keyVaultKeyId"), "keyManagementService.keyVaultKeyId");
    return { subjects: [{ component: "cluster", platform: "aks", location: "", settings }], notes: [] };
}

/** A "disable X" flag read as "X enabled"; the message still shows the flag as written. */
function negate(s: Setting): Setting {
    return typeof s.value === "boolean" ? { ...s, value: !s.value, shown: String(s.value) } : s;
}

function derivedFalse(s: Setting, where: string): Setting {
    return s.state === "explicit"
        ? explicit(false, where)
        : defaulted(false, `${where} (not set: platform-managed keys only)`);
}

// Virtual machines and scale sets: custom data and user data (base64), every azure-native API version and classic tokens.
export const AZURE_NATIVE_VM = /^azure-native:compute(?:\/v[0-9a-z]+)?:VirtualMachine$/;
export const AZURE_NATIVE_VMSS = /^azure-native:compute(?:\/v[0-9a-z]+)?:VirtualMachineScaleSet$/;
export const AZURE_CLASSIC_LINUX_VM =
    /^azure:compute\/(linuxVirtualMachine:LinuxVirtualMachine|linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet|orchestratedVirtualMachineScaleSet:OrchestratedVirtualMachineScaleSet)$/;
export const AZURE_CLASSIC_VM = "azure:compute/virtualMachine:VirtualMachine";

export function azureNativeVm(props: Record<string, unknown>): Normalized {
    return readCarrier(props, [
        { path: "osProfile.customData", encoding: "base64", label: "custom data (osProfile.customData)" },
        { path: "userData", encoding: "base64", label: "user data (userData)" },
    ]);
}

export function azureNativeVmss(props: Record<string, unknown>): Normalized {
    return readCarrier(props, [
        {
            path: "virtualMachineProfile.osProfile.customData",
            encoding: "base64",
            label: "custom data (virtualMachineProfile.osProfile.customData)",
        },
        {
            path: "virtualMachineProfile.userData",
            encoding: "base64",
            label: "user data (virtualMachineProfile.userData)",
        },
    ]);
}

export function azureClassicLinuxVm(props: Record<string, unknown>): Normalized {
    return readCarrier(props, [
        { path: "customData", encoding: "base64", label: "custom data (customData)" },
        { path: "userData", encoding: "base64", label: "user data (userData)" },
        {
            path: "osProfile.linuxConfiguration.customData",
            encoding: "base64",
            label: "custom data (osProfile.linuxConfiguration.customData)",
        },
    ]);
}

export function azureClassicVm(props: Record<string, unknown>): Normalized {
    return readCarrier(props, [
        { path: "osProfile.customData", encoding: "plain", label: "custom data (osProfile.customData)" },
    ]);
}

// Network security groups (inline rules) and security rules: azure-native at any API version, and classic azure.
export const AZURE_NATIVE_NSG = /^azure-native:network(?:\/v[0-9a-z]+)?:NetworkSecurityGroup$/;
export const AZURE_NATIVE_SECURITY_RULE = /^azure-native:network(?:\/v[0-9a-z]+)?:SecurityRule$/;
export const AZURE_CLASSIC_NSG = "azure:network/networkSecurityGroup:NetworkSecurityGroup";
export const AZURE_CLASSIC_SECURITY_RULE = "azure:network/networkSecurityRule:NetworkSecurityRule";

/** An NSG rule's priority (100-4096; lower numbers are evaluated first); UNKNOWN when it is an output. */
export function azurePriority(r: Record<string, unknown>): number | typeof UNKNOWN | undefined {
    if (isUnknownValue(r.priority)) return UNKNOWN;
    const n =
        typeof r.priority === "number"
            ? r.priority
            : typeof r.priority === "string" && /^\d+$/.test(r.priority)
              ? Number(r.priority)
              : NaN;
    return Number.isInteger(n) ? n : undefined;
}

function word(v: unknown, yes: string, no: string): string | typeof UNKNOWN | undefined {
    if (isUnknownValue(v)) return UNKNOWN;
    if (typeof v !== "string") return undefined;
    const s = v.toLowerCase();
    return s === yes ? yes : s === no ? no : undefined;
}

export function azureRuleInput(r: Record<string, unknown>, location: string): RuleInput {
    const dir = word(r.direction, "inbound", "outbound");
    const access = word(r.access, "allow", "deny");
    const specs: unknown[] = [];
    if (r.destinationPortRange !== undefined && r.destinationPortRange !== null) specs.push(r.destinationPortRange);
    if (Array.isArray(r.destinationPortRanges)) specs.push(...r.destinationPortRanges);
    let ports: RuleInput["ports"];
    if (specs.some(isUnknownValue) || isUnknownValue(r.destinationPortRanges)) ports = UNKNOWN;
    else ports = portRanges(specs);
    const sources = sourceList([r.sourceAddressPrefix, r.sourceAddressPrefixes]);
    // Sources that are application security groups only (sourceApplicationSecurityGroups) are VMs of this network,
    // not the internet; no source at all is what Azure reads as any ("*").
    const asgs = r.sourceApplicationSecurityGroups;
    const onlyAsgs = sources.length === 0 && (isUnknownValue(asgs) || (Array.isArray(asgs) && asgs.length > 0));
    const name = typeof r.name === "string" ? ` "${r.name}"` : "";
    return {
        location: `${location}${name}`,
        direction: dir === UNKNOWN ? UNKNOWN : dir === "outbound" ? "egress" : "ingress",
        allow: access === UNKNOWN ? UNKNOWN : access !== "deny",
        protocol: r.protocol ?? "*",
        ports,
        sources: onlyAsgs ? [] : sources.length === 0 ? ["*"] : sources,
        where: { ports: "destinationPortRange(s)", sources: "sourceAddressPrefix(es)", protocol: "protocol" },
    };
}

/** An inbound deny, or a rule whose direction or access is an output and so may be one. */
export function mayDeny(r: RuleInput): boolean {
    return r.direction !== "egress" && r.allow !== true;
}

/**
 * Azure evaluates an NSG's inbound rules in priority order and stops at the first match, deny rules included
 * (learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules). So an allow is
 * judged minus the ports and sources of every deny rule with a lower priority number. The default rules
 * (AllowVnetInBound 65000, AllowAzureLoadBalancerInBound 65001, DenyAllInBound 65500) come after every user rule
 * (100-4096): they never shadow an allow, and with them nothing is open that no user rule allows.
 */
export function withPriorDenies(
    rules: { input: RuleInput; priority: number | typeof UNKNOWN | undefined }[],
): RuleInput[] {
    const denies = rules.filter((r) => mayDeny(r.input));
    return rules.map((r) => {
        if (r.input.direction !== "ingress" || r.input.allow !== true) return r.input;
        const prior = denies.flatMap((d) => {
            // A rule whose direction or access is an output may be an inbound deny: it can only make the verdict unsure.
            const unsure = d.input.direction !== "ingress" || d.input.allow !== false;
            if (r.priority === UNKNOWN || d.priority === UNKNOWN)
                return [denyOf(d.input, `${d.input.location} (priority not known yet)`, true)];
            if (r.priority === undefined || d.priority === undefined || d.priority >= r.priority) return [];
            return [denyOf(d.input, `${d.input.location} (priority ${d.priority})`, unsure)];
        });
        return { ...r.input, priorDenies: prior };
    });
}

function nsgRules(props: Record<string, unknown>): unknown[] {
    return Array.isArray(props.securityRules)
        ? props.securityRules
        : Array.isArray(props.securityRule)
          ? props.securityRule
          : [];
}

export function azureNsgRuleInputs(
    props: Record<string, unknown>,
): { input: RuleInput; priority: number | typeof UNKNOWN | undefined }[] {
    return nsgRules(props)
        .filter(isRecord)
        .map((r, i) => ({ input: azureRuleInput(r, `securityRules[${i}]`), priority: azurePriority(r) }));
}

export function azureNsg(props: Record<string, unknown>): Normalized {
    const raw = props.securityRules ?? props.securityRule;
    if (isUnknownValue(raw))
        return {
            subjects: [],
            notes: [
                {
                    where: "securityRules",
                    reason: "the rules are not known until the update runs, so whether they open control-plane ports is judged then",
                },
            ],
        };
    // An inline allow is judged at stack level: separate SecurityRule resources of the same NSG may deny first.
    const inputs = azureNsgRuleInputs(props).map((x) => x.input);
    inputs.forEach((r, i) => {
        if (r.direction === "ingress" && r.allow === true) {
            r.judgedWithSiblings =
                "judged at stack level with the other rules of its network security group, inline and separate (priority order)";
            r.siblingKey = i;
        }
    });
    return ruleSubjects(inputs, "azure");
}

/** A separate security rule: the deny rules of its NSG are other resources, so it is judged with them at stack level. */
export function azureSecurityRule(props: Record<string, unknown>): Normalized {
    const input = azureRuleInput(props, "");
    if (input.direction === "ingress" && input.allow === true)
        input.judgedWithSiblings =
            "judged at stack level with the other rules of its network security group (priority order)";
    return ruleSubjects([input], "azure");
}
