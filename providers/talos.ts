// @pulumiverse/talos: a machine configuration applied to a node. The resource carries the configuration
// (machineConfigurationInput, usually from talos.machine.getConfiguration, which is an invoke the pack does not
// see) and the program's configPatches; the node stage reads what Talos starts from them.
import type { Normalized } from "./model";
import { readTalosConfiguration } from "./node/distributions";

export const TALOS_CONFIGURATION_APPLY = "talos:machine/configurationApply:ConfigurationApply";

export function talosConfigurationApply(props: Record<string, unknown>): Normalized {
    return readTalosConfiguration(props.machineConfigurationInput, props.configPatches);
}
