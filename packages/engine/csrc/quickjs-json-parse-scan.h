/* The scanner of the native JSON.parse (quickjs-json-parse.h), appended to quickjs.c twice by
 * scripts/build-engine.mjs: with CJP_WIDE 0 it reads 8-bit (Latin-1) strings, with CJP_WIDE 1
 * 16-bit ones, so neither pays a per-character width test. Returns CJP_OK with *out set,
 * CJP_BAIL (QuickJS's parser decides: syntax errors, unusual input) or -1 (exception). */

#if CJP_WIDE
#define CJP_CHAR uint16_t
#define CJP(name) name##_16
#else
#define CJP_CHAR uint8_t
#define CJP(name) name##_8
#endif

static inline const CJP_CHAR *CJP(cjp_ws)(const CJP_CHAR *p, const CJP_CHAR *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

static inline int CJP(cjp_hex)(CJP_CHAR c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A string from its first escape on: [start, p) is plain text, *p is a backslash. */
static no_inline int CJP(cjp_string_slow)(CapJP *j, const CJP_CHAR *start, const CJP_CHAR **pp,
                                const CJP_CHAR *end, BOOL wide, JSValue *out)
{
    StringBuffer sb;
    const CJP_CHAR *p = *pp;
    if (string_buffer_init2(j->ctx, &sb, (int)(p - start) + 16, wide))
        return -1;
#if CJP_WIDE
#define CJP_WRITE(s, n) string_buffer_write16(&sb, (s), (n))
#else
#define CJP_WRITE(s, n) string_buffer_write8(&sb, (s), (n))
#endif
    if (p > start && CJP_WRITE(start, (int)(p - start)))
        goto fail;
    for (;;) {
        const CJP_CHAR *run = p;
        while (p < end && *p != '"' && *p != '\\' && *p >= 0x20)
            p++;
        if (p > run && CJP_WRITE(run, (int)(p - run)))
            goto fail;
        if (p >= end || *p < 0x20)
            goto bail;
        if (*p == '"')
            break;
        if (++p >= end)
            goto bail;
        uint32_t c;
        switch (*p++) {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case '/': c = '/'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u': {
            if (end - p < 4)
                goto bail;
            c = 0;
            for (int k = 0; k < 4; k++) {
                int d = CJP(cjp_hex)(p[k]);
                if (d < 0)
                    goto bail;
                c = (c << 4) | d;
            }
            p += 4;
            break;
        }
        default:
            goto bail;
        }
        if (string_buffer_putc16(&sb, c))
            goto fail;
    }
#undef CJP_WRITE
    *pp = p + 1;
    *out = string_buffer_end(&sb);
    return JS_IsException(*out) ? -1 : CJP_OK;
 bail:
    string_buffer_free(&sb);
    return CJP_BAIL;
 fail:
    string_buffer_free(&sb);
    return -1;
}

/* A string of `n` characters without escapes, as an 8-bit string when every one fits. */
static JSValue CJP(cjp_plain_string)(JSContext *ctx, const CJP_CHAR *s, int n, BOOL wide)
{
#if CJP_WIDE
    if (wide)
        return js_new_string16_len(ctx, s, n);
    if (n == 0)
        return JS_AtomToString(ctx, JS_ATOM_empty_string);
    JSString *str = js_alloc_string(ctx, n, 0);
    if (!str)
        return JS_EXCEPTION;
    for (int i = 0; i < n; i++)
        str->u.str8[i] = (uint8_t)s[i];
    str->u.str8[n] = '\0';
    return JS_MKPTR(JS_TAG_STRING, str);
#else
    (void)wide;
    return js_new_string8_len(ctx, (const char *)s, n);
#endif
}

/* A key at *pp (the opening quote) as an atom: from the key cache when the same characters were
 * a key before in this call. JS_ATOM_NULL with *r set when it is not. */
static no_inline JSAtom CJP(cjp_key)(CapJP *j, const CJP_CHAR **pp, const CJP_CHAR *end, int *r)
{
    JSContext *ctx = j->ctx;
    const CJP_CHAR *start = *pp + 1, *p = start;
    uint32_t h = 0x811c9dc5u, any = 0;
    JSValue str;
    while (p < end && *p != '"' && *p != '\\' && *p >= 0x20) {
        h = cjp_hash(h, *p);
        any |= *p;
        p++;
    }
    if (p >= end || *p < 0x20) {
        *r = CJP_BAIL;
        return JS_ATOM_NULL;
    }
    if (*p == '\\') {
        *pp = p;
        *r = CJP(cjp_string_slow)(j, start, pp, end, any >= 0x100, &str);
        if (*r != CJP_OK)
            return JS_ATOM_NULL;
        JSAtom a = JS_NewAtomStr(ctx, JS_VALUE_GET_STRING(str));
        if (a == JS_ATOM_NULL)
            *r = -1;
        return a;
    }
    int n = (int)(p - start);
    *pp = p + 1;
    if (n == 0)
        return JS_ATOM_empty_string; /* a constant atom: no reference to count */
    h = cjp_hash(h, n);
    uint32_t slot = (h ^ (h >> 15)) & (CJP_ATOMS - 1);
    JSAtom cached = j->keys[slot].atom;
    if (cached != JS_ATOM_NULL && j->keys[slot].hash == h) {
        JSString *as = ctx->rt->atom_array[cached];
        if ((int)as->len == n) {
            int i = 0;
            if (as->is_wide_char) {
                while (i < n && as->u.str16[i] == start[i])
                    i++;
            } else {
#if CJP_WIDE
                while (i < n && as->u.str8[i] == start[i])
                    i++;
#else
                if (memcmp(as->u.str8, start, n) == 0)
                    i = n;
#endif
            }
            if (i == n)
                return JS_DupAtom(ctx, cached);
        }
    }
    str = CJP(cjp_plain_string)(ctx, start, n, any >= 0x100);
    if (JS_IsException(str)) {
        *r = -1;
        return JS_ATOM_NULL;
    }
    JSAtom a = JS_NewAtomStr(ctx, JS_VALUE_GET_STRING(str));
    if (a == JS_ATOM_NULL) {
        *r = -1;
        return JS_ATOM_NULL;
    }
    if (!__JS_AtomIsTaggedInt(a)) { /* "0", "1"...: integer atoms have no string to compare */
        JS_FreeAtom(ctx, cached);
        j->keys[slot].atom = JS_DupAtom(ctx, a);
        j->keys[slot].hash = h;
    }
    return a;
}

/* no_inline: its buffer stays off the frames of the recursive cjp_value */
static no_inline int CJP(cjp_number)(CapJP *j, const CJP_CHAR **pp, const CJP_CHAR *end, JSValue *out)
{
    const CJP_CHAR *s = *pp, *p = s;
    BOOL neg = FALSE;
    uint64_t m = 0;
    int sig = 0, frac = 0, exp = 0;
    BOOL simple = TRUE, exp_neg = FALSE;
    if (*p == '-') {
        neg = TRUE;
        p++;
    }
    if (p >= end || !(*p >= '0' && *p <= '9'))
        return CJP_BAIL;
    if (*p == '0') {
        p++;
        if (p < end && *p >= '0' && *p <= '9')
            return CJP_BAIL; /* leading zero */
    } else {
        while (p < end && *p >= '0' && *p <= '9') {
            if (sig < 19)
                m = m * 10 + (*p - '0');
            sig++;
            p++;
        }
    }
    if (p < end && *p == '.') {
        simple = FALSE;
        p++;
        if (p >= end || !(*p >= '0' && *p <= '9'))
            return CJP_BAIL;
        while (p < end && *p >= '0' && *p <= '9') {
            if (m != 0 || *p != '0')
                sig++;
            if (sig < 19)
                m = m * 10 + (*p - '0');
            frac++;
            p++;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        simple = FALSE;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            exp_neg = *p++ == '-';
        if (p >= end || !(*p >= '0' && *p <= '9'))
            return CJP_BAIL;
        while (p < end && *p >= '0' && *p <= '9') {
            if (exp < 100000)
                exp = exp * 10 + (*p - '0');
            p++;
        }
    }
    *pp = p;
    if (simple && sig <= 9 && !(neg && m == 0)) {
        *out = JS_NewInt32(j->ctx, neg ? -(int32_t)m : (int32_t)m);
        return CJP_OK;
    }
    int e10 = (exp_neg ? -exp : exp) - frac;
    if (m == 0 || (sig <= 15 && e10 >= -22 && e10 <= 22)) {
        double d = (double)m;
        if (m != 0)
            d = e10 < 0 ? d / cjp_pow10[-e10] : d * cjp_pow10[e10];
        *out = JS_NewFloat64(j->ctx, neg ? -d : d);
        return CJP_OK;
    }
    int len = (int)(p - s);
    if (len > CJP_MAX_NUMBER)
        return CJP_BAIL;
    char buf[CJP_MAX_NUMBER];
    for (int i = 0; i < len; i++)
        buf[i] = (char)s[i];
    return cjp_atof(j, buf, len, out);
}

static int CJP(cjp_value)(CapJP *j, const CJP_CHAR **pp, const CJP_CHAR *end, JSValue *out)
{
    JSContext *ctx = j->ctx;
    const CJP_CHAR *p = CJP(cjp_ws)(*pp, end);
    int r;
    if (p >= end)
        return CJP_BAIL;
    switch (*p) {
    case '{': {
        uint32_t base = j->len;
        /* past the cap, or short of native stack: QuickJS's parser reports it */
        if (++j->depth > CJP_MAX_DEPTH || js_check_stack_overflow(ctx->rt, 0))
            return CJP_BAIL;
        p = CJP(cjp_ws)(p + 1, end);
        if (p < end && *p == '}') {
            p++;
        } else {
            for (;;) {
                if (p >= end || *p != '"')
                    return CJP_BAIL;
                r = CJP_OK;
                JSAtom key = CJP(cjp_key)(j, &p, end, &r);
                if (key == JS_ATOM_NULL)
                    return r;
                p = CJP(cjp_ws)(p, end);
                if (p >= end || *p != ':') {
                    JS_FreeAtom(ctx, key);
                    return CJP_BAIL;
                }
                p++;
                JSValue v;
                r = CJP(cjp_value)(j, &p, end, &v);
                if (r != CJP_OK) {
                    JS_FreeAtom(ctx, key);
                    return r;
                }
                if (cjp_push(j, key, v))
                    return -1;
                p = CJP(cjp_ws)(p, end);
                if (p < end && *p == ',') {
                    p = CJP(cjp_ws)(p + 1, end);
                    continue;
                }
                if (p < end && *p == '}') {
                    p++;
                    break;
                }
                return CJP_BAIL;
            }
        }
        j->depth--;
        *pp = p;
        return cjp_object(j, base, out);
    }
    case '[': {
        uint32_t base = j->len;
        if (++j->depth > CJP_MAX_DEPTH || js_check_stack_overflow(ctx->rt, 0))
            return CJP_BAIL;
        p = CJP(cjp_ws)(p + 1, end);
        if (p < end && *p == ']') {
            p++;
        } else {
            for (;;) {
                JSValue v;
                r = CJP(cjp_value)(j, &p, end, &v);
                if (r != CJP_OK)
                    return r;
                if (cjp_push(j, JS_ATOM_NULL, v))
                    return -1;
                p = CJP(cjp_ws)(p, end);
                if (p < end && *p == ',') {
                    p++;
                    continue;
                }
                if (p < end && *p == ']') {
                    p++;
                    break;
                }
                return CJP_BAIL;
            }
        }
        j->depth--;
        *pp = p;
        return cjp_array(j, base, out);
    }
    case '"': {
        const CJP_CHAR *start = ++p;
        uint32_t any = 0;
        while (p < end && *p != '"' && *p != '\\' && *p >= 0x20)
            any |= *p++;
        if (p >= end || *p < 0x20)
            return CJP_BAIL;
        if (*p == '\\') {
            *pp = p;
            return CJP(cjp_string_slow)(j, start, pp, end, any >= 0x100, out);
        }
        *out = CJP(cjp_plain_string)(ctx, start, (int)(p - start), any >= 0x100);
        *pp = p + 1;
        return JS_IsException(*out) ? -1 : CJP_OK;
    }
    case 't':
        if (end - p >= 4 && p[1] == 'r' && p[2] == 'u' && p[3] == 'e') {
            *out = JS_TRUE;
            *pp = p + 4;
            return CJP_OK;
        }
        return CJP_BAIL;
    case 'f':
        if (end - p >= 5 && p[1] == 'a' && p[2] == 'l' && p[3] == 's' && p[4] == 'e') {
            *out = JS_FALSE;
            *pp = p + 5;
            return CJP_OK;
        }
        return CJP_BAIL;
    case 'n':
        if (end - p >= 4 && p[1] == 'u' && p[2] == 'l' && p[3] == 'l') {
            *out = JS_NULL;
            *pp = p + 4;
            return CJP_OK;
        }
        return CJP_BAIL;
    default:
        if (*p == '-' || (*p >= '0' && *p <= '9')) {
            *pp = p;
            return CJP(cjp_number)(j, pp, end, out);
        }
        return CJP_BAIL;
    }
}

#undef CJP_CHAR
#undef CJP
#undef CJP_WIDE
