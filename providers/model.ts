// The normalized settings the rules judge. A provider turns one resource (type token + inputs) into
// subjects: one per component instance it configures (an EKS control plane, the kubelet that a launch
// template's user data starts, ...). Every setting carries where it came from and how it was known.

import type { SettingKey } from "./keys";

export type { SettingKey } from "./keys";

/** The components a setting can belong to. */
export type Component =
    | "cluster" // a managed control plane (EKS, GKE, AKS, DigitalOcean, Linode LKE, OCI OKE)
    | "nodepool" // managed node pool settings that are not kubelet flags (metadata server, private nodes)
    | "kubelet"
    | "apiserver"
    | "controller-manager"
    | "scheduler"
    | "etcd"
    | "kube-proxy"
    | "rbac" // a RoleBinding / ClusterRoleBinding (and, at stack level, the role it grants)
    | "cluster-access" // a cloud IAM principal granted access to a managed cluster (EKS access entries, aws-auth)
    | "service" // a Kubernetes Service
    | "network"; // one ingress rule of a security group, firewall or NSG

/**
 * How a value was learned:
 * - explicit: written in the program;
 * - default: absent, the value is the effective default of this carrier;
 * - unknown: a preview output, not known until the dependency is created;
 * - invalid: present but of a type or form the carrier would not accept.
 */
export type SettingState = "explicit" | "default" | "unknown" | "invalid";

export interface Setting {
    state: SettingState;
    /** The effective value (for "default" the default; undefined when unknown or invalid). */
    value?: unknown;
    /** How to show the value in the carrier's own terms, when it differs from `value` (e.g. a negated flag). */
    shown?: string;
    /** Where it was found, in the user's terms: `vpcConfig.publicAccessCidrs`, `user data, MIME part 2, KubeletConfiguration readOnlyPort`. */
    where: string;
    /** Decided by an input marked secret: its value and the names inside it are never shown (providers/secrets.ts). */
    secret?: boolean;
    /** For "unknown": why it cannot be known, when not because of a preview output (e.g. a default that depends on an unstated version). */
    reason?: string;
}

/**
 * A subject's settings by key; a key outside providers/keys.ts does not compile. Like the plain record it replaces,
 * reading an absent key gives undefined at run time (rules check for it); build one with `settingsOf()`.
 */
export type Settings = Record<SettingKey, Setting>;

/** Settings from the keys given (a literal with a key outside providers/keys.ts does not compile). */
export function settingsOf(s: Partial<Settings> = {}): Settings {
    return s as Settings;
}

export interface Subject {
    component: Component;
    /** The cloud or distribution that carries it, for messages and rules scoped to one platform. */
    platform: "eks" | "gke" | "aks" | "doks" | "lke" | "oke" | "kubernetes" | "self-managed" | "aws" | "gcp" | "azure";
    /** Where this component's settings live inside the resource, e.g. "user data, MIME part 2". Empty for the resource itself. */
    location: string;
    settings: Settings;
    /** Kubernetes minor version the program states for this component, when it states one (e.g. 1.29 → 29). */
    kubernetesMinor?: number;
}

/** Something the provider could not inspect, and why. Becomes one advisory diagnostic. */
export interface InspectionNote {
    where: string;
    reason: string;
}

export interface Normalized {
    subjects: Subject[];
    notes: InspectionNote[];
}

export const EMPTY: Normalized = Object.freeze({ subjects: [], notes: [] }) as Normalized;

export function explicit(value: unknown, where: string): Setting {
    return { state: "explicit", value, where };
}

export function defaulted(value: unknown, where: string): Setting {
    return { state: "default", value, where };
}

export function unknown(where: string): Setting {
    return { state: "unknown", where };
}

/** Not knowable from the program: `reason` says why ("depends on the GKE version, which the program does not state"). */
export function undetermined(where: string, reason: string): Setting {
    return { state: "unknown", where, reason };
}

export function invalid(where: string): Setting {
    return { state: "invalid", where };
}
