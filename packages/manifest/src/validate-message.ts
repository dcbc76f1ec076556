// Runtime validation of plugin messages against the schemas. Each validator is compiled on
// first use and kept: compiling costs milliseconds, validating microseconds.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
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

let ajv: Ajv | undefined;
const validators = new Map<MessageName, ValidateFunction>();

function validatorFor(name: MessageName): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    // tsType is a json-schema-to-typescript annotation; allErrors off: the first error is enough.
    ajv ??= new Ajv({ strict: true, allowUnionTypes: true, verbose: true, keywords: ["tsType"] });
    v = ajv.compile(messageSchemas[name]);
    validators.set(name, v);
  }
  return v;
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
