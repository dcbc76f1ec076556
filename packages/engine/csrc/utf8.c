// WHATWG UTF-8 decode (replacement per maximal subpart) and encode (lone surrogates -> U+FFFD).
#include "utf8.h"
#include <string.h>

/* Length of the sanitized copy of p[0..n) and, when out is set, the copy itself.
   Returns -1 on the first error when fatal. */
static long sanitize(const uint8_t *p, size_t n, uint8_t *out, int fatal) {
  size_t i = 0, o = 0;
  while (i < n) {
    uint8_t b = p[i];
    if (b < 0x80) {
      if (out) out[o] = b;
      o++;
      i++;
      continue;
    }
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) need = 1;
    else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      goto bad1;
    }
    {
      size_t j = 1;
      for (; j <= need; j++) {
        if (i + j >= n) break;
        uint8_t c = p[i + j];
        if (c < lo || c > hi) break;
        lo = 0x80;
        hi = 0xBF;
      }
      if (j > need) {
        if (out) memcpy(out + o, p + i, need + 1);
        o += need + 1;
        i += need + 1;
        continue;
      }
      /* maximal subpart: the lead byte plus the j-1 valid continuation bytes */
      if (fatal) return -1;
      if (out) memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i += j;
      continue;
    }
  bad1:
    if (fatal) return -1;
    if (out) memcpy(out + o, "\xEF\xBF\xBD", 3);
    o += 3;
    i++;
  }
  return (long)o;
}

JSValue cap_utf8_to_string(JSContext *ctx, const uint8_t *p, size_t n, int fatal) {
  if (sanitize(p, n, NULL, 1) >= 0) return JS_NewStringLen(ctx, (const char *)p, n); /* valid */
  if (fatal) return JS_ThrowTypeError(ctx, "The encoded data was not valid utf-8");
  long m = sanitize(p, n, NULL, 0);
  uint8_t *tmp = js_malloc(ctx, (size_t)m + 1);
  if (!tmp) return JS_EXCEPTION;
  sanitize(p, n, tmp, 0);
  JSValue s = JS_NewStringLen(ctx, (const char *)tmp, (size_t)m);
  js_free(ctx, tmp);
  return s;
}

static void free_ab(JSRuntime *rt, void *opaque, void *ptr) {
  (void)opaque;
  js_free_rt(rt, ptr);
}

JSValue cap_string_to_utf8(JSContext *ctx, JSValueConst s) {
  size_t len;
  const char *c = JS_ToCStringLen2(ctx, &len, s, 0);
  if (!c) return JS_EXCEPTION;
  uint8_t *buf = js_malloc(ctx, len ? len : 1);
  if (!buf) {
    JS_FreeCString(ctx, c);
    return JS_EXCEPTION;
  }
  memcpy(buf, c, len);
  JS_FreeCString(ctx, c);
  /* Paired surrogates are already 4-byte sequences; what is left as ED A0..BF xx is a lone
     surrogate: same length as U+FFFD's encoding, so fix in place. */
  for (size_t i = 0; i + 2 < len; i++) {
    if (buf[i] == 0xED && buf[i + 1] >= 0xA0) {
      buf[i] = 0xEF;
      buf[i + 1] = 0xBF;
      buf[i + 2] = 0xBD;
      i += 2;
    }
  }
  return JS_NewArrayBuffer(ctx, buf, len, free_ab, NULL, 0);
}
