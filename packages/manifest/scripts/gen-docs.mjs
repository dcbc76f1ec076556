#!/usr/bin/env node
// Writes the schema-derived parts of the docs: all of docs/messages.md, and the key tables
// between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` in docs/plugin-yaml.md
// (the prose around them is hand-written). test/docs.test.ts fails when they are stale.
// Usage: node scripts/gen-docs.mjs   (from packages/manifest, or anywhere)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const docsDir = join(pkgDir, "..", "..", "docs");
const schema = (f) => JSON.parse(readFileSync(join(pkgDir, "schemas", f), "utf8"));

const esc = (s) => String(s).replaceAll("|", "\\|").replaceAll("\n", " ");

/** A short human name for a subschema's type. */
function typeOf(s, root) {
  if (s.$ref) return s.$ref.split("/").pop();
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((e) => (e === null ? "absent" : `\`${JSON.stringify(e)}\``)).join(", ");
  if (s.anyOf) return s.anyOf.map((x) => typeOf(x, root)).join(" or ");
  if (s.tsType === "unknown" || (s.type === undefined && !s.properties)) return "any JSON";
  const types = Array.isArray(s.type) ? s.type : [s.type];
  return types
    .map((t) => {
      if (t === "array") return `list of ${s.items ? typeOf(s.items, root) : "any"}`;
      if (t === "object" && s.maxProperties === 0) return "`{}`";
      if (t === "object" && s.additionalProperties && typeof s.additionalProperties === "object") {
        return `map of string to ${typeOf(s.additionalProperties, root)}`;
      }
      return t;
    })
    .join(" or ");
}

/** Constraints worth listing next to the description. */
function rules(s) {
  const r = [];
  if (s.pattern === "\\S") r.push("not empty or whitespace only");
  else if (s.pattern?.length > 40) r.push("strict SemVer 2.0");
  else if (s.pattern) r.push(`matches \`${s.pattern}\``);
  if (s.minLength) r.push("non-empty");
  if (s.minItems) r.push(`at least ${s.minItems} item${s.minItems > 1 ? "s" : ""}`);
  if (s.minimum !== undefined && s.maximum !== undefined) r.push(`${s.minimum}..${s.maximum}`);
  else if (s.minimum !== undefined) r.push(`>= ${s.minimum}`);
  if (s.items?.pattern) r.push(`items match \`${s.items.pattern}\``);
  if (s.additionalProperties === false && s.properties) r.push("unknown keys are errors");
  return r.join("; ");
}

/** Markdown table of an object schema's properties. */
function table(obj, root, prefix = "") {
  const req = new Set(obj.required ?? []);
  const rows = Object.entries(obj.properties ?? {}).map(
    ([k, s]) =>
      `| \`${prefix}${k}\` | ${esc(typeOf(s, root))} | ${req.has(k) ? "yes" : "no"} | ${esc(
        [s.description ?? "", rules(s) && `*Rules: ${rules(s)}.*`].filter(Boolean).join(" "),
      )} |`,
  );
  return ["| key | type | required | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

/** The generated blocks of docs/plugin-yaml.md, by name. */
export function pluginYamlBlocks() {
  const v1 = schema("plugin.v1.json");
  const legacy = schema("plugin.legacy.json");
  const d = v1.definitions;
  return {
    "v1-top-level": table(v1, v1),
    "cli-config": table(d.CliConfig, v1),
    "getter-config": table(d.GetterConfig, v1),
    "extism-runtime-config": [
      table(d.ExtismRuntimeConfig, v1),
      "",
      "`memory`:",
      "",
      table(d.ExtismRuntimeConfig.properties.memory, v1, "memory."),
      "",
      "`fileSystem`:",
      "",
      table(d.ExtismRuntimeConfig.properties.fileSystem, v1, "fileSystem."),
    ].join("\n"),
    "subprocess-runtime-config": table(d.SubprocessRuntimeConfig, v1),
    "platform-command": table(d.PlatformCommand, v1),
    "legacy-top-level": table(legacy, legacy),
  };
}

/** docs/plugin-yaml.md with its generated blocks refreshed. */
export function renderPluginYaml(current) {
  let out = current;
  for (const [name, body] of Object.entries(pluginYamlBlocks())) {
    const re = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!re.test(out)) throw new Error(`docs/plugin-yaml.md lacks the <!-- generated:${name} --> block`);
    out = out.replace(re, (_, open, close) => `${open}${body}\n${close}`);
  }
  return out;
}

const messageFiles = [
  ["cli/v1", "cli.v1.input.json", "cli.v1.output.json"],
  ["getter/v1", "getter.v1.input.json", "getter.v1.output.json"],
  ["postrenderer/v1", "postrenderer.v1.input.json", "postrenderer.v1.output.json"],
];

function messageSection(file, name) {
  const s = schema(file);
  const lines = [
    `### \`${name}\` (${s.title}, [schemas/${file}](../packages/manifest/schemas/${file}))`,
    "",
    s.description,
    "",
    table(s, s),
    "",
  ];
  if (s.additionalProperties === false) lines.push("Unknown top-level keys are rejected.", "");
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    if (p.type === "object" && p.properties) lines.push(`\`${k}\`:`, "", table(p, s, `${k}.`), "");
  }
  lines.push("Examples:", "", ...(s.examples ?? []).map((e) => `    ${JSON.stringify(e)}`), "");
  return lines.join("\n");
}

/** The whole of docs/messages.md. */
export function renderMessages() {
  const parts = [
    "# Plugin messages",
    "",
    "<!-- Generated from packages/manifest/schemas/*.json by packages/manifest/scripts/gen-docs.mjs. Do not edit. -->",
    "",
    "An extism/v1 plugin is called with one JSON message (UTF-8) as input and writes one JSON",
    "message as output, then returns 0. A non-zero return is a failure; the Extism error string is",
    "the message shown to the user. The JSON Schemas in `packages/manifest/schemas/` are the single",
    "source of these shapes: TypeScript types are generated from them (`CliInput`, `CliOutput`,",
    "`GetterInput`, `GetterOutput`, `PostrendererInput`, `PostrendererOutput` from",
    "`@capstan/manifest`) and the host validates every plugin output against them with",
    "`validateMessage(name, value)`, where name is `<type>.input` or `<type>.output`",
    "(e.g. `getter.output`). An invalid output fails with exit code 3 and names the message and",
    "the JSON path, e.g. `invalid getter.output message: data: must be string`.",
    "",
    "Input schemas stay lenient where Helm is: Go sends `null` for an empty list, and Helm 4.2",
    'sends `"manifests": {}` to post-renderers (helm issue 31832); Capstan sends `[]` and the real',
    "string. Output schemas are strict so a plugin's typo is caught, not ignored.",
    "",
  ];
  for (const [type, input, output] of messageFiles) {
    parts.push(`## ${type}`, "", messageSection(input, `${type.split("/")[0]}.input`));
    parts.push(messageSection(output, `${type.split("/")[0]}.output`));
  }
  return `${parts.join("\n").trimEnd()}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(docsDir, "messages.md"), renderMessages());
  const py = join(docsDir, "plugin-yaml.md");
  writeFileSync(py, renderPluginYaml(readFileSync(py, "utf8")));
}
