// `capstan plugin codegen <schema.yaml> [-o dir]`: TypeScript bindings from an XTP-style plugin
// schema (types with decoders/encoders, host function wrappers, Wasm export glue, the
// interface file, and a main.ts stub written only when absent). `--helm-messages` instead
// writes the Helm plugin message types from @capstan/manifest's JSON Schemas.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CapstanError, ExitCode } from "@capstan/manifest";
import { defineCommand } from "../../command.js";
import { UsageError } from "../../usage-error.js";

/** `capstan plugin codegen` */
export const pluginCodegenCommand = defineCommand({
  name: "plugin codegen",
  args: "[schema]",
  summary: "generate TypeScript bindings from a plugin schema",
  description:
    "Reads an XTP-style schema (YAML: exports, imports, components.schemas) and writes into DIR:\n" +
    "types.ts (types + validating decoders/encoders), index.ts (one Wasm export per schema export),\n" +
    "host.ts (typed host function wrappers), interface.d.ts (for capstan-js / capstan plugin build)\n" +
    "and main.ts (your implementation stub, only when absent). int64 is bigint (decimal string in JSON).",
  options: [
    { flags: "-o, --output <dir>", description: "directory to write into", default: "src" },
    { flags: "--helm-messages", description: "write helm-messages.ts (Helm plugin message types) instead" },
  ],
  async run([schema], opts, ctx) {
    const codegen = await import("@capstan/compiler");
    const out = String(opts.output ?? "src");
    if (opts.helmMessages === true) {
      const { messageSchemas } = await import("@capstan/manifest");
      const { mkdir, writeFile } = await import("node:fs/promises");
      await mkdir(out, { recursive: true });
      const file = join(out, "helm-messages.ts");
      await writeFile(file, codegen.generateHelmMessageTypes(messageSchemas));
      ctx.stdout.write(`wrote ${file}\n`);
      return 0;
    }
    if (typeof schema !== "string")
      throw new UsageError("name the schema file (or pass --helm-messages)", "plugin codegen");
    let text: string;
    try {
      text = await readFile(schema, "utf8");
    } catch (e) {
      throw new CapstanError("not-found", `cannot read schema ${schema}: ${(e as Error).message}`, {
        exitCode: ExitCode.notFound,
        hint: "pass the path of an XTP schema YAML file",
      });
    }
    const files = codegen.generateFromXtpSchema(text, schema);
    for (const p of codegen.writeGeneratedFiles(files, out)) ctx.stdout.write(`wrote ${p}\n`);
    return 0;
  },
});
