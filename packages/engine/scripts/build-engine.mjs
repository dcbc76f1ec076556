#!/usr/bin/env node
// Builds build/engine.wasm: QuickJS (Debian source package, cached under .cache/) + csrc/ glue,
// compiled with Debian's clang for wasm32-wasi. Skips the work when build/engine.stamp says
// the same inputs were already built. Run from the package directory (pnpm build does).
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(pkg, "../..");
const toolchainScript = join(repo, "tools/setup/engine-toolchain.sh");
const QJS_DIR = "quickjs-2025.04.26";
const QJS_VERSION = "2025-04-26";
const cache = join(pkg, ".cache");
const out = join(pkg, "build");
const srcDir = join(cache, QJS_DIR);
// libyaml (Debian source package libyaml 0.2.5): the YAML parser and emitter under capstan-yaml.c.
const yamlDir = join(cache, "libyaml-0.2.5");
const yamlUnits = ["api.c", "reader.c", "scanner.c", "parser.c", "emitter.c", "writer.c"];
const log = (m) => process.stderr.write(`engine: ${m}\n`);
// libmd (Debian source package libmd 1.1.0, orig tarball): OpenBSD's sha1.c/sha2.c, compiled
// through csrc/libmd-sha1.c and csrc/libmd-sha2.c (capstan-hash.c adds HMAC and the JS API).
const mdDir = join(cache, "libmd-1.1.0");
const mdFiles = ["src/sha1.c", "src/sha2.c", "src/local-link.h", "include/sha1.h", "include/sha2.h"];

function sh(args, opts = {}) {
  return (
    execFileSync("bash", [toolchainScript, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      ...opts,
    }) ?? ""
  ).trim();
}

// Source edits needed for wasm32-wasi (engine-notes). Each must apply exactly: a new QuickJS
// version that changes these lines fails loudly instead of building something different.
const patches = {
  "quickjs.c": [
    [
      "#if !defined(EMSCRIPTEN)\n#define CONFIG_ATOMICS",
      "#if !defined(EMSCRIPTEN) && !defined(__wasi__)\n#define CONFIG_ATOMICS",
    ],
    // Lets the glue name an out-of-memory failure whose error object could not be allocated.
    [
      "JSValue JS_ThrowOutOfMemory(JSContext *ctx)\n{\n",
      "JSValue JS_ThrowOutOfMemory(JSContext *ctx)\n{\n    capstan_oom_hit = 1;\n",
    ],
    // During the snapshot, freed memory is zeroed so garbage does not end up in plugin.wasm.
    // explicit_bzero, not memset: clang -O2 deletes a memset right before free() as a dead
    // store, which left every freed parser buffer (copies of the bundle) in the snapshot.
    [
      "    s->malloc_count--;\n    s->malloc_size -= js_def_malloc_usable_size(ptr) + MALLOC_OVERHEAD;\n    free(ptr);",
      "    s->malloc_count--;\n    s->malloc_size -= js_def_malloc_usable_size(ptr) + MALLOC_OVERHEAD;\n    if (capstan_zero_on_free) explicit_bzero(ptr, js_def_malloc_usable_size(ptr));\n    free(ptr);",
    ],
    [
      "    if (s->malloc_size + size - old_size > s->malloc_limit)\n        return NULL;\n\n    ptr = realloc(ptr, size);",
      "    if (s->malloc_size + size - old_size > s->malloc_limit)\n        return NULL;\n\n    if (capstan_zero_on_free) {\n        void *np = malloc(size);\n        if (!np)\n            return NULL;\n        memcpy(np, ptr, old_size < size ? old_size : size);\n        explicit_bzero(ptr, old_size);\n        free(ptr);\n        ptr = np;\n    } else\n    ptr = realloc(ptr, size);",
    ],
  ],
  "dtoa.c": [["#include <setjmp.h>\n", "/* capstan: no setjmp on wasi */\n"]],
};
// libyaml allocates through capstan-yaml.c, which charges the QuickJS runtime (memory cap).
const yamlPatches = {
  "api.c": [
    ["    return malloc(size ? size : 1);", "    return capstan_yaml_realloc(NULL, size ? size : 1);"],
    [
      "    return ptr ? realloc(ptr, size ? size : 1) : malloc(size ? size : 1);",
      "    return capstan_yaml_realloc(ptr, size ? size : 1);",
    ],
    ["    if (ptr) free(ptr);", "    if (ptr) capstan_yaml_free(ptr);"],
    [
      "    return (yaml_char_t *)strdup((char *)str);",
      "    size_t n = strlen((char *)str) + 1;\n    yaml_char_t *d = capstan_yaml_realloc(NULL, n);\n    if (d) memcpy(d, str, n);\n    return d;",
    ],
  ],
};
const yamlPrefix =
  "#include <stddef.h>\nvoid *capstan_yaml_realloc(void *p, size_t n);\nvoid capstan_yaml_free(void *p);\n";
// JSON.stringify fast path for plain data (csrc/quickjs-json-fast.h, appended to quickjs.c):
// tried first when there is no replacer; on "bail" the standard algorithm runs from scratch.
patches["quickjs.c"].push(
  [
    "JSValue JS_JSONStringify(JSContext *ctx, JSValueConst obj,\n",
    "static int capstan_json_fast(JSContext *ctx, StringBuffer *b, JSValueConst val, JSValueConst gap);\nJSValue JS_JSONStringify(JSContext *ctx, JSValueConst obj,\n",
  ],
  [
    "    wrapper = JS_NewObject(ctx);\n    if (JS_IsException(wrapper))\n        goto exception;\n    if (JS_DefinePropertyValue(ctx, wrapper, JS_ATOM_empty_string,",
    "    if (JS_IsUndefined(jsc->replacer_func) && JS_IsUndefined(jsc->property_list)) {\n        res = capstan_json_fast(ctx, jsc->b, obj, jsc->gap);\n        if (res < 0)\n            goto exception;\n        if (res == 0) {\n            ret = string_buffer_end(jsc->b);\n            goto done;\n        }\n        if (res == 2)\n            goto done1;\n        string_buffer_free(jsc->b);\n        if (string_buffer_init(ctx, jsc->b, 0))\n            goto exception;\n    }\n    wrapper = JS_NewObject(ctx);\n    if (JS_IsException(wrapper))\n        goto exception;\n    if (JS_DefinePropertyValue(ctx, wrapper, JS_ATOM_empty_string,",
  ],
);
// JSON.parse: a new key goes straight to add_property and a next element straight into the
// fast array (the generic define path re-checks what a fresh object cannot have).
patches["quickjs.c"].push(
  [
    "                    ret = JS_DefinePropertyValue(ctx, val, prop_name,\n                                                 prop_val, JS_PROP_C_W_E);\n",
    "                    ret = capstan_json_define(ctx, val, prop_name, prop_val);\n",
  ],
  [
    "                    ret = JS_DefinePropertyValueUint32(ctx, val, idx, el, JS_PROP_C_W_E);\n",
    "                    if (JS_VALUE_GET_OBJ(val)->fast_array && idx == JS_VALUE_GET_OBJ(val)->u.array.count)\n                        ret = add_fast_array_element(ctx, JS_VALUE_GET_OBJ(val), el, 0);\n                    else\n                        ret = JS_DefinePropertyValueUint32(ctx, val, idx, el, JS_PROP_C_W_E);\n",
  ],
  [
    "static JSValue json_parse_value(JSParseState *s)\n{",
    "static int capstan_json_define(JSContext *ctx, JSValueConst obj, JSAtom prop, JSValue val);\nstatic JSValue json_parse_value(JSParseState *s)\n{",
  ],
);
// JSON.parse errors name the line and column (QuickJS puts them only in the stack trace).
patches["quickjs.c"].push(
  [
    '    obj = JS_ParseJSON(ctx, str, len, "<input>");\n',
    "    obj = JS_ParseJSON(ctx, str, len, capstan_json_input);\n",
  ],
  [
    "    line_num = get_line_col(&col_num, s->buf_start, ptr - s->buf_start);\n    JS_ThrowError2(ctx, JS_SYNTAX_ERROR, fmt, ap, FALSE);\n",
    '    line_num = get_line_col(&col_num, s->buf_start, ptr - s->buf_start);\n    if (s->filename == capstan_json_input) {\n        char msg[200];\n        vsnprintf(msg, sizeof msg, fmt, ap);\n        JS_ThrowSyntaxError(ctx, "%s in JSON at line %d, column %d", msg, line_num + 1, col_num + 1);\n    } else\n    JS_ThrowError2(ctx, JS_SYNTAX_ERROR, fmt, ap, FALSE);\n',
  ],
);
// JSON.stringify nests at most 1000 levels: deeper, the recursion would exhaust the host's
// native stack ("Maximum call stack size exceeded" traps the whole call) before QuickJS's check.
patches["quickjs.c"].push([
  "        v = js_array_push(ctx, jsc->stack, 1, (JSValueConst *)&val, 0);\n",
  '        if (JS_VALUE_GET_OBJ(jsc->stack)->u.array.count >= 1000) {\n            JS_ThrowInternalError(ctx, "stack overflow (JSON.stringify nests at most 1000 levels)");\n            goto exception;\n        }\n        v = js_array_push(ctx, jsc->stack, 1, (JSValueConst *)&val, 0);\n',
]);
// JSON.parse: numbers are checked against JSON's grammar (QuickJS's js_atof also takes "1." and
// "-01"); integers of up to 9 digits become ints without the general number parser.
patches["quickjs.c"].push(
  [
    "                flags = ATOD_ACCEPT_BIN_OCT;\n                radix = 0;\n            }\n            ret = js_atof(s->ctx, (const char *)p, (const char **)&p, radix,\n                          flags);\n",
    "                flags = ATOD_ACCEPT_BIN_OCT;\n                radix = 0;\n            }\n            if (s->ext_json || !capstan_json_number(s, &p, &ret))\n            ret = js_atof(s->ctx, (const char *)p, (const char **)&p, radix,\n                          flags);\n",
  ],
  [
    "static __exception int json_next_token(JSParseState *s)\n{",
    "static BOOL capstan_json_number(JSParseState *s, const uint8_t **pp, JSValue *out);\nstatic __exception int json_next_token(JSParseState *s)\n{",
  ],
);
// JSON.parse: plain data goes through the native parser (csrc/quickjs-json-parse.h; its scanner
// is appended once per string width); on "bail" (JS_UNINITIALIZED) QuickJS's parser runs.
patches["quickjs.c"].push(
  [
    "    str = JS_ToCStringLen(ctx, &len, argv[0]);\n    if (!str)\n        return JS_EXCEPTION;\n    obj = JS_ParseJSON(ctx, str, len, capstan_json_input);\n    JS_FreeCString(ctx, str);\n    if (JS_IsException(obj))\n        return obj;\n",
    "    obj = JS_UNINITIALIZED;\n    if (JS_VALUE_GET_TAG(argv[0]) == JS_TAG_STRING || JS_VALUE_GET_TAG(argv[0]) == JS_TAG_STRING_ROPE)\n        obj = capstan_json_parse(ctx, argv[0]);\n    if (JS_IsException(obj))\n        return obj;\n    if (JS_VALUE_GET_TAG(obj) == JS_TAG_UNINITIALIZED) {\n    str = JS_ToCStringLen(ctx, &len, argv[0]);\n    if (!str)\n        return JS_EXCEPTION;\n    obj = JS_ParseJSON(ctx, str, len, capstan_json_input);\n    JS_FreeCString(ctx, str);\n    if (JS_IsException(obj))\n        return obj;\n    }\n",
  ],
  [
    "static JSValue js_json_parse(JSContext *ctx, JSValueConst this_val,\n",
    "static JSValue capstan_json_parse(JSContext *ctx, JSValueConst text);\nstatic JSValue js_json_parse(JSContext *ctx, JSValueConst this_val,\n",
  ],
);
const quickjsAppendFiles = [
  "quickjs-json-fast.h",
  "quickjs-json-parse.h",
  ["quickjs-json-parse-scan.h", "#define CJP_WIDE 0"],
  ["quickjs-json-parse-scan.h", "#define CJP_WIDE 1"],
];
// Appended to quickjs.c: access to private context state the glue needs.
const quickjsAppend = `
/* capstan: reseed Math.random after a snapshot (every instance would repeat the same values). */
void JS_CapstanSetRandomSeed(JSContext *ctx, uint64_t seed) { ctx->random_state = seed ? seed : 1; }
`;
const units = ["quickjs.c", "libregexp.c", "libunicode.c", "cutils.c", "dtoa.c"];
const glue = readdirSync(join(pkg, "csrc"))
  .filter((f) => f.endsWith(".c"))
  .sort();

function ensureSource() {
  if (!existsSync(join(yamlDir, ".capstan-source"))) {
    log("fetching libyaml 0.2.5 (Debian source package) into .cache/");
    sh(["yaml-source", yamlDir], { stdio: ["ignore", "inherit", "inherit"] });
  }
  if (!existsSync(join(mdDir, ".capstan-source"))) {
    log("fetching libmd 1.1.0 (Debian source package) into .cache/");
    sh(["libmd-source", mdDir], { stdio: ["ignore", "inherit", "inherit"] });
  }
  if (existsSync(join(srcDir, ".capstan-source"))) return;
  log(`fetching QuickJS ${QJS_VERSION} (Debian source package) into .cache/`);
  sh(["source", srcDir], { stdio: ["ignore", "inherit", "inherit"] });
}

// The compiler: Debian's clang (installed by the setup script when missing), else the npm
// fallback @yowasp/clang (LLVM compiled to Wasm; ~4x slower, not a dependency: install it
// with `pnpm add -D @yowasp/clang` in this package, or point CAPSTAN_YOWASP_CLANG at its
// gen/bundle.js). CAPSTAN_ENGINE_CC=yowasp forces the fallback.
async function yowasp() {
  const spec = process.env.CAPSTAN_YOWASP_CLANG
    ? pathToFileURL(process.env.CAPSTAN_YOWASP_CLANG).href
    : "@yowasp/clang";
  try {
    const mod = await import(spec);
    return { kind: "yowasp", clang: "@yowasp/clang", version: "yowasp", runClang: mod.runClang };
  } catch {
    return undefined;
  }
}

async function ensureClang() {
  if (process.env.CAPSTAN_ENGINE_CC === "yowasp") {
    const y = await yowasp();
    if (!y) throw new Error("engine: CAPSTAN_ENGINE_CC=yowasp but @yowasp/clang cannot be imported");
    return y;
  }
  try {
    const v = sh(["clang-version"]);
    return { kind: "debian", clang: `clang-${v}`, version: v };
  } catch {}
  try {
    log("installing the wasm32-wasi toolchain (Debian packages)");
    sh(["toolchain"], { stdio: ["ignore", "inherit", "inherit"] });
    const v = sh(["clang-version"]);
    return { kind: "debian", clang: `clang-${v}`, version: v };
  } catch (e) {
    const y = await yowasp();
    if (y) {
      log("Debian toolchain unavailable: using @yowasp/clang (slower)");
      return y;
    }
    throw new Error(
      `engine: no wasm32-wasi C compiler: ${e.message}\nhint: run tools/setup/engine-toolchain.sh toolchain as root, or pnpm add -D @yowasp/clang in packages/engine`,
    );
  }
}

// One @yowasp/clang run over an in-memory tree holding every source file.
async function buildWithYowasp(cc, qjs, cflags, ldflags, dest) {
  const tree = { qjs: {}, csrc: {} };
  for (const f of readdirSync(qjs)) if (/\.[ch]$/.test(f)) tree.qjs[f] = readFileSync(join(qjs, f));
  for (const f of readdirSync(join(pkg, "csrc"))) tree.csrc[f] = readFileSync(join(pkg, "csrc", f));
  tree.yaml = {};
  for (const f of readdirSync(join(cache, "patched-yaml")))
    tree.yaml[f] = readFileSync(join(cache, "patched-yaml", f));
  tree.md = {};
  for (const f of readdirSync(join(cache, "patched-md")))
    tree.md[f] = readFileSync(join(cache, "patched-md", f));
  const files = [
    ...units.map((u) => `qjs/${u}`),
    ...yamlUnits.map((u) => `yaml/${u}`),
    ...glue.map((g) => `csrc/${g}`),
  ];
  const args = ["clang", ...cflags, ...ldflags, ...files, "-o", "engine.wasm"];
  const outTree = await cc.runClang(args, tree, { stderr: (b) => b && process.stderr.write(b) });
  writeFileSync(dest, outTree["engine.wasm"]);
}

// Debian's clang also searches /usr/include (glibc headers): give it a sysroot that holds only
// the wasm32-wasi headers and libraries from the wasi-libc package.
function ensureSysroot() {
  const root = join(cache, "wasi-sysroot");
  if (!existsSync(join(root, "lib/wasm32-wasi/libc.a"))) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(join(root, "include"), { recursive: true });
    mkdirSync(join(root, "lib"), { recursive: true });
    symlinkSync("/usr/include/wasm32-wasi", join(root, "include/wasm32-wasi"));
    symlinkSync("/usr/lib/wasm32-wasi", join(root, "lib/wasm32-wasi"));
  }
  return root;
}

function patchedSources() {
  const dir = join(cache, "patched");
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(srcDir)) {
    if (!/\.[ch]$/.test(f)) continue;
    let text = readFileSync(join(srcDir, f), "utf8");
    for (const [from, to] of patches[f] ?? []) {
      if (!text.includes(from))
        throw new Error(
          `engine: patch for ${f} does not apply (QuickJS source changed?): ${JSON.stringify(from)}`,
        );
      text = text.replace(from, to);
    }
    if (f === "quickjs.c")
      text = `#ifdef __wasi__\n#include <malloc.h> /* capstan: malloc_usable_size */\n#endif\nint capstan_zero_on_free, capstan_oom_hit;\nstatic const char capstan_json_input[] = "<input>";\n${text}${quickjsAppend}`;
    if (f === "quickjs.c")
      for (const h of quickjsAppendFiles) {
        const [file, prefix] = Array.isArray(h) ? h : [h, ""];
        text += `\n${prefix}\n${readFileSync(join(pkg, "csrc", file), "utf8")}`;
      }
    const dest = join(dir, f);
    if (!existsSync(dest) || readFileSync(dest, "utf8") !== text) writeFileSync(dest, text);
  }
  return dir;
}

// libmd's files flat in one directory, with the empty config.h its autoconf build would make.
function libmdSources() {
  const dir = join(cache, "patched-md");
  mkdirSync(dir, { recursive: true });
  const files = [...mdFiles.map((rel) => [rel.split("/").pop(), readFileSync(join(mdDir, rel), "utf8")])];
  files.push(["config.h", "/* capstan: libmd needs no configuration on wasm32 (little-endian) */\n"]);
  for (const [f, text] of files) {
    const dest = join(dir, f);
    if (!existsSync(dest) || readFileSync(dest, "utf8") !== text) writeFileSync(dest, text);
  }
  return dir;
}

// libyaml's sources and headers, flat in one directory, with yamlPatches applied.
function patchedYamlSources() {
  const dir = join(cache, "patched-yaml");
  mkdirSync(dir, { recursive: true });
  const files = [...yamlUnits.map((u) => `src/${u}`), "src/yaml_private.h", "include/yaml.h"];
  for (const rel of files) {
    const f = rel.split("/").pop();
    let text = readFileSync(join(yamlDir, rel), "utf8");
    for (const [from, to] of yamlPatches[f] ?? []) {
      if (!text.includes(from))
        throw new Error(`engine: patch for libyaml ${f} does not apply: ${JSON.stringify(from)}`);
      text = text.replace(from, to);
    }
    if (yamlPatches[f]) text = `${yamlPrefix}${text}`;
    const dest = join(dir, f);
    if (!existsSync(dest) || readFileSync(dest, "utf8") !== text) writeFileSync(dest, text);
  }
  return dir;
}

function run(cmd, args) {
  return new Promise((ok, fail) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
    p.on("error", fail);
    p.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`${cmd} exited with ${code}`))));
  });
}

/**
 * quickjs.c (the interpreter and the JSON fast paths appended to it) at -O2; every other unit
 * at -Os: 10-20 KB less code to compile on every plugin call. quickjs.c stays at -O2 because
 * its recursion (parser, JSON, calls) was measured against V8's native stack at -O2: at -Os it
 * takes more native stack per level and the stack-overflow tests trap (docs/decisions.md).
 * The @yowasp/clang fallback compiles every unit in one call, at -O2.
 */
function unitFlags(cflags, file) {
  return file.endsWith("quickjs.c") ? cflags : cflags.map((f) => (f === "-O2" ? "-Os" : f));
}

async function main() {
  const t0 = performance.now();
  ensureSource();
  const cc = await ensureClang();
  const { clang, version } = cc;
  const qjs = patchedSources();
  const yamlSrc = patchedYamlSources();
  const md = libmdSources();
  const target =
    cc.kind === "yowasp"
      ? ["--target=wasm32-wasip1"]
      : ["--target=wasm32-wasi", `--sysroot=${ensureSysroot()}`];
  const cflags = [
    ...target,
    "-O2",
    // memcpy/memset become memory.copy/fill (native in every engine; wasi-libc's are byte loops)
    "-mbulk-memory",
    "-mnontrapping-fptoint",
    `-ffile-prefix-map=${pkg}=.`,
    `-DCONFIG_VERSION="${QJS_VERSION}"`,
    "-D_GNU_SOURCE",
    "-Wno-unused-but-set-variable",
    "-Wno-implicit-const-int-float-conversion",
    cc.kind === "yowasp" ? "-Iqjs" : `-I${qjs}`,
    cc.kind === "yowasp" ? "-Iyaml" : `-I${yamlSrc}`,
    "-DYAML_DECLARE_STATIC",
    '-DYAML_VERSION_STRING="0.2.5"',
    "-DYAML_VERSION_MAJOR=0",
    "-DYAML_VERSION_MINOR=2",
    "-DYAML_VERSION_PATCH=5",
    cc.kind === "yowasp" ? "-Imd" : `-I${md}`,
  ];
  const ldflags = ["-mexec-model=reactor", "-Wl,-z,stack-size=1048576", "-Wl,--strip-debug"];
  const hash = createHash("sha256");
  hash.update(
    JSON.stringify({ cflags: cflags.map((f) => f.replace(pkg, "")), ldflags, version, units, glue }),
  );
  for (const f of units) hash.update(readFileSync(join(qjs, f)));
  for (const f of readdirSync(yamlSrc).sort()) hash.update(f).update(readFileSync(join(yamlSrc, f)));
  for (const f of readdirSync(md).sort()) hash.update(f).update(readFileSync(join(md, f)));
  for (const f of readdirSync(join(pkg, "csrc")).sort())
    hash.update(f).update(readFileSync(join(pkg, "csrc", f)));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  const stamp = hash.digest("hex");
  const stampFile = join(out, "engine.stamp");
  if (
    existsSync(join(out, "engine.wasm")) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, "utf8").trim() === stamp
  ) {
    log("build/engine.wasm is up to date");
    return;
  }
  mkdirSync(out, { recursive: true });
  if (cc.kind === "yowasp") {
    const tmp = join(out, "engine.wasm.tmp");
    await buildWithYowasp(cc, qjs, cflags, ldflags, tmp);
    renameSync(tmp, join(out, "engine.wasm"));
    writeFileSync(stampFile, `${stamp}\n`);
    log(`built build/engine.wasm with @yowasp/clang in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return;
  }
  const obj = join(cache, "obj");
  mkdirSync(obj, { recursive: true });
  const jobs = [
    ...units.map((u) => join(qjs, u)),
    ...yamlUnits.map((u) => join(yamlSrc, u)),
    ...glue.map((g) => join(pkg, "csrc", g)),
  ];
  // Two at a time: CI machines have two cores and quickjs.c dominates.
  const queue = [...jobs];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const o = join(obj, `${f.split("/").pop().replace(/\.c$/, "")}.o`);
      await run(clang, [...unitFlags(cflags, f), "-c", f, "-o", o]);
    }
  };
  await Promise.all([worker(), worker()]);
  const tmp = join(out, "engine.wasm.tmp");
  const objs = jobs.map((f) => join(obj, `${f.split("/").pop().replace(/\.c$/, "")}.o`));
  await run(clang, [...cflags, ...ldflags, ...objs, "-o", tmp]);
  renameSync(tmp, join(out, "engine.wasm"));
  writeFileSync(stampFile, `${stamp}\n`);
  const size = readFileSync(join(out, "engine.wasm")).length;
  log(
    `built build/engine.wasm (${(size / 1024).toFixed(0)} KB, ${clang}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
