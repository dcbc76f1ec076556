// How install and update show a plugin's grants, and the interactive yes for an update that
// widens them (only when stdin is a terminal; otherwise `--accept-grants` is needed).
import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import type { PluginGrants } from "@capstan/distribution";

/**
 * An onGrants callback (called before the plugin is enabled) that writes "Grants:" and one
 * line per grant; on update only when they widened.
 */
export function grantsPrinter(
  out: Writable,
  formatGrants: (g: PluginGrants) => string[],
  mode: "install" | "update",
): (grants: PluginGrants, widened: readonly string[]) => void {
  return (grants, widened) => {
    if (mode === "update" && widened.length === 0) return;
    const head = widened.length > 0 ? "Grants (wider than the installed version):" : "Grants:";
    out.write(`${head}\n${formatGrants(grants).join("\n")}\n`);
  };
}

/** Asks "accept these grants?" on a terminal; undefined (no asking) when stdin is not one. */
export function grantsPrompt(
  stdin: Readable,
  stderr: Writable,
): ((widened: readonly string[]) => Promise<boolean>) | undefined {
  if (!(stdin as Readable & { isTTY?: boolean }).isTTY) return undefined;
  return async (widened) => {
    const rl = createInterface({ input: stdin, output: stderr });
    try {
      const answer = await rl.question(
        `The update asks for more: ${widened.join("; ")}.\nAccept these grants? [y/N] `,
      );
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
}
