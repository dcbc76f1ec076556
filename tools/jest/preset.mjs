// Shared jest setup: ESM TypeScript through @swc/jest (types are checked by the separate
// `typecheck` task). Packages use: export default preset(import.meta.url).
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const workspaceRoot = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");

export function preset(configUrl, overrides = {}) {
  return {
    rootDir: dirname(fileURLToPath(configUrl)),
    testEnvironment: "node",
    extensionsToTreatAsEsm: [".ts"],
    testMatch: ["<rootDir>/src/**/*.test.ts", "<rootDir>/test/**/*.test.ts"],
    moduleNameMapper: {
      // Tests run against sibling packages' sources, so they never see a stale dist/.
      "^@capstan/([a-z-]+)$": `${workspaceRoot}/packages/$1/src/index.ts`,
      "^(\\.{1,2}/.*)\\.js$": "$1",
    },
    transform: {
      "^.+\\.ts$": [
        "@swc/jest",
        { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "es6" } },
      ],
    },
    // Only a net for a test that hangs: generous, because 8 parallel test runs on 2 cores make
    // a 2 s test take 30 s. Tests assert behaviour, never wall time (docs/decisions.md).
    testTimeout: 120_000,
    passWithNoTests: true,
    ...overrides,
  };
}
