// capstan_host_info: who is running the plugin, so a plugin can adapt to Capstan vs Helm
// without guessing. Reveals nothing private: product name, versions, OS and CPU family.
import type { HostFunction } from "./host-function.js";

const goArch: Record<string, string> = { x64: "amd64", ia32: "386", arm64: "arm64", arm: "arm" };
const goOs: Record<string, string> = { win32: "windows" };

/** Input ignored (send `{}`); result `{"host": "capstan", "hostVersion", "helmCompat", "os", "arch"}`. */
export const capstanHostInfo: HostFunction = {
  name: "capstan_host_info",
  summary: 'describe the host: {} -> {"host", "hostVersion", "helmCompat", "os", "arch"}',
  run() {
    return {
      host: "capstan",
      hostVersion: "0.1.0",
      helmCompat: "4",
      os: goOs[process.platform] ?? process.platform,
      arch: goArch[process.arch] ?? process.arch,
    };
  },
};
