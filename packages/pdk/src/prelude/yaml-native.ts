// Hands the engine's native YAML functions (capstan-yaml.c) to `@capstan/pdk/yaml`, which is
// bundled into the plugin and so cannot see the kernel the prelude captured. A registered
// symbol on globalThis, non-enumerable: plugin code that does not import the module never
// meets it.
import { kernel } from "./kernel.js";

if (kernel.yamlParse && kernel.yamlStringify) {
  Object.defineProperty(globalThis, Symbol.for("capstan.yaml"), {
    value: Object.freeze({ parse: kernel.yamlParse, stringify: kernel.yamlStringify }),
  });
}
