// Digests and HMAC for the PDK prelude's crypto.subtle: SHA-1/256/384/512 from libmd (Debian
// source package, see libmd-sha*.c) plus HMAC (RFC 2104) glue. QuickJS's interpreter needs
// 0.8-2.2 s per MiB for the same work in JS; here it is one C loop over the caller's buffer.
#include <string.h>
#include <sha1.h>
#include <sha2.h>
#include "engine.h"

#define MAX_BLOCK 128
#define MAX_OUT 64

typedef union {
  SHA1_CTX s1;
  SHA2_CTX s2;
} HashCtx;

typedef struct {
  const char *name;
  size_t block, out;
  void (*init)(HashCtx *);
  void (*update)(HashCtx *, const uint8_t *, size_t);
  void (*final)(uint8_t *, HashCtx *);
} HashAlg;

#define WRAP(N, CTX, M)                                                                          \
  static void N##_init(HashCtx *c) { N##Init(&c->M); }                                          \
  static void N##_update(HashCtx *c, const uint8_t *p, size_t n) { N##Update(&c->M, p, n); }     \
  static void N##_final(uint8_t *o, HashCtx *c) { N##Final(o, &c->M); }
WRAP(SHA1, SHA1_CTX, s1)
WRAP(SHA256, SHA2_CTX, s2)
WRAP(SHA384, SHA2_CTX, s2)
WRAP(SHA512, SHA2_CTX, s2)

static const HashAlg ALGS[] = {
  {"SHA-1", 64, 20, SHA1_init, SHA1_update, SHA1_final},
  {"SHA-256", 64, 32, SHA256_init, SHA256_update, SHA256_final},
  {"SHA-384", 128, 48, SHA384_init, SHA384_update, SHA384_final},
  {"SHA-512", 128, 64, SHA512_init, SHA512_update, SHA512_final},
};

/* The algorithm named by argv (canonical Web Crypto spelling; the prelude normalizes). */
static const HashAlg *alg_of(JSContext *ctx, JSValueConst v) {
  const char *s = JS_ToCString(ctx, v);
  if (!s) return NULL;
  const HashAlg *found = NULL;
  for (size_t i = 0; i < sizeof ALGS / sizeof ALGS[0]; i++)
    if (strcmp(s, ALGS[i].name) == 0) found = &ALGS[i];
  if (!found) JS_ThrowTypeError(ctx, "Unrecognized algorithm name: %s", s);
  JS_FreeCString(ctx, s);
  return found;
}

/* digest(name, bytes): ArrayBuffer */
static JSValue f_digest(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const HashAlg *a = alg_of(ctx, argc > 0 ? argv[0] : JS_UNDEFINED);
  if (!a) return JS_EXCEPTION;
  const uint8_t *p;
  size_t n;
  if (cap_view_bytes(ctx, argc > 1 ? argv[1] : JS_UNDEFINED, &p, &n)) return JS_EXCEPTION;
  HashCtx c;
  uint8_t out[MAX_OUT];
  a->init(&c);
  a->update(&c, p, n);
  a->final(out, &c);
  return JS_NewArrayBufferCopy(ctx, out, a->out);
}

/* hmac(name, key, bytes): ArrayBuffer (RFC 2104; keys longer than a block are hashed first) */
static JSValue f_hmac(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const HashAlg *a = alg_of(ctx, argc > 0 ? argv[0] : JS_UNDEFINED);
  if (!a) return JS_EXCEPTION;
  const uint8_t *key, *msg;
  size_t klen, n;
  if (cap_view_bytes(ctx, argc > 1 ? argv[1] : JS_UNDEFINED, &key, &klen)) return JS_EXCEPTION;
  uint8_t k[MAX_BLOCK] = {0}, pad[MAX_BLOCK], inner[MAX_OUT], out[MAX_OUT];
  HashCtx c;
  if (klen > a->block) {
    a->init(&c);
    a->update(&c, key, klen);
    a->final(k, &c);
  } else {
    memcpy(k, key, klen);
  }
  /* The message view is taken after the key was copied: both may share one buffer. */
  if (cap_view_bytes(ctx, argc > 2 ? argv[2] : JS_UNDEFINED, &msg, &n)) return JS_EXCEPTION;
  for (size_t i = 0; i < a->block; i++) pad[i] = k[i] ^ 0x36;
  a->init(&c);
  a->update(&c, pad, a->block);
  a->update(&c, msg, n);
  a->final(inner, &c);
  for (size_t i = 0; i < a->block; i++) pad[i] = k[i] ^ 0x5c;
  a->init(&c);
  a->update(&c, pad, a->block);
  a->update(&c, inner, a->out);
  a->final(out, &c);
  memset(k, 0, sizeof k);
  memset(pad, 0, sizeof pad);
  return JS_NewArrayBufferCopy(ctx, out, a->out);
}

/* timingSafeEqual(a, b): true when both hold the same bytes; time depends on length only */
static JSValue f_timing_safe_equal(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const uint8_t *x, *y;
  size_t nx, ny;
  if (cap_view_bytes(ctx, argc > 0 ? argv[0] : JS_UNDEFINED, &x, &nx)) return JS_EXCEPTION;
  if (cap_view_bytes(ctx, argc > 1 ? argv[1] : JS_UNDEFINED, &y, &ny)) return JS_EXCEPTION;
  if (nx != ny) return JS_FALSE;
  uint8_t d = 0;
  for (size_t i = 0; i < nx; i++) d |= x[i] ^ y[i];
  return JS_NewBool(ctx, d == 0);
}

static const JSCFunctionListEntry hash_funcs[] = {
  JS_CFUNC_DEF("digest", 2, f_digest),
  JS_CFUNC_DEF("hmac", 3, f_hmac),
  JS_CFUNC_DEF("timingSafeEqual", 2, f_timing_safe_equal),
};

void cap_install_hash(JSContext *ctx, JSValue cap) {
  JS_SetPropertyFunctionList(ctx, cap, hash_funcs, sizeof(hash_funcs) / sizeof(hash_funcs[0]));
}
