// The signed body of a .prov, in Helm's layout: metadata YAML, a line `...`, then
// `files: {<tarball base name>: sha256:<hex>}`. Helm builds it as metadata + "\n...\n" +
// yaml(files) and parses it by splitting on "\n...\n"; we do the same so files interoperate.
import { parse, stringify } from "yaml";
import { SignatureCode, SignatureError } from "./errors.js";

const separator = "\n...\n";

/** Renders plugin metadata (object or YAML text) as the YAML document that gets signed. */
export function metadataToYaml(metadata: Record<string, unknown> | string): string {
  let text = typeof metadata === "string" ? metadata : stringify(metadata);
  text = text.replace(/\r\n/g, "\n");
  if (!text.endsWith("\n")) text += "\n";
  if (`\n${text}`.includes(separator) || text.trim() === "") {
    throw new SignatureError(
      SignatureCode.metadataInvalid,
      "plugin metadata to sign is empty or contains a `...` line (the .prov section separator)",
      { hint: "sign the plugin.yaml of the packaged plugin as is" },
    );
  }
  const doc = parse(text) as unknown;
  const m = doc as { name?: unknown; version?: unknown } | null;
  if (m === null || typeof m !== "object" || typeof m.name !== "string" || m.version === undefined) {
    throw new SignatureError(
      SignatureCode.metadataInvalid,
      "plugin metadata to sign has no name or version",
      {
        hint: "check the plugin.yaml in the tarball (capstan plugin package builds a valid one)",
      },
    );
  }
  return text;
}

/** Builds the text that is clearsigned. */
export function buildMessageBlock(metadataYaml: string, fileName: string, sha256Hex: string): string {
  const files = stringify({ files: { [fileName]: `sha256:${sha256Hex}` } });
  return `${metadataToYaml(metadataYaml)}${separator}${files}`;
}

/** Parsed signed body. `metadataStrings` holds name/version as written (no YAML typing). */
export interface MessageBlock {
  metadata: Record<string, unknown>;
  files: Record<string, string>;
  signedName: string | undefined;
  signedVersion: string | undefined;
}

/** Parses the verified text of a .prov (never the raw file). */
export function parseMessageBlock(text: string, provLabel: string): MessageBlock {
  const normalized = `${text.replace(/\r\n/g, "\n")}\n`;
  const parts = normalized.split(separator);
  const malformed = (why: string) =>
    new SignatureError(SignatureCode.provMalformed, `${provLabel}: signed text ${why}`, {
      hint: "re-create the .prov with `capstan plugin package --sign` or `capstan-sign sign`",
    });
  if (parts.length !== 2)
    throw malformed(`must have exactly one \`...\` separator line (found ${parts.length - 1})`);
  let metadata: unknown;
  let sums: unknown;
  let strings: unknown;
  try {
    metadata = parse(parts[0] ?? "");
    strings = parse(parts[0] ?? "", { schema: "failsafe" });
    sums = parse(parts[1] ?? "");
  } catch (e) {
    throw malformed(`is not valid YAML (${(e as Error).message.split("\n")[0]})`);
  }
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
    throw malformed("has no plugin metadata mapping before `...`");
  }
  const filesNode = (sums as { files?: unknown } | null)?.files;
  if (filesNode === null || typeof filesNode !== "object" || Array.isArray(filesNode)) {
    throw malformed("has no `files:` mapping after `...`");
  }
  const files: Record<string, string> = {};
  for (const [k, v] of Object.entries(filesNode as Record<string, unknown>)) {
    if (typeof v === "string") files[k] = v;
  }
  const s = strings as { name?: unknown; version?: unknown };
  return {
    metadata: metadata as Record<string, unknown>,
    files,
    signedName: typeof s.name === "string" ? s.name : undefined,
    signedVersion: typeof s.version === "string" ? s.version : undefined,
  };
}
