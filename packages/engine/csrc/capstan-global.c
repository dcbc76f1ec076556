// The `__capstan` global: raw, bulk access to the Extism kernel for the PDK prelude.
// Bytes always move in one C loop per buffer, never 8 bytes per JS call.
#include <string.h>
#include <time.h>
#include <wasi/api.h>
#include "engine.h"
#include "kernel.h"
#include "utf8.h"

int cap_error_was_set = 0;
JSValue cap_stack_mapper = JS_UNDEFINED;

double cap_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

double cap_hrtime_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void cap_random(uint8_t *buf, size_t n) {
  if (__wasi_random_get(buf, n) != 0) memset(buf, 0x5a, n);
}

/* A byte view of a JS value: string (UTF-8), ArrayBuffer, typed array or DataView. */
typedef struct {
  const uint8_t *ptr;
  size_t len;
  const char *cstr; /* set when ptr came from JS_ToCStringLen */
} Bytes;

static int get_bytes(JSContext *ctx, JSValueConst v, Bytes *out) {
  out->cstr = NULL;
  if (JS_IsString(v)) {
    out->cstr = JS_ToCStringLen2(ctx, &out->len, v, 0);
    if (!out->cstr) return -1;
    out->ptr = (const uint8_t *)out->cstr;
    /* QuickJS encodes lone surrogates as ED A0..BF xx (WTF-8); the Web (TextEncoder) says
       U+FFFD, which has the same length. Such bytes only occur in a freshly made copy
       (ASCII strings may share the string's own storage, but contain no 0xED). */
    uint8_t *w = (uint8_t *)out->cstr;
    for (size_t i = 0; i + 2 < out->len; i++) {
      if (w[i] == 0xED && w[i + 1] >= 0xA0) {
        w[i] = 0xEF;
        w[i + 1] = 0xBF;
        w[i + 2] = 0xBD;
        i += 2;
      }
    }
    return 0;
  }
  if (!JS_IsObject(v)) {
    JS_ThrowTypeError(ctx, "expected a string, ArrayBuffer or typed array");
    return -1;
  }
  size_t size;
  uint8_t *p = JS_GetArrayBuffer(ctx, &size, v);
  if (p) {
    out->ptr = p;
    out->len = size;
    return 0;
  }
  JS_FreeValue(ctx, JS_GetException(ctx));
  /* Typed arrays and DataView share buffer/byteOffset/byteLength. */
  JSValue buf = JS_GetPropertyStr(ctx, v, "buffer");
  p = JS_IsObject(buf) ? JS_GetArrayBuffer(ctx, &size, buf) : NULL;
  JS_FreeValue(ctx, buf);
  if (!p) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    JS_ThrowTypeError(ctx, "expected a string, ArrayBuffer or typed array");
    return -1;
  }
  JSValue o = JS_GetPropertyStr(ctx, v, "byteOffset");
  JSValue l = JS_GetPropertyStr(ctx, v, "byteLength");
  uint64_t off = 0, len = 0;
  int bad = JS_ToIndex(ctx, &off, o) || JS_ToIndex(ctx, &len, l);
  JS_FreeValue(ctx, o);
  JS_FreeValue(ctx, l);
  if (bad) return -1;
  if (off + len > size) {
    JS_ThrowRangeError(ctx, "view is out of its buffer's bounds");
    return -1;
  }
  out->ptr = p + off;
  out->len = (size_t)len;
  return 0;
}

static void free_bytes(JSContext *ctx, Bytes *b) {
  if (b->cstr) JS_FreeCString(ctx, b->cstr);
}

static void free_ab(JSRuntime *rt, void *opaque, void *ptr) {
  (void)opaque;
  js_free_rt(rt, ptr);
}

/* An ArrayBuffer of n bytes whose memory we fill in place (no extra copy). */
static JSValue new_ab(JSContext *ctx, size_t n, uint8_t **data) {
  uint8_t *p = js_malloc(ctx, n ? n : 1);
  if (!p) return JS_EXCEPTION;
  *data = p;
  return JS_NewArrayBuffer(ctx, p, n, free_ab, NULL, 0);
}

/* Kernel offsets are u64; those above 2^53 (the JS SDK puts a block index in the top 16
   bits) become BigInt so they stay exact. */
static JSValue offs_to_js(JSContext *ctx, uint64_t o) {
  if (o <= 9007199254740991ULL) return JS_NewInt64(ctx, (int64_t)o);
  return JS_NewBigUint64(ctx, o);
}

static int js_to_u64(JSContext *ctx, uint64_t *out, JSValueConst v) {
  if (JS_IsBigInt(ctx, v)) {
    int64_t s;
    if (JS_ToBigInt64(ctx, &s, v)) return -1;
    *out = (uint64_t)s;
    return 0;
  }
  double d;
  if (JS_ToFloat64(ctx, &d, v)) return -1;
  if (d < 0) *out = (uint64_t)(int64_t)d;
  else *out = (uint64_t)d;
  return 0;
}

static JSValue read_block(JSContext *ctx, uint64_t offs, int as_string) {
  uint64_t n = extism_length(offs);
  if (as_string) {
    uint8_t *tmp = js_malloc(ctx, n + 1);
    if (!tmp) return JS_EXCEPTION;
    kernel_read(offs, tmp, n);
    JSValue s = cap_utf8_to_string(ctx, tmp, n, 0);
    js_free(ctx, tmp);
    return s;
  }
  uint8_t *data;
  JSValue ab = new_ab(ctx, n, &data);
  if (JS_IsException(ab)) return ab;
  kernel_read(offs, data, n);
  return ab;
}

static uint64_t store_value(JSContext *ctx, JSValueConst v, int *err) {
  Bytes b;
  *err = 0;
  if (get_bytes(ctx, v, &b)) {
    *err = 1;
    return 0;
  }
  uint64_t offs = kernel_store(b.ptr, b.len);
  free_bytes(ctx, &b);
  return offs;
}

/* inputBytes(): ArrayBuffer */
static JSValue f_input_bytes(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint64_t n = extism_input_length();
  uint8_t *data;
  JSValue ab = new_ab(ctx, n, &data);
  if (JS_IsException(ab)) return ab;
  kernel_input_read(data, n);
  return ab;
}

/* inputString(): string (UTF-8 decoded input; saves a TextDecoder pass) */
static JSValue f_input_string(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint64_t n = extism_input_length();
  uint8_t *tmp = js_malloc(ctx, n + 1);
  if (!tmp) return JS_EXCEPTION;
  kernel_input_read(tmp, n);
  JSValue s = cap_utf8_to_string(ctx, tmp, n, 0);
  js_free(ctx, tmp);
  return s;
}

/* outputBytes(buf | string): sets the call output */
static JSValue f_output_bytes(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  Bytes b;
  if (get_bytes(ctx, argc > 0 ? argv[0] : JS_UNDEFINED, &b)) return JS_EXCEPTION;
  uint64_t offs = kernel_store(b.ptr, b.len);
  extism_output_set(offs, b.len);
  free_bytes(ctx, &b);
  return JS_UNDEFINED;
}

/* errorSet(msg): sets the call error; the export then returns 1 unless it returns a number */
static JSValue f_error_set(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int err;
  uint64_t offs = store_value(ctx, argc > 0 ? argv[0] : JS_UNDEFINED, &err);
  if (err) return JS_EXCEPTION;
  extism_error_set(offs);
  cap_error_was_set = 1;
  return JS_UNDEFINED;
}

/* alloc(buf | string): offset of a new kernel block holding a copy */
static JSValue f_alloc(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  if (argc > 0 && JS_IsNumber(argv[0])) { /* alloc(n): an empty block of n bytes */
    uint64_t n;
    if (JS_ToIndex(ctx, &n, argv[0])) return JS_EXCEPTION;
    return offs_to_js(ctx, extism_alloc(n));
  }
  int err;
  uint64_t offs = store_value(ctx, argc > 0 ? argv[0] : JS_UNDEFINED, &err);
  if (err) return JS_EXCEPTION;
  return offs_to_js(ctx, offs);
}

/* read(offset): ArrayBuffer with the block's bytes; readString(offset): its UTF-8 text */
static JSValue f_read(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic) {
  uint64_t offs;
  if (js_to_u64(ctx, &offs, argc > 0 ? argv[0] : JS_UNDEFINED)) return JS_EXCEPTION;
  if (offs == 0) return JS_NULL;
  return read_block(ctx, offs, magic);
}

/* write(offset, buf): copies bytes into an existing block (bounds checked by length()) */
static JSValue f_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint64_t offs;
  Bytes b;
  if (js_to_u64(ctx, &offs, argc > 0 ? argv[0] : JS_UNDEFINED)) return JS_EXCEPTION;
  if (get_bytes(ctx, argc > 1 ? argv[1] : JS_UNDEFINED, &b)) return JS_EXCEPTION;
  if (b.len > extism_length(offs)) {
    free_bytes(ctx, &b);
    return JS_ThrowRangeError(ctx, "write past the end of the memory block");
  }
  kernel_write(offs, b.ptr, b.len);
  free_bytes(ctx, &b);
  return JS_UNDEFINED;
}

/* length(offset): block length in bytes */
static JSValue f_length(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint64_t offs;
  if (js_to_u64(ctx, &offs, argc > 0 ? argv[0] : JS_UNDEFINED)) return JS_EXCEPTION;
  return JS_NewInt64(ctx, (int64_t)extism_length(offs));
}

/* free(offset) */
static JSValue f_free(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint64_t offs;
  if (js_to_u64(ctx, &offs, argc > 0 ? argv[0] : JS_UNDEFINED)) return JS_EXCEPTION;
  if (offs) extism_free(offs);
  return JS_UNDEFINED;
}

/* configGet(key): string | null */
static JSValue f_config_get(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int err;
  uint64_t key = store_value(ctx, argc > 0 ? argv[0] : JS_UNDEFINED, &err);
  if (err) return JS_EXCEPTION;
  uint64_t val = extism_config_get(key);
  extism_free(key);
  if (val == 0) return JS_NULL;
  JSValue s = read_block(ctx, val, 1);
  extism_free(val);
  return s;
}

/* varGet(key): ArrayBuffer | null */
static JSValue f_var_get(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int err;
  uint64_t key = store_value(ctx, argc > 0 ? argv[0] : JS_UNDEFINED, &err);
  if (err) return JS_EXCEPTION;
  uint64_t val = extism_var_get(key);
  extism_free(key);
  if (val == 0) return JS_NULL;
  JSValue ab = read_block(ctx, val, 0);
  extism_free(val);
  return ab;
}

/* varSet(key, buf | string | null): null/undefined deletes */
static JSValue f_var_set(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int err;
  uint64_t key = store_value(ctx, argc > 0 ? argv[0] : JS_UNDEFINED, &err);
  if (err) return JS_EXCEPTION;
  uint64_t val = 0;
  if (argc > 1 && !JS_IsNull(argv[1]) && !JS_IsUndefined(argv[1])) {
    val = store_value(ctx, argv[1], &err);
    if (err) {
      extism_free(key);
      return JS_EXCEPTION;
    }
  }
  extism_var_set(key, val);
  extism_free(key);
  if (val) extism_free(val);
  return JS_UNDEFINED;
}

/* httpRequest(reqJson, body | null): {status, body: ArrayBuffer, headers: object | null} */
static JSValue f_http_request(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int err;
  uint64_t req = store_value(ctx, argc > 0 ? argv[0] : JS_UNDEFINED, &err);
  if (err) return JS_EXCEPTION;
  uint64_t body = 0;
  if (argc > 1 && !JS_IsNull(argv[1]) && !JS_IsUndefined(argv[1])) {
    body = store_value(ctx, argv[1], &err);
    if (err) return JS_EXCEPTION;
  }
  uint64_t res = extism_http_request(req, body);
  int32_t status = extism_http_status_code();
  JSValue out = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, out, "status", JS_NewInt32(ctx, status));
  if (res) {
    JS_SetPropertyStr(ctx, out, "body", read_block(ctx, res, 0));
    extism_free(res);
  } else {
    uint8_t *d;
    JS_SetPropertyStr(ctx, out, "body", new_ab(ctx, 0, &d));
  }
  uint64_t h = extism_http_headers();
  JSValue headers = JS_NULL;
  if (h) {
    uint64_t n = extism_length(h);
    char *tmp = js_malloc(ctx, n + 1);
    if (tmp) {
      kernel_read(h, (uint8_t *)tmp, n);
      tmp[n] = 0;
      headers = JS_ParseJSON(ctx, tmp, n, "<http headers>");
      js_free(ctx, tmp);
      if (JS_IsException(headers)) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        headers = JS_NULL;
      }
    }
    extism_free(h);
  }
  JS_SetPropertyStr(ctx, out, "headers", headers);
  extism_free(req);
  if (body) extism_free(body);
  return out;
}

/* log(level 0..4, msg) */
static JSValue f_log(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int32_t level = 2;
  if (argc > 0 && JS_ToInt32(ctx, &level, argv[0])) return JS_EXCEPTION;
  int err;
  uint64_t offs = store_value(ctx, argc > 1 ? argv[1] : JS_UNDEFINED, &err);
  if (err) return JS_EXCEPTION;
  switch (level) {
    case 0: extism_log_trace(offs); break;
    case 1: extism_log_debug(offs); break;
    case 2: extism_log_info(offs); break;
    case 3: extism_log_warn(offs); break;
    default: extism_log_error(offs); break;
  }
  extism_free(offs);
  return JS_UNDEFINED;
}

/* logLevel(): the host's level, 0 trace .. 4 error (higher = quieter) */
static JSValue f_log_level(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_NewInt32(ctx, extism_get_log_level());
}

/* randomBytes(n): ArrayBuffer from WASI random_get */
static JSValue f_random_bytes(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint64_t n = 0;
  if (argc > 0 && JS_ToIndex(ctx, &n, argv[0])) return JS_EXCEPTION;
  if (n > 65536 * 16) return JS_ThrowRangeError(ctx, "randomBytes: at most 1 MiB at a time");
  uint8_t *data;
  JSValue ab = new_ab(ctx, n, &data);
  if (JS_IsException(ab)) return ab;
  cap_random(data, n);
  return ab;
}

static JSValue f_now(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_NewFloat64(ctx, cap_now_ms());
}

static JSValue f_hrtime(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return JS_NewFloat64(ctx, cap_hrtime_ms());
}

/* hostFunctions(): [{name, params: ["I32"|"I64"|"F32"|"F64"], result}] in index order */
static JSValue f_host_functions(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  static const char *names[] = {"void", "I32", "I64", "F32", "F64"};
  JSValue arr = JS_NewArray(ctx);
  for (uint32_t i = 0; i < cap_host_fn_count; i++) {
    CapHostFn *f = &cap_host_fns[i];
    JSValue o = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, o, "name", JS_NewString(ctx, f->name));
    JSValue ps = JS_NewArray(ctx);
    for (uint32_t j = 0; j < f->nparams; j++)
      JS_SetPropertyUint32(ctx, ps, j, JS_NewString(ctx, names[f->params[j]]));
    JS_SetPropertyStr(ctx, o, "params", ps);
    JS_SetPropertyStr(ctx, o, "result", JS_NewString(ctx, names[f->result]));
    JS_SetPropertyUint32(ctx, arr, i, o);
  }
  return arr;
}

/* hostCall(index, args[]): calls extism:host/user import `index`; numbers or BigInts in,
   a number out (I64 results above 2^53 come back as BigInt), undefined for void. */
static JSValue f_host_call(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  uint32_t idx;
  if (JS_ToUint32(ctx, &idx, argc > 0 ? argv[0] : JS_UNDEFINED)) return JS_EXCEPTION;
  if (idx >= cap_host_fn_count) return JS_ThrowRangeError(ctx, "hostCall: no host function %u", idx);
  CapHostFn *f = &cap_host_fns[idx];
  uint64_t slots[CAP_MAX_PARAMS] = {0};
  JSValueConst args = argc > 1 ? argv[1] : JS_UNDEFINED;
  for (uint32_t i = 0; i < f->nparams; i++) {
    JSValue a = JS_IsObject(args) ? JS_GetPropertyUint32(ctx, args, i) : JS_UNDEFINED;
    int bad = 0;
    switch (f->params[i]) {
      case CAP_I32: {
        int32_t v = 0;
        if (JS_IsBigInt(ctx, a)) {
          int64_t w;
          bad = JS_ToBigInt64(ctx, &w, a);
          v = (int32_t)w;
        } else {
          bad = JS_ToInt32(ctx, &v, a);
        }
        slots[i] = (uint32_t)v;
        break;
      }
      case CAP_I64: bad = js_to_u64(ctx, &slots[i], a); break;
      case CAP_F32: {
        double d = 0;
        bad = JS_ToFloat64(ctx, &d, a);
        float fl = (float)d;
        memcpy(&slots[i], &fl, 4);
        break;
      }
      case CAP_F64: {
        double d = 0;
        bad = JS_ToFloat64(ctx, &d, a);
        memcpy(&slots[i], &d, 8);
        break;
      }
    }
    JS_FreeValue(ctx, a);
    if (bad) return JS_EXCEPTION;
  }
  uint64_t result = 0;
  if (capstan_host_dispatch((int32_t)idx, slots, &result) != 0)
    return JS_ThrowInternalError(ctx, "hostCall: dispatch failed for %s", f->name);
  switch (f->result) {
    case CAP_I32: return JS_NewInt32(ctx, (int32_t)(uint32_t)result);
    case CAP_I64: {
      int64_t s = (int64_t)result;
      if (s >= -9007199254740991LL && s <= 9007199254740991LL) return JS_NewInt64(ctx, s);
      return JS_NewBigInt64(ctx, s);
    }
    case CAP_F32: {
      float fl;
      memcpy(&fl, &result, 4);
      return JS_NewFloat64(ctx, fl);
    }
    case CAP_F64: {
      double d;
      memcpy(&d, &result, 8);
      return JS_NewFloat64(ctx, d);
    }
    default: return JS_UNDEFINED;
  }
}

/* setStackMapper(fn): fn(text) -> text rewrites error texts (source-mapped positions) */
static JSValue f_set_stack_mapper(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  JS_FreeValue(ctx, cap_stack_mapper);
  cap_stack_mapper = argc > 0 && JS_IsFunction(ctx, argv[0]) ? JS_DupValue(ctx, argv[0]) : JS_UNDEFINED;
  return JS_UNDEFINED;
}

/* utf8Encode(string): ArrayBuffer (WHATWG TextEncoder semantics) */
static JSValue f_utf8_encode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  return cap_string_to_utf8(ctx, argc > 0 ? argv[0] : JS_UNDEFINED);
}

/* utf8Decode(buf, fatal?): string (WHATWG TextDecoder semantics, BOM left to the caller) */
static JSValue f_utf8_decode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  Bytes b;
  if (get_bytes(ctx, argc > 0 ? argv[0] : JS_UNDEFINED, &b)) return JS_EXCEPTION;
  int fatal = argc > 1 && JS_ToBool(ctx, argv[1]);
  JSValue s = cap_utf8_to_string(ctx, b.ptr, b.len, fatal);
  free_bytes(ctx, &b);
  return s;
}

static const JSCFunctionListEntry cap_funcs[] = {
  JS_CFUNC_DEF("utf8Encode", 1, f_utf8_encode),
  JS_CFUNC_DEF("utf8Decode", 2, f_utf8_decode),
  JS_CFUNC_DEF("inputBytes", 0, f_input_bytes),
  JS_CFUNC_DEF("inputString", 0, f_input_string),
  JS_CFUNC_DEF("outputBytes", 1, f_output_bytes),
  JS_CFUNC_DEF("errorSet", 1, f_error_set),
  JS_CFUNC_DEF("alloc", 1, f_alloc),
  JS_CFUNC_MAGIC_DEF("read", 1, f_read, 0),
  JS_CFUNC_MAGIC_DEF("readString", 1, f_read, 1),
  JS_CFUNC_DEF("write", 2, f_write),
  JS_CFUNC_DEF("length", 1, f_length),
  JS_CFUNC_DEF("free", 1, f_free),
  JS_CFUNC_DEF("configGet", 1, f_config_get),
  JS_CFUNC_DEF("varGet", 1, f_var_get),
  JS_CFUNC_DEF("varSet", 2, f_var_set),
  JS_CFUNC_DEF("httpRequest", 2, f_http_request),
  JS_CFUNC_DEF("log", 2, f_log),
  JS_CFUNC_DEF("logLevel", 0, f_log_level),
  JS_CFUNC_DEF("randomBytes", 1, f_random_bytes),
  JS_CFUNC_DEF("now", 0, f_now),
  JS_CFUNC_DEF("hrtime", 0, f_hrtime),
  JS_CFUNC_DEF("hostFunctions", 0, f_host_functions),
  JS_CFUNC_DEF("hostCall", 2, f_host_call),
  JS_CFUNC_DEF("setStackMapper", 1, f_set_stack_mapper),
};

void cap_install_global(JSContext *ctx) {
  JSValue global = JS_GetGlobalObject(ctx);
  JSValue cap = JS_NewObject(ctx);
  JS_SetPropertyFunctionList(ctx, cap, cap_funcs, sizeof(cap_funcs) / sizeof(cap_funcs[0]));
  cap_install_wasi(ctx, cap);
  cap_install_codec(ctx, cap);
  cap_install_yaml(ctx, cap);
  cap_install_hash(ctx, cap);
  JS_SetPropertyStr(ctx, cap, "version", JS_NewString(ctx, "1"));
  JS_SetPropertyStr(ctx, global, "__capstan", cap);
  JS_FreeValue(ctx, global);
}
