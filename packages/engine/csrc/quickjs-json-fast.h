/* JSON.stringify fast path (appended to QuickJS's quickjs.c by scripts/build-engine.mjs: it
 * reads objects, shapes and fast arrays directly, which only code inside quickjs.c can).
 *
 * Plain data (ordinary objects whose prototype is Object.prototype, dense arrays, strings,
 * numbers, booleans, null) is written straight into the StringBuffer; the generic
 * js_json_to_str calls toJSON lookups, Object.keys arrays, a string per array index, an atom
 * lookup per key and a quoted copy per key and string, ~4x Node for 1 MB of small objects.
 * Anything else (a replacer, toJSON anywhere on the way, getters, proxies, other classes,
 * index-like keys whose order differs, ropes, BigInt, nesting deeper than CAP_JSON_DEPTH so
 * cycles surface) returns CAP_JSON_BAIL before any side effect, and the caller runs the
 * standard algorithm from the start: results are byte-identical either way. */

#define CAP_JSON_OK 0
#define CAP_JSON_BAIL 1
#define CAP_JSON_UNDEFINED 2 /* the value serializes to nothing (undefined, function, symbol) */
#define CAP_JSON_DEPTH 200

typedef struct {
    JSContext *ctx;
    StringBuffer *b;
    JSString *gap; /* NULL when there is no indentation */
    JSObject *object_proto, *array_proto; /* NULL when that chain has a toJSON */
} CapJson;

/* `proto` when no object on its chain (Array.prototype -> Object.prototype -> null) has a
 * toJSON, else NULL. Checked once per call: no JS runs while the fast path writes. */
static JSObject *cap_json_clean_proto(JSValueConst proto)
{
    JSProperty *pr;
    JSObject *p = JS_VALUE_GET_OBJ(proto);
    for (JSObject *q = p; q; q = q->shape->proto) {
        /* Array.prototype is an array (exotic only for indices and length); any other
           exotic object, a Proxy above all, could run code on the toJSON lookup */
        if ((q->is_exotic && q->class_id != JS_CLASS_ARRAY) || find_own_property(&pr, q, JS_ATOM_toJSON))
            return NULL;
    }
    return p;
}

/* FALSE when the shape holds a toJSON (any flags) or an accessor/special enumerable property. */
static BOOL cap_json_plain_shape(JSShape *sh)
{
    JSShapeProperty *prs = get_shape_prop(sh);
    for (int i = 0; i < sh->prop_count; i++) {
        if (prs[i].atom == JS_ATOM_toJSON)
            return FALSE;
        if ((prs[i].flags & JS_PROP_ENUMERABLE) && (prs[i].flags & JS_PROP_TMASK) != JS_PROP_NORMAL)
            return FALSE;
    }
    return TRUE;
}

static int cap_json_newline(CapJson *j, int depth)
{
    if (!j->gap)
        return 0;
    if (string_buffer_putc8(j->b, '\n'))
        return -1;
    for (int i = 0; i < depth; i++) {
        if (string_buffer_concat(j->b, j->gap, 0, j->gap->len))
            return -1;
    }
    return 0;
}

/* JSON quoting as JS_ToQuotedString does it (well-formed JSON.stringify: lone surrogates as
 * \uXXXX), written straight into the buffer. */
static int cap_json_quote(StringBuffer *b, JSString *p)
{
    static const char hex[] = "0123456789abcdef";
    char esc[6] = {'\\', 'u', '0', '0', 0, 0};
    if (string_buffer_putc8(b, '"'))
        return -1;
    if (!p->is_wide_char) {
        const uint8_t *s = p->u.str8;
        int start = 0, i;
        for (i = 0; i < p->len; i++) {
            uint8_t c = s[i];
            if (c >= 32 && c != '"' && c != '\\')
                continue;
            if (i > start && string_buffer_write8(b, s + start, i - start))
                return -1;
            start = i + 1;
            switch (c) {
            case '"': case '\\': esc[1] = c; break;
            case '\b': esc[1] = 'b'; break;
            case '\f': esc[1] = 'f'; break;
            case '\n': esc[1] = 'n'; break;
            case '\r': esc[1] = 'r'; break;
            case '\t': esc[1] = 't'; break;
            default: esc[1] = 'u'; break;
            }
            if (esc[1] == 'u') {
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                if (string_buffer_write8(b, (const uint8_t *)esc, 6))
                    return -1;
            } else if (string_buffer_write8(b, (const uint8_t *)esc, 2)) {
                return -1;
            }
            esc[1] = 'u';
        }
        if (i > start && string_buffer_write8(b, s + start, i - start))
            return -1;
    } else {
        const uint16_t *s = p->u.str16;
        for (int i = 0; i < p->len; i++) {
            uint32_t c = s[i];
            if (c >= 32 && c != '"' && c != '\\' && !is_surrogate(c)) {
                if (string_buffer_putc16(b, c))
                    return -1;
                continue;
            }
            if (is_hi_surrogate(c) && i + 1 < p->len && is_lo_surrogate(s[i + 1])) {
                if (string_buffer_putc16(b, c) || string_buffer_putc16(b, s[i + 1]))
                    return -1;
                i++;
                continue;
            }
            char e[8];
            int n;
            switch (c) {
            case '"': case '\\': e[0] = '\\'; e[1] = c; n = 2; break;
            case '\b': memcpy(e, "\\b", 2); n = 2; break;
            case '\f': memcpy(e, "\\f", 2); n = 2; break;
            case '\n': memcpy(e, "\\n", 2); n = 2; break;
            case '\r': memcpy(e, "\\r", 2); n = 2; break;
            case '\t': memcpy(e, "\\t", 2); n = 2; break;
            default:
                e[0] = '\\'; e[1] = 'u';
                e[2] = hex[(c >> 12) & 15]; e[3] = hex[(c >> 8) & 15];
                e[4] = hex[(c >> 4) & 15]; e[5] = hex[c & 15];
                n = 6;
            }
            if (string_buffer_write8(b, (const uint8_t *)e, n))
                return -1;
        }
    }
    return string_buffer_putc8(b, '"');
}

static int cap_json_number(StringBuffer *b, JSValueConst v)
{
    char buf[64];
    int len;
    if (JS_VALUE_GET_TAG(v) == JS_TAG_INT) {
        len = i64toa(buf, JS_VALUE_GET_INT(v));
    } else {
        double d = JS_VALUE_GET_FLOAT64(v);
        if (!isfinite(d))
            return string_buffer_puts8(b, "null");
        JSDTOATempMem mem;
        len = js_dtoa(buf, d, 10, 0, JS_DTOA_FORMAT_FREE, &mem);
    }
    return string_buffer_write8(b, (const uint8_t *)buf, len);
}

static int cap_json_value(CapJson *j, JSValueConst v, int depth)
{
    JSContext *ctx = j->ctx;
    StringBuffer *b = j->b;
    /* NORM: on wasm32 QuickJS NaN-boxes, and a float64's raw tag is not JS_TAG_FLOAT64 */
    switch (JS_VALUE_GET_NORM_TAG(v)) {
    case JS_TAG_NULL:
        return string_buffer_puts8(b, "null") ? -1 : CAP_JSON_OK;
    case JS_TAG_BOOL:
        return string_buffer_puts8(b, JS_VALUE_GET_BOOL(v) ? "true" : "false") ? -1 : CAP_JSON_OK;
    case JS_TAG_INT:
    case JS_TAG_FLOAT64:
        return cap_json_number(b, v) ? -1 : CAP_JSON_OK;
    case JS_TAG_STRING:
        return cap_json_quote(b, JS_VALUE_GET_STRING(v)) ? -1 : CAP_JSON_OK;
    case JS_TAG_UNDEFINED:
    case JS_TAG_SYMBOL:
        return CAP_JSON_UNDEFINED;
    case JS_TAG_OBJECT:
        break;
    default: /* ropes, BigInt, ... */
        return CAP_JSON_BAIL;
    }
    if (depth >= CAP_JSON_DEPTH)
        return CAP_JSON_BAIL;
    JSObject *p = JS_VALUE_GET_OBJ(v);
    if (p->class_id == JS_CLASS_ARRAY) {
        if (!p->fast_array || !j->array_proto || p->shape->proto != j->array_proto ||
            !cap_json_plain_shape(p->shape))
            return CAP_JSON_BAIL;
        /* own properties besides length (a named "toJSON" was checked above) do not print;
           `new Array(3)` is a fast array whose length exceeds its element count: bail */
        uint32_t len = p->u.array.count;
        JSValueConst length = p->prop[0].u.value;
        if (get_shape_prop(p->shape)[0].atom != JS_ATOM_length || JS_VALUE_GET_TAG(length) != JS_TAG_INT ||
            (uint32_t)JS_VALUE_GET_INT(length) != len)
            return CAP_JSON_BAIL;
        if (string_buffer_putc8(b, '['))
            return -1;
        for (uint32_t i = 0; i < len; i++) {
            if (i > 0 && string_buffer_putc8(b, ','))
                return -1;
            if (cap_json_newline(j, depth + 1))
                return -1;
            /* re-read: a fast array cannot change while we only read it */
            int r = cap_json_value(j, p->u.array.u.values[i], depth + 1);
            if (r == CAP_JSON_UNDEFINED)
                r = string_buffer_puts8(b, "null") ? -1 : CAP_JSON_OK;
            if (r != CAP_JSON_OK)
                return r;
        }
        if (len > 0 && cap_json_newline(j, depth))
            return -1;
        return string_buffer_putc8(b, ']') ? -1 : CAP_JSON_OK;
    }
    if (p->class_id != JS_CLASS_OBJECT || p->is_exotic || !j->object_proto ||
        p->shape->proto != j->object_proto)
        return CAP_JSON_BAIL;
    JSShape *sh = p->shape;
    JSShapeProperty *prs = get_shape_prop(sh);
    /* an own toJSON or accessor, or array-index keys (Object.keys puts them first, in
       numeric order): leave such objects to the generic path */
    for (int i = 0; i < sh->prop_count; i++) {
        JSAtom a = prs[i].atom;
        uint32_t idx;
        if (a == JS_ATOM_toJSON)
            return CAP_JSON_BAIL;
        if (a == JS_ATOM_NULL || !(prs[i].flags & JS_PROP_ENUMERABLE))
            continue;
        if ((prs[i].flags & JS_PROP_TMASK) != JS_PROP_NORMAL || JS_AtomIsArrayIndex(ctx, &idx, a))
            return CAP_JSON_BAIL;
    }
    if (string_buffer_putc8(b, '{'))
        return -1;
    BOOL any = FALSE;
    for (int i = 0; i < sh->prop_count; i++) {
        JSAtom a = prs[i].atom;
        if (a == JS_ATOM_NULL || !(prs[i].flags & JS_PROP_ENUMERABLE))
            continue;
        JSAtomStruct *as = ctx->rt->atom_array[a];
        if (as->atom_type != JS_ATOM_TYPE_STRING)
            continue; /* symbols are not keys of JSON */
        JSValueConst pv = p->prop[i].u.value;
        int tag = JS_VALUE_GET_NORM_TAG(pv);
        if (tag == JS_TAG_UNDEFINED || tag == JS_TAG_SYMBOL)
            continue;
        if ((any && string_buffer_putc8(b, ',')) || cap_json_newline(j, depth + 1) ||
            cap_json_quote(b, as) || string_buffer_putc8(b, ':') ||
            (j->gap && string_buffer_putc8(b, ' ')))
            return -1;
        int r = cap_json_value(j, pv, depth + 1);
        if (r == CAP_JSON_UNDEFINED)
            return CAP_JSON_BAIL; /* filtered above; stay exact anyway */
        if (r != CAP_JSON_OK)
            return r;
        any = TRUE;
    }
    if (any && cap_json_newline(j, depth))
        return -1;
    return string_buffer_putc8(b, '}') ? -1 : CAP_JSON_OK;
}

/* Entry from JS_JSONStringify (no replacer). CAP_JSON_OK: `b` holds the text;
 * CAP_JSON_UNDEFINED: the result is undefined; CAP_JSON_BAIL: run the standard algorithm;
 * -1: out of memory (exception pending). */
static int capstan_json_fast(JSContext *ctx, StringBuffer *b, JSValueConst val, JSValueConst gap)
{
    CapJson j = {ctx, b, NULL, cap_json_clean_proto(ctx->class_proto[JS_CLASS_OBJECT]),
                 cap_json_clean_proto(ctx->class_proto[JS_CLASS_ARRAY])};
    if (JS_VALUE_GET_TAG(gap) != JS_TAG_STRING)
        return CAP_JSON_BAIL;
    if (JS_VALUE_GET_STRING(gap)->len > 0)
        j.gap = JS_VALUE_GET_STRING(gap);
    int r = cap_json_value(&j, val, 0);
    if (r < 0 || b->error_status) {
        if (!JS_HasException(ctx))
            JS_ThrowOutOfMemory(ctx);
        return -1;
    }
    return r;
}

/* JSON.parse: defines a key of a fresh plain object. A key seen before in the same object
 * (the last one wins) takes the standard define path. */
static int capstan_json_define(JSContext *ctx, JSValueConst obj, JSAtom prop, JSValue val)
{
    JSObject *p = JS_VALUE_GET_OBJ(obj);
    JSProperty *pr;
    if (find_own_property(&pr, p, prop))
        return JS_DefinePropertyValue(ctx, obj, prop, val, JS_PROP_C_W_E);
    pr = add_property(ctx, p, prop, JS_PROP_C_W_E);
    if (!pr) {
        JS_FreeValue(ctx, val);
        return -1;
    }
    pr->u.value = val;
    return TRUE;
}

/* JSON.parse, at a number: TRUE with *out set when done here (an int, or JS_EXCEPTION after a
 * SyntaxError for text outside JSON's number grammar); FALSE when js_atof should convert it
 * (a valid fraction, exponent or long integer; *pp untouched). Ints are "-?(0|[1-9][0-9]{0,8})"
 * exactly as js_atof returns them (no -0: that is a float64). */
static BOOL capstan_json_number(JSParseState *s, const uint8_t **pp, JSValue *out)
{
    const uint8_t *p = *pp;
    int neg = *p == '-';
    p += neg;
    const uint8_t *digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    int ndig = (int)(p - digits);
    BOOL simple = TRUE;
    if (ndig == 0 || (digits[0] == '0' && ndig > 1))
        goto bad;
    if (*p == '.') {
        simple = FALSE;
        if (!(*++p >= '0' && *p <= '9'))
            goto bad;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        simple = FALSE;
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            goto bad;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (!simple || ndig > 9 || (neg && digits[0] == '0'))
        return FALSE;
    int32_t v = 0;
    for (const uint8_t *q = digits; q < p; q++)
        v = v * 10 + (*q - '0');
    *out = JS_NewInt32(s->ctx, neg ? -v : v);
    *pp = p;
    return TRUE;
 bad:
    js_parse_error(s, "invalid number");
    *out = JS_EXCEPTION;
    return TRUE;
}
