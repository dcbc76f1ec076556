// Runtime validation of plugin messages against the schemas. The validators are precompiled at
// build time (generated/validators.cjs, by scripts/gen-types.mjs); without a build they are
// compiled on first use. Loading ajv's compiler and compiling costs ~100 ms, validating
// microseconds, so the CLI should never pay for compiling.
import { createRequire } from "node:module";
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import type { CliInput } from "../generated/cli.v1.input.js";
import type { CliOutput } from "../generated/cli.v1.output.js";
import type { GetterInput } from "../generated/getter.v1.input.js";
import type { GetterOutput } from "../generated/getter.v1.output.js";
import type { PostrendererInput } from "../generated/postrenderer.v1.input.js";
import type { PostrendererOutput } from "../generated/postrenderer.v1.output.js";
import { CapstanError, ExitCode } from "./errors.js";
import { type MessageName, messageNames, messageSchemas } from "./schemas.js";

/** Message type by name. */
export interface MessageTypes {
  "cli.input": CliInput;
  "cli.output": CliOutput;
  "getter.input": GetterInput;
  "getter.output": GetterOutput;
  "postrenderer.input": PostrendererInput;
  "postrenderer.output": PostrendererOutput;
}

const require = createRequire(import.meta.url);
let ajv: Ajv | undefined;
let precompiled: Partial<Record<MessageName, ValidateFunction>> | null | undefined;
const compiled = new Map<MessageName, ValidateFunction>();

/** Compiles a message validator at run time (the fallback, and the reference in tests). */
export function compileMessageValidator(name: MessageName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    // Same options as scripts/gen-types.mjs. tsType is a json-schema-to-typescript annotation;
    // allErrors stays off: the first error is enough.
    const { Ajv: AjvClass } = require("ajv") as typeof import("ajv");
    ajv ??= new AjvClass({ strict: true, allowUnionTypes: true, verbose: true, keywords: ["tsType"] });
    v = ajv.compile(messageSchemas[name]);
    compiled.set(name, v);
  }
  return v;
}

/** The precompiled validator of a message, if the package has been built. */
export function precompiledMessageValidator(name: MessageName): ValidateFunction | undefined {
  if (precompiled === undefined) {
    try {
      precompiled = require("../generated/validators.cjs") as Partial<Record<MessageName, ValidateFunction>>;
    } catch {
      precompiled = null;
    }
  }
  return precompiled?.[name];
}

function validatorFor(name: MessageName): ValidateFunction {
  return precompiledMessageValidator(name) ?? compileMessageValidator(name);
}

function describe(e: ErrorObject): string {
  const path = e.instancePath === "" ? "(root)" : e.instancePath.slice(1).replaceAll("/", ".");
  if (e.keyword === "additionalProperties") {
    return `${path}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (e.keyword === "anyOf" && Array.isArray(e.schema)) {
    return `${path}: must be ${(e.schema as Record<string, unknown>[]).map(shape).join(" or ")}`;
  }
  if (e.keyword === "pattern" && e.instancePath.endsWith("/manifests")) {
    return `${path}: must not be empty or whitespace only`;
  }
  return `${path}: ${e.message ?? "is invalid"}`;
}

/** Names the shape a (simple) subschema allows, for anyOf messages. */
function shape(s: Record<string, unknown>): string {
  if (s.type === "object" && s.maxProperties === 0) return "an empty object {}";
  const t = Array.isArray(s.type) ? s.type.join("/") : String(s.type ?? "a value");
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** Throws a CapstanError (code `invalid-message`) naming the message and JSON path unless `value` is a valid `name` message. */
export function validateMessage<N extends MessageName>(
  name: N,
  value: unknown,
): asserts value is MessageTypes[N] {
  if (!messageNames.includes(name)) {
    throw new CapstanError("unknown-message", `unknown message name "${name}"`, {
      hint: `use one of: ${messageNames.join(", ")}`,
      exitCode: ExitCode.usage,
    });
  }
  const v = validatorFor(name);
  if (v(value)) return;
  // Branch errors of an anyOf come before the anyOf itself; the anyOf says it better.
  const first = v.errors?.find((e) => e.keyword === "anyOf") ?? v.errors?.[0];
  throw new CapstanError(
    "invalid-message",
    `invalid ${name} message: ${first ? describe(first) : "does not match its schema"}`,
    {
      hint: `the message must match schemas/${name.replace(".", ".v1.")}.json; see docs/messages.md`,
      exitCode: ExitCode.manifest,
    },
  );
}
