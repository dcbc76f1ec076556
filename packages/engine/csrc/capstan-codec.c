// Byte codecs for the PDK prelude (base64, base64url, hex): `Host.arrayBufferToBase64`,
// `Buffer#toString("base64"|"hex")`, atob and defineGetter's output move megabytes through
// them, and QuickJS's interpreter needs ~0.3 us per byte for the same loops in JS.
#include <string.h>
#include "engine.h"

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* A byte view of an ArrayBuffer, typed array or DataView (no copy); engine.h. */
int cap_view_bytes(JSContext *ctx, JSValueConst v, const uint8_t **ptr, size_t *len) {
  size_t size;
  uint8_t *p = JS_GetArrayBuffer(ctx, &size, v);
  if (p) {
    *ptr = p;
    *len = size;
    return 0;
  }
  JS_FreeValue(ctx, JS_GetException(ctx));
  size_t off = 0, n = 0, per = 0;
  JSValue ab = JS_GetTypedArrayBuffer(ctx, v, &off, &n, &per);
  if (JS_IsException(ab)) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    /* DataView: buffer/byteOffset/byteLength properties */
    ab = JS_GetPropertyStr(ctx, v, "buffer");
    JSValue o = JS_GetPropertyStr(ctx, v, "byteOffset");
    JSValue l = JS_GetPropertyStr(ctx, v, "byteLength");
    uint64_t oo = 0, ll = 0;
    int bad = !JS_IsObject(ab) || JS_ToIndex(ctx, &oo, o) || JS_ToIndex(ctx, &ll, l);
    JS_FreeValue(ctx, o);
    JS_FreeValue(ctx, l);
    if (bad) {
      JS_FreeValue(ctx, ab);
      JS_ThrowTypeError(ctx, "expected an ArrayBuffer or a typed array");
      return -1;
    }
    off = (size_t)oo;
    n = (size_t)ll;
  }
  p = JS_GetArrayBuffer(ctx, &size, ab);
  JS_FreeValue(ctx, ab);
  if (!p || off + n > size) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    JS_ThrowTypeError(ctx, "expected an ArrayBuffer or a typed array");
    return -1;
  }
  *ptr = p + off;
  *len = n;
  return 0;
}

/* base64Encode(bytes, url?): standard base64 with padding; url: base64url without padding */
static JSValue f_base64_encode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const uint8_t *src;
  size_t n;
  if (cap_view_bytes(ctx, argc > 0 ? argv[0] : JS_UNDEFINED, &src, &n)) return JS_EXCEPTION;
  int url = argc > 1 && JS_ToBool(ctx, argv[1]);
  const char *a = url ? B64URL : B64;
  size_t cap = (n + 2) / 3 * 4;
  char *out = js_malloc(ctx, cap + 1);
  if (!out) return JS_EXCEPTION;
  size_t o = 0, i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8 | src[i + 2];
    out[o++] = a[v >> 18];
    out[o++] = a[(v >> 12) & 63];
    out[o++] = a[(v >> 6) & 63];
    out[o++] = a[v & 63];
  }
  if (i < n) {
    uint32_t v = (uint32_t)src[i] << 16 | (i + 1 < n ? (uint32_t)src[i + 1] << 8 : 0);
    out[o++] = a[v >> 18];
    out[o++] = a[(v >> 12) & 63];
    if (i + 1 < n) out[o++] = a[(v >> 6) & 63];
    else if (!url) out[o++] = '=';
    if (!url) out[o++] = '=';
  }
  JSValue s = JS_NewStringLen(ctx, out, o);
  js_free(ctx, out);
  return s;
}

/* base64Decode(string): ArrayBuffer; accepts both alphabets, skips other characters, stops at '=' */
static JSValue f_base64_decode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  size_t n;
  const char *s = JS_ToCStringLen(ctx, &n, argc > 0 ? argv[0] : JS_UNDEFINED);
  if (!s) return JS_EXCEPTION;
  int8_t table[256];
  memset(table, -1, sizeof table);
  for (int k = 0; k < 64; k++) table[(uint8_t)B64[k]] = (int8_t)k;
  table['-'] = 62;
  table['_'] = 63;
  uint8_t *out = js_malloc(ctx, n / 4 * 3 + 3);
  if (!out) {
    JS_FreeCString(ctx, s);
    return JS_EXCEPTION;
  }
  size_t o = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = (uint8_t)s[i];
    if (c == '=') break;
    int8_t v = table[c];
    if (v < 0) continue;
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (uint8_t)(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  JS_FreeCString(ctx, s);
  JSValue ab = JS_NewArrayBufferCopy(ctx, out, o);
  js_free(ctx, out);
  return ab;
}

/* hexEncode(bytes): lower-case hex */
static JSValue f_hex_encode(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  static const char HEX[] = "0123456789abcdef";
  const uint8_t *src;
  size_t n;
  if (cap_view_bytes(ctx, argc > 0 ? argv[0] : JS_UNDEFINED, &src, &n)) return JS_EXCEPTION;
  char *out = js_malloc(ctx, n * 2 + 1);
  if (!out) return JS_EXCEPTION;
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = HEX[src[i] >> 4];
    out[2 * i + 1] = HEX[src[i] & 15];
  }
  JSValue s = JS_NewStringLen(ctx, out, n * 2);
  js_free(ctx, out);
  return s;
}

static const JSCFunctionListEntry codec_funcs[] = {
  JS_CFUNC_DEF("base64Encode", 2, f_base64_encode),
  JS_CFUNC_DEF("base64Decode", 1, f_base64_decode),
  JS_CFUNC_DEF("hexEncode", 1, f_hex_encode),
};

void cap_install_codec(JSContext *ctx, JSValue cap) {
  JS_SetPropertyFunctionList(ctx, cap, codec_funcs, sizeof(codec_funcs) / sizeof(codec_funcs[0]));
}
