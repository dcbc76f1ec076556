// definePostrenderer: postrenderer/v1 messages with both input shapes (Capstan's string and
// Helm 4.2's `{}`, helm issue 31832).
import type { PostrendererInput } from "@capstan/manifest/generated/postrenderer.v1.input";
import type { PostrendererOutput } from "@capstan/manifest/generated/postrenderer.v1.output";
import { type ExportResult, isPlainObject, makeExport, stringList } from "./run-export.js";

/** The normalized postrenderer input the handler receives. */
export type PostrendererRequest = Omit<PostrendererInput, "manifests" | "extraArgs"> & {
  /** The rendered manifests; "" when the host sent Helm 4.2's `{}` instead of the text. */
  manifests: string;
  /** Arguments given to the post-renderer (never null). */
  extraArgs: string[];
  /** True when the host sent `{}` (Helm 4.2 bug 31832): the real manifests were lost. */
  manifestsMissing: boolean;
};

/** A handler returns the new manifests as a string or as the output message. */
export type PostrendererHandler = (
  input: PostrendererRequest,
) => string | PostrendererOutput | Promise<string | PostrendererOutput>;

function parse(raw: unknown): PostrendererRequest {
  if (!isPlainObject(raw)) throw new TypeError("postrenderer/v1 input must be a JSON object");
  const m = raw.manifests;
  let manifests = "";
  let manifestsMissing = false;
  if (typeof m === "string") manifests = m;
  else if (m === undefined || m === null || isPlainObject(m)) manifestsMissing = true;
  else
    throw new TypeError(
      `postrenderer/v1 input field "manifests" must be a string (got ${Array.isArray(m) ? "array" : typeof m})`,
    );
  return {
    ...(raw as object),
    manifests,
    extraArgs: stringList(raw.extraArgs, "extraArgs"),
    manifestsMissing,
  };
}

function finish(r: string | PostrendererOutput): PostrendererOutput {
  const manifests = typeof r === "string" ? r : isPlainObject(r) ? r.manifests : undefined;
  if (typeof manifests !== "string")
    throw new TypeError(
      "definePostrenderer: the handler must return the manifests as a string or {manifests: string}",
    );
  if (manifests.trim() === "")
    throw new Error(
      "definePostrenderer: the handler returned empty manifests (whitespace-only output is an error)",
    );
  return { manifests };
}

/**
 * Defines a postrenderer/v1 plugin. Export the result as `helm_plugin_main`:
 * `export const helm_plugin_main = definePostrenderer(({ manifests }) => manifests)`.
 */
export function definePostrenderer(handler: PostrendererHandler): () => ExportResult {
  return makeExport("postrenderer/v1", parse, handler, finish);
}
