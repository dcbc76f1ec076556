// WHATWG-conformant UTF-8 helpers on top of QuickJS's (which keep lone surrogates and
// replace invalid input differently from TextDecoder).
#ifndef CAPSTAN_UTF8_H
#define CAPSTAN_UTF8_H
#include <stddef.h>
#include <stdint.h>
#include "quickjs.h"

/** A JS string from UTF-8 bytes, each maximal invalid subpart becoming U+FFFD (WHATWG);
 *  with fatal set, invalid input throws a TypeError instead. */
JSValue cap_utf8_to_string(JSContext *ctx, const uint8_t *p, size_t n, int fatal);
/** UTF-8 bytes of a JS string as an ArrayBuffer; lone surrogates become U+FFFD. */
JSValue cap_string_to_utf8(JSContext *ctx, JSValueConst s);
#endif
