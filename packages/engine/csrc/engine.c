// Engine entry points: `capstan_init` (run once under Wizer: evaluates the scripts and keeps
// the initialized heap in the snapshot) and `capstan_call(i)` (export i of the interface file,
// bound by NAME to module.exports[name]). Per call: deadline, memory limit, microtask drain,
// error mapping. Per instance (first call after the snapshot): reseed Math.random.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "engine.h"
#include "kernel.h"

JSRuntime *cap_rt;
JSContext *cap_ctx;
CapHostFn *cap_host_fns;
uint32_t cap_host_fn_count;

static char **export_names;
static uint32_t export_count;
static JSValue module_obj = JS_UNDEFINED; /* `module` of the CommonJS bundle, or the global */
static int instance_ready;                /* 0 in the snapshot: first call of each instance */
static double deadline_ms;                /* 0 = no deadline */
static double timeout_ms = 30000;         /* config "capstan.timeout_ms" */
static size_t memory_limit = 512u << 20;  /* config "capstan.memory_mb" */

/* QuickJS counts its own (shadow) stack use; V8 traps when the native stack runs out, which
   leaves the instance corrupt, so QuickJS must give up first. Measured on Node 20 (984 KB
   native stack): JS recursion uses ~1 KB shadow and ~1.6 KB native per frame; a bare `node`
   caller traps at ~600 frames, a caller deep in Jest already at < 263. 128 KB (131 frames)
   is what holds everywhere; config "capstan.stack_kb" raises it for hosts with more stack. */
#define CAP_STACK_LIMIT (128 * 1024)
#define CAP_MAX_STACK_LINES 40

extern void __wasm_call_ctors(void);
extern int capstan_zero_on_free; /* patched quickjs.c: zero freed blocks (snapshot hygiene) */
extern char __data_end;

/* Frees a buffer after clearing it, so its bytes do not end up in the snapshot
   (explicit_bzero: the compiler drops a plain memset before free as a dead store). */
static void free_zeroed(void *p, size_t n) {
  if (!p) return;
  explicit_bzero(p, n);
  free(p);
}

double cap_deadline_ms(void) { return deadline_ms; }

static int interrupt_handler(JSRuntime *rt, void *opaque) {
  (void)rt;
  (void)opaque;
  return deadline_ms > 0 && cap_hrtime_ms() > deadline_ms;
}

/* ---------- init ---------- */

typedef struct {
  const uint8_t *p, *end;
} Reader;

static int rd_u32(Reader *r, uint32_t *v) {
  if (r->end - r->p < 4) return -1;
  memcpy(v, r->p, 4);
  r->p += 4;
  return 0;
}

static int rd_u8(Reader *r, uint8_t *v) {
  if (r->p >= r->end) return -1;
  *v = *r->p++;
  return 0;
}

static int rd_str(Reader *r, char **s, uint32_t *len) {
  uint32_t n;
  if (rd_u32(r, &n) || (uint32_t)(r->end - r->p) < n) return -1;
  *s = malloc(n + 1);
  memcpy(*s, r->p, n);
  (*s)[n] = 0;
  r->p += n;
  if (len) *len = n;
  return 0;
}

/* Reads all of stdin; grows by copying so no stale copy is left behind. */

static uint8_t *read_stdin(size_t *len) {
  size_t cap = 1 << 20, n = 0;
  uint8_t *buf = malloc(cap);
  for (;;) {
    if (n == cap) {
      uint8_t *bigger = malloc(cap * 2);
      memcpy(bigger, buf, n);
      free_zeroed(buf, cap);
      buf = bigger;
      cap *= 2;
    }
    ssize_t k = read(0, buf + n, cap - n);
    if (k <= 0) break;
    n += (size_t)k;
  }
  *len = n;
  return buf;
}

static void die(const char *what) {
  fprintf(stderr, "capstan engine: %s\n", what);
  fflush(stderr);
  exit(1);
}

static char *format_error(JSContext *ctx, JSValueConst exc);

static void die_exception(JSContext *ctx, const char *during) {
  JSValue exc = JS_GetException(ctx);
  char *msg = format_error(ctx, exc);
  fprintf(stderr, "capstan engine: %s: %s\n", during, msg ? msg : "unknown error");
  fflush(stderr);
  exit(1);
}

/* Runs queued promise jobs; -1 when one failed with an uncatchable error (left pending). */
static int drain_jobs(JSContext *ctx) {
  JSContext *c;
  int r;
  while ((r = JS_ExecutePendingJob(JS_GetRuntime(ctx), &c)) > 0) {
  }
  return r;
}

/* Input on stdin (little-endian): "CAPSTAN\0", u32 version=1,
   u32 n, n x str export name;  u32 n, n x (str name, u8 nparams, params, u8 result);
   u32 n, n x (str filename, str source); where str = u32 length + bytes. */
__attribute__((export_name("capstan_init"))) void capstan_init(void) {
  __wasm_call_ctors();
  capstan_zero_on_free = 1;
  size_t len;
  uint8_t *in = read_stdin(&len);
  Reader r = {in, in + len};
  uint32_t version;
  if (len < 12 || memcmp(in, "CAPSTAN", 8) != 0) die("bad init input (magic)");
  r.p += 8;
  if (rd_u32(&r, &version) || version != 1) die("bad init input (version)");
  if (rd_u32(&r, &export_count)) die("bad init input (exports)");
  export_names = calloc(export_count ? export_count : 1, sizeof(char *));
  for (uint32_t i = 0; i < export_count; i++)
    if (rd_str(&r, &export_names[i], NULL)) die("bad init input (export name)");
  if (rd_u32(&r, &cap_host_fn_count)) die("bad init input (imports)");
  cap_host_fns = calloc(cap_host_fn_count ? cap_host_fn_count : 1, sizeof(CapHostFn));
  for (uint32_t i = 0; i < cap_host_fn_count; i++) {
    CapHostFn *f = &cap_host_fns[i];
    if (rd_str(&r, &f->name, NULL) || rd_u8(&r, &f->nparams) || f->nparams > CAP_MAX_PARAMS)
      die("bad init input (import)");
    for (uint32_t j = 0; j < f->nparams; j++)
      if (rd_u8(&r, &f->params[j])) die("bad init input (import params)");
    if (rd_u8(&r, &f->result)) die("bad init input (import result)");
  }

  cap_rt = JS_NewRuntime();
  /* Function source text is not kept (toString shows no body); line info stays for stacks. */
  JS_SetStripInfo(cap_rt, JS_STRIP_SOURCE);
  cap_ctx = JS_NewContext(cap_rt);
  /* Deterministic snapshots: JS_NewContext seeded Math.random from the clock (each instance
     reseeds on its first call anyway). */
  JS_CapstanSetRandomSeed(cap_ctx, 0x9e3779b97f4a7c15ULL);
  JS_SetMaxStackSize(cap_rt, CAP_STACK_LIMIT);
  JS_SetInterruptHandler(cap_rt, interrupt_handler, NULL);
  cap_install_global(cap_ctx);

  uint32_t nscripts;
  if (rd_u32(&r, &nscripts)) die("bad init input (scripts)");
  for (uint32_t i = 0; i < nscripts; i++) {
    char *file, *src;
    uint32_t srclen;
    if (rd_str(&r, &file, NULL) || rd_str(&r, &src, &srclen)) die("bad init input (script)");
    /* Our own scripts (capstan-*.js: bootstrap, PDK prelude) keep no debug info: smaller
       snapshots; the author's bundle keeps line numbers for mapped stack traces. */
    JS_SetStripInfo(cap_rt, strncmp(file, "capstan-", 8) == 0 ? JS_STRIP_DEBUG : JS_STRIP_SOURCE);
    JSValue v = JS_Eval(cap_ctx, src, srclen, file, JS_EVAL_TYPE_GLOBAL);
    if (JS_IsException(v)) die_exception(cap_ctx, file);
    JS_FreeValue(cap_ctx, v);
    if (drain_jobs(cap_ctx) < 0) die_exception(cap_ctx, file);
    free_zeroed(file, strlen(file));
    free_zeroed(src, srclen);
  }
  free_zeroed(in, len);

  JSValue global = JS_GetGlobalObject(cap_ctx);
  JSValue mod = JS_GetPropertyStr(cap_ctx, global, "module");
  if (JS_IsObject(mod)) {
    module_obj = mod;
    JS_FreeValue(cap_ctx, global);
  } else {
    JS_FreeValue(cap_ctx, mod);
    module_obj = global;
  }
  /* Every declared export must exist now: a missing one is a compile-time error. */
  JSValue exports = JS_IsObject(mod) ? JS_GetPropertyStr(cap_ctx, module_obj, "exports") : JS_DupValue(cap_ctx, module_obj);
  for (uint32_t i = 0; i < export_count; i++) {
    JSValue fn = JS_GetPropertyStr(cap_ctx, exports, export_names[i]);
    if (!JS_IsFunction(cap_ctx, fn)) {
      fprintf(stderr, "capstan engine: export \"%s\" is declared in the interface file but module.exports.%s is not a function\n",
              export_names[i], export_names[i]);
      exit(2);
    }
    JS_FreeValue(cap_ctx, fn);
  }
  JS_FreeValue(cap_ctx, exports);
  JS_RunGC(cap_rt);
  capstan_zero_on_free = 0;
  /* Clear the unused part of the shadow stack (it grows down towards __data_end): parser
     recursion left bytes there that would otherwise be snapshotted. */
  volatile char here = 0;
  char *low = &__data_end, *high = (char *)&here - 4096;
  if (high > low) memset(low, 0, (size_t)(high - low));
  instance_ready = 0;
}

/* ---------- errors ---------- */

/* "<name>: <message>\n<stack>", passed through the source-map mapper when one is set.
   Returns a malloc'ed string. */
static char *format_error(JSContext *ctx, JSValueConst exc) {
  JSValue text;
  if (JS_IsError(ctx, exc)) {
    JSValue str = JS_ToString(ctx, exc);
    JSValue stack = JS_GetPropertyStr(ctx, exc, "stack");
    const char *s = JS_ToCString(ctx, str);
    const char *st = JS_IsString(stack) ? JS_ToCString(ctx, stack) : NULL;
    size_t n = (s ? strlen(s) : 0) + (st ? strlen(st) : 0) + 2;
    char *buf = malloc(n);
    snprintf(buf, n, "%s%s%s", s ? s : "Error", st && *st ? "\n" : "", st ? st : "");
    /* QuickJS stacks end with a newline: drop it. */
    size_t bl = strlen(buf);
    while (bl > 0 && buf[bl - 1] == '\n') buf[--bl] = 0;
    /* Deep recursion gives thousands of frames: keep the first ones. */
    size_t lines = 0;
    for (size_t i = 0; i < bl; i++) {
      if (buf[i] == '\n' && ++lines == CAP_MAX_STACK_LINES) {
        size_t more = 0;
        for (size_t j = i + 1; j < bl; j++) more += buf[j] == '\n';
        snprintf(buf + i, bl - i + 1, "\n    ... %zu more frames", more + 1);
        break;
      }
    }
    if (s) JS_FreeCString(ctx, s);
    if (st) JS_FreeCString(ctx, st);
    JS_FreeValue(ctx, str);
    JS_FreeValue(ctx, stack);
    text = JS_NewString(ctx, buf);
    free(buf);
  } else {
    JSValue str = JS_ToString(ctx, exc);
    if (JS_IsException(str)) {
      JS_FreeValue(ctx, JS_GetException(ctx));
      str = JS_NewString(ctx, "Error: (unprintable value thrown)");
    }
    const char *s = JS_ToCString(ctx, str);
    size_t n = strlen(s ? s : "") + 16;
    char *buf = malloc(n);
    snprintf(buf, n, "Uncaught: %s", s ? s : "");
    if (s) JS_FreeCString(ctx, s);
    JS_FreeValue(ctx, str);
    text = JS_NewString(ctx, buf);
    free(buf);
  }
  if (JS_IsFunction(ctx, cap_stack_mapper)) {
    JSValue mapped = JS_Call(ctx, cap_stack_mapper, JS_UNDEFINED, 1, (JSValueConst *)&text);
    if (JS_IsString(mapped)) {
      JS_FreeValue(ctx, text);
      text = mapped;
    } else {
      if (JS_IsException(mapped)) JS_FreeValue(ctx, JS_GetException(ctx));
      JS_FreeValue(ctx, mapped);
    }
  }
  const char *t = JS_ToCString(ctx, text);
  char *out = strdup(t ? t : "Error");
  if (t) JS_FreeCString(ctx, t);
  JS_FreeValue(ctx, text);
  return out;
}

extern int capstan_oom_hit; /* patched quickjs.c: JS_ThrowOutOfMemory ran */
static void report_message(const char *msg);

static void report_error(JSContext *ctx, JSValueConst exc) {
  if (capstan_oom_hit && (JS_IsNull(exc) || JS_IsUndefined(exc))) {
    /* The out-of-memory error object itself could not be allocated. */
    report_message("InternalError: out of memory");
    JS_SetMemoryLimit(cap_rt, (size_t)-1);
    deadline_ms = 0;
    return;
  }
  /* Formatting needs memory and time even when the failure was about those. */
  JS_SetMemoryLimit(cap_rt, (size_t)-1);
  deadline_ms = 0;
  JS_ResetUncatchableError(ctx);
  char *msg = format_error(ctx, exc);
  uint64_t offs = kernel_store((const uint8_t *)msg, strlen(msg));
  extism_error_set(offs);
  free(msg);
}

static void report_message(const char *msg) {
  extism_error_set(kernel_store((const uint8_t *)msg, strlen(msg)));
}

/* ---------- calls ---------- */

static double config_number(const char *key, double dflt) {
  uint64_t k = kernel_store((const uint8_t *)key, strlen(key));
  uint64_t v = extism_config_get(k);
  extism_free(k);
  if (v == 0) return dflt;
  uint64_t n = extism_length(v);
  char buf[32] = {0};
  if (n < sizeof buf) kernel_read(v, (uint8_t *)buf, n);
  extism_free(v);
  char *end;
  double d = strtod(buf, &end);
  return end != buf && d >= 0 ? d : dflt;
}

static void instance_init(void) {
  uint64_t seed;
  cap_random((uint8_t *)&seed, sizeof seed);
  JS_CapstanSetRandomSeed(cap_ctx, seed);
  timeout_ms = config_number("capstan.timeout_ms", timeout_ms);
  double kb = config_number("capstan.stack_kb", CAP_STACK_LIMIT / 1024);
  if (kb >= 16) JS_SetMaxStackSize(cap_rt, (size_t)(kb * 1024));
  double mb = config_number("capstan.memory_mb", (double)(memory_limit >> 20));
  memory_limit = (size_t)(mb * 1048576.0);
  instance_ready = 1;
}

static int32_t result_code(JSContext *ctx, JSValueConst v) {
  if (JS_IsNumber(v)) {
    int32_t rc = 0;
    JS_ToInt32(ctx, &rc, v);
    return rc;
  }
  return cap_error_was_set ? 1 : 0;
}

/* Export i of the interface file. Returns the export's i32 result: the function's numeric
   return value, else 1 when an error was set, else 0. */
__attribute__((export_name("capstan_call"))) int32_t capstan_call(int32_t index) {
  if (!instance_ready) instance_init();
  JSContext *ctx = cap_ctx;
  JS_UpdateStackTop(cap_rt);
  JS_SetMemoryLimit(cap_rt, memory_limit);
  deadline_ms = timeout_ms > 0 ? cap_hrtime_ms() + timeout_ms : 0;
  cap_error_was_set = 0;
  capstan_oom_hit = 0;
  int32_t rc;
  if (index < 0 || (uint32_t)index >= export_count) {
    report_message("capstan: no such export");
    return 1;
  }
  const char *name = export_names[index];
  JSValue exports = module_obj;
  int own = 0;
  JSValue global = JS_GetGlobalObject(ctx);
  if (!JS_StrictEq(ctx, module_obj, global)) {
    exports = JS_GetPropertyStr(ctx, module_obj, "exports");
    own = 1;
  }
  JS_FreeValue(ctx, global);
  JSValue fn = JS_GetPropertyStr(ctx, exports, name);
  if (own) JS_FreeValue(ctx, exports);
  if (!JS_IsFunction(ctx, fn)) {
    JS_FreeValue(ctx, fn);
    char msg[300];
    snprintf(msg, sizeof msg, "TypeError: module.exports.%s is not a function", name);
    report_message(msg);
    deadline_ms = 0;
    return 1;
  }
  JSValue ret = JS_Call(ctx, fn, JS_UNDEFINED, 0, NULL);
  JS_FreeValue(ctx, fn);
  if (JS_IsException(ret)) {
    JSValue exc = JS_GetException(ctx);
    report_error(ctx, exc);
    JS_FreeValue(ctx, exc);
    drain_jobs(ctx);
    JS_RunGC(cap_rt);
    return 1;
  }
  if (drain_jobs(ctx) < 0) {
    JS_FreeValue(ctx, ret);
    JSValue exc = JS_GetException(ctx);
    report_error(ctx, exc);
    JS_FreeValue(ctx, exc);
    return 1;
  }
  JSValue value = ret;
  int owned = 0;
  if (JS_IsObject(ret) && (int)JS_PromiseState(ctx, ret) >= 0) {
    JSPromiseStateEnum st = JS_PromiseState(ctx, ret);
    if (st == JS_PROMISE_PENDING) {
      JS_FreeValue(ctx, ret);
      report_message("Error: the export's promise never settled (timers and real async I/O do not exist in a plugin)");
      deadline_ms = 0;
      return 1;
    }
    value = JS_PromiseResult(ctx, ret);
    owned = 1;
    if (st == JS_PROMISE_REJECTED) {
      report_error(ctx, value);
      JS_FreeValue(ctx, value);
      JS_FreeValue(ctx, ret);
      deadline_ms = 0;
      return 1;
    }
  }
  rc = result_code(ctx, value);
  if (owned) JS_FreeValue(ctx, value);
  JS_FreeValue(ctx, ret);
  deadline_ms = 0;
  return rc;
}
