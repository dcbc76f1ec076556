// The host-function table: one row per function (one file each). A plugin can import only
// names that are in this table AND listed in its runtimeConfig.hostFunctions (docs/host-functions.md).
import { capstanHostInfo } from "./capstan-host-info.js";
import { capstanYamlParse } from "./capstan-yaml-parse.js";
import { capstanYamlStringify } from "./capstan-yaml-stringify.js";
import type { HostFunction } from "./host-function.js";

/** Every host function Capstan provides, by name. */
export const hostFunctionRegistry: ReadonlyMap<string, HostFunction> = new Map(
  [capstanHostInfo, capstanYamlParse, capstanYamlStringify].map((f) => [f.name, f]),
);

/** The host function called `name`, or undefined. */
export function findHostFunction(name: string): HostFunction | undefined {
  return hostFunctionRegistry.get(name);
}
