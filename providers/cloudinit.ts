// @pulumi/cloudinit Config: the parts it renders into MIME user data, read before rendering.
import type { Normalized } from "./model";
import { readCloudinitParts } from "./node";

export const CLOUDINIT_CONFIG = "cloudinit:index/config:Config";

export function cloudinitConfig(props: Record<string, unknown>): Normalized {
    return readCloudinitParts(props.parts);
}
