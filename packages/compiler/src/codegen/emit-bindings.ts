// Emits the PDK-facing files: interface.d.ts (the capstan-js/extism-js interface file),
// host.ts (typed wrappers around `extism:host/user` imports), index.ts (one Wasm export per
// schema export: decode input, call the author's function in main.ts, encode output) and a
// main.ts stub for the author (written only when absent).
import { doc, tsType } from "./emit-types.js";
import type { CodegenModel, FunctionDef, Param } from "./model.js";

/** Types the generated code imports from types.ts (refs anywhere in the signatures). */
function refsOf(fns: FunctionDef[]): string[] {
  const out = new Set<string>();
  const walk = (s: string): void => {
    for (const m of s.matchAll(/\b([A-Z][A-Za-z0-9_]*)\b/g))
      if (m[1] && !["Date", "Uint8Array", "Array", "Record"].includes(m[1])) out.add(m[1]);
  };
  for (const f of fns) {
    if (f.input) walk(tsType(f.input.type));
    if (f.output) walk(tsType(f.output.type));
  }
  return [...out].sort();
}

/** Statement(s) that decode a top-level value held in memory handle / input. */
function decodeTop(p: Param, raw: { text: string; bytes: string; json: string }, path: string): string {
  switch (p.contentType) {
    case "text/plain; charset=utf-8":
      return raw.text;
    case "application/x-binary":
      return `new Uint8Array(${raw.bytes})`;
    case "application/json":
      return `${topDecoder(p)}(${raw.json}, ${JSON.stringify(path)})`;
  }
}

// generate() names every top-level JSON type (see nameTopLevelTypes), so it is a ref here.
function refName(p: Param): string {
  if (p.type.kind !== "ref" || p.type.nullable)
    throw new Error("codegen: top-level JSON types must be named");
  return p.type.name;
}
function topDecoder(p: Param): string {
  return `decode${refName(p)}`;
}

/** The interface file capstan-js and extism-js read: exports and host imports. */
export function emitInterface(model: CodegenModel, header: string): string {
  const exps = model.exports.map((f) => `${doc(f.description, "  ")}  export function ${f.name}(): I32;`);
  const imps = model.imports.map(
    (f) =>
      `${doc(f.description, "    ")}    ${f.name}(${f.input ? "ptr: I64" : ""}): ${f.output ? "I64" : "void"};`,
  );
  let out = `${header}\ndeclare module "main" {\n${exps.join("\n")}\n}\n`;
  if (imps.length > 0)
    out += `\ndeclare module "extism:host" {\n  interface user {\n${imps.join("\n")}\n  }\n}\n`;
  return out;
}

/** host.ts: one typed function per host import; null when the schema has no imports. */
export function emitHost(model: CodegenModel, header: string): string | null {
  if (model.imports.length === 0) return null;
  const types = refsOf(model.imports);
  const decoders = model.imports.flatMap((f) =>
    f.output?.contentType === "application/json" && f.output.type.kind === "ref" && !f.output.type.nullable
      ? [`decode${f.output.type.name}`]
      : [],
  );
  const encoders = model.imports.flatMap((f) =>
    f.input?.contentType === "application/json" && f.input.type.kind === "ref" && !f.input.type.nullable
      ? [`encode${f.input.type.name}`]
      : [],
  );
  const imports = [...new Set([...decoders, ...encoders])].sort();
  const lines: string[] = [header, "// biome-ignore-all lint: generated code"];
  if (types.length > 0) lines.push(`import type { ${types.join(", ")} } from "./types.js";`);
  if (imports.length > 0) lines.push(`import { ${imports.join(", ")} } from "./types.js";`);
  lines.push(
    "",
    "let fns: ReturnType<typeof Host.getFunctions> | undefined;",
    "/** The host's functions, looked up on first use (not during snapshot). */",
    "function hostFunctions(): ReturnType<typeof Host.getFunctions> {",
    "  fns ??= Host.getFunctions();",
    "  return fns;",
    "}",
  );
  for (const f of model.imports) {
    const inType = f.input ? tsType(f.input.type) : undefined;
    const outType = f.output ? tsType(f.output.type) : "void";
    const body: string[] = [];
    if (f.input) {
      const arg =
        f.input.contentType === "application/json"
          ? `Memory.fromString(JSON.stringify(encode${refName(f.input)}(input)))`
          : f.input.contentType === "application/x-binary"
            ? "Memory.fromBuffer(input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength))"
            : "Memory.fromString(input)";
      body.push(`  const mem = ${arg};`);
      body.push(`  try {`);
    }
    const ind = f.input ? "    " : "  ";
    const invoke = `hostFunctions().${f.name}(${f.input ? "mem.offset" : ""})`;
    if (f.output) {
      body.push(`${ind}const out = Memory.find(${invoke});`);
      body.push(`${ind}try {`);
      const value = decodeTop(
        f.output,
        { text: "out.readString()", bytes: "out.readBytes()", json: "out.readJsonObject()" },
        `result of host function ${f.name}`,
      );
      body.push(`${ind}  return ${value};`);
      body.push(`${ind}} finally {`, `${ind}  out.free();`, `${ind}}`);
    } else {
      body.push(`${ind}${invoke};`);
    }
    if (f.input) body.push("  } finally {", "    mem.free();", "  }");
    lines.push(
      "",
      `${doc(f.description)}export function ${f.name}(${inType ? `input: ${inType}` : ""}): ${outType} {`,
      ...body,
      "}",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** index.ts: the Wasm exports. Each decodes its input, calls main.ts, encodes the output. */
export function emitIndex(model: CodegenModel, header: string): string {
  const decoders = model.exports.flatMap((f) =>
    f.input?.contentType === "application/json" && f.input.type.kind === "ref" && !f.input.type.nullable
      ? [`decode${f.input.type.name}`]
      : [],
  );
  const encoders = model.exports.flatMap((f) =>
    f.output?.contentType === "application/json" && f.output.type.kind === "ref" && !f.output.type.nullable
      ? [`encode${f.output.type.name}`]
      : [],
  );
  const imports = [...new Set([...decoders, ...encoders])].sort();
  const lines: string[] = [header, "// biome-ignore-all lint: generated code"];
  lines.push(`import * as impl from "./main.js";`);
  if (imports.length > 0) lines.push(`import { ${imports.join(", ")} } from "./types.js";`);
  for (const f of model.exports) {
    const body: string[] = [];
    if (f.input) {
      const value = decodeTop(
        f.input,
        { text: "Host.inputString()", bytes: "Host.inputBytes()", json: "JSON.parse(Host.inputString())" },
        "input",
      );
      body.push(`  const input = ${value};`);
    }
    const invoke = `impl.${f.name}(${f.input ? "input" : ""})`;
    if (f.output) {
      body.push(`  const output = ${invoke};`);
      switch (f.output.contentType) {
        case "text/plain; charset=utf-8":
          body.push("  Host.outputString(output);");
          break;
        case "application/x-binary":
          body.push(
            "  Host.outputBytes(output.buffer.slice(output.byteOffset, output.byteOffset + output.byteLength));",
          );
          break;
        case "application/json": {
          body.push(`  Host.outputString(JSON.stringify(encode${refName(f.output)}(output)));`);
        }
      }
    } else {
      body.push(`  ${invoke};`);
    }
    body.push("  return 0;");
    lines.push("", `${doc(f.description)}export function ${f.name}(): number {`, ...body, "}");
  }
  return `${lines.join("\n")}\n`;
}

/** main.ts: the author's implementation stub, one function per export. */
export function emitMainStub(model: CodegenModel): string {
  const types = refsOf(model.exports);
  const lines = [
    "// Your plugin: implement each export below. Generated once by `capstan plugin codegen`; edit freely.",
  ];
  if (types.length > 0) lines.push(`import type { ${types.join(", ")} } from "./types.js";`);
  if (model.imports.length > 0)
    lines.push(
      `// Host functions: import { ${model.imports.map((f) => f.name).join(", ")} } from "./host.js";`,
    );
  for (const f of model.exports) {
    const params = f.input ? `input: ${tsType(f.input.type)}` : "";
    const out = f.output ? tsType(f.output.type) : "void";
    lines.push(
      "",
      `${doc(f.description)}export function ${f.name}(${params}): ${out} {`,
      `  throw new Error("${f.name}: not implemented");`,
      "}",
    );
  }
  return `${lines.join("\n")}\n`;
}
