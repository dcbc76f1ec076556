/* JSON.parse for plain data (appended to QuickJS's quickjs.c by scripts/build-engine.mjs, like
 * quickjs-json-fast.h: it creates objects from shapes and fills fast arrays directly, which only
 * code inside quickjs.c can).
 *
 * QuickJS's own parser converts the whole text to UTF-8, then makes a token per key (a string,
 * then an atom lookup by hash), adds each key through a shape transition and grows each array
 * one element at a time: ~2x Node's parse for 1 MB of small objects. This parser reads the
 * string's own characters (quickjs-json-parse-scan.h is compiled once for 8-bit and once for
 * 16-bit strings) and:
 *  - caches the key atoms of one call: a key repeated in 12,000 objects is hashed and compared
 *    to the cached atom's characters, without making a string or looking up the atom table;
 *  - collects an object's members first, then creates it from the shape of an earlier object
 *    with the same keys in the same order (hidden-class reuse: no per-key transition);
 *  - collects an array's elements first and allocates the fast array at its final size;
 *  - converts decimal numbers of up to 15 significant digits and a power of ten up to 22 with
 *    one correctly rounded double operation (exact), others through QuickJS's js_atof.
 * Anything else (any syntax error, nesting deeper than CJP_MAX_DEPTH, a number longer than
 * CJP_MAX_NUMBER) returns CJP_BAIL after freeing what it built, and js_json_parse runs QuickJS's
 * own parser from the start: it gives the standard result, or the SyntaxError with the line and
 * column. No JS code runs while this parser works (the reviver runs afterwards, on the result,
 * as in the standard algorithm), so bailing out has no visible effect. */

#define CJP_OK 0
#define CJP_BAIL 1
#define CJP_MAX_DEPTH 500
#define CJP_MAX_NUMBER 400
#define CJP_ATOMS 512 /* direct-mapped key cache; a power of two */
#define CJP_SHAPES 256 /* direct-mapped shape cache; a power of two */

typedef struct {
    JSAtom key; /* JS_ATOM_NULL for an array element */
    JSValue val;
} CapJPMember;

typedef struct {
    JSContext *ctx;
    /* members of the objects and arrays being parsed, the innermost last; each owns its
       atom and value until the object or array is built */
    CapJPMember *stack;
    uint32_t len, size;
    int depth;
    struct {
        JSAtom atom; /* a counted reference; JS_ATOM_NULL when empty */
        uint32_t hash;
    } keys[CJP_ATOMS];
    JSShape *shapes[CJP_SHAPES]; /* counted references */
} CapJP;

static const double cjp_pow10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static inline uint32_t cjp_hash(uint32_t h, uint32_t c)
{
    return (h ^ c) * 0x01000193u;
}

static int cjp_push(CapJP *j, JSAtom key, JSValue val)
{
    if (unlikely(j->len == j->size)) {
        uint32_t size = j->size ? j->size * 2 : 256;
        CapJPMember *n = js_realloc(j->ctx, j->stack, size * sizeof(*n));
        if (!n) {
            JS_FreeAtom(j->ctx, key);
            JS_FreeValue(j->ctx, val);
            return -1;
        }
        j->stack = n;
        j->size = size;
    }
    j->stack[j->len].key = key;
    j->stack[j->len].val = val;
    j->len++;
    return 0;
}

/* The array of the elements stack[base..len): allocated at its final size. */
static int cjp_array(CapJP *j, uint32_t base, JSValue *out)
{
    uint32_t n = j->len - base;
    JSValue arr = js_allocate_fast_array(j->ctx, n);
    if (JS_IsException(arr))
        return -1;
    JSObject *p = JS_VALUE_GET_OBJ(arr);
    CapJPMember *m = j->stack + base;
    for (uint32_t i = 0; i < n; i++)
        p->u.array.u.values[i] = m[i].val;
    p->prop[0].u.value = JS_NewInt32(j->ctx, n); /* js_allocate_fast_array leaves length 0 */
    j->len = base;
    *out = arr;
    return 0;
}

/* The object of the members stack[base..len), keys in text order (a repeated key keeps its
 * first position and its last value, as CreateDataProperty does). */
static int cjp_object(CapJP *j, uint32_t base, JSValue *out)
{
    JSContext *ctx = j->ctx;
    CapJPMember *m = j->stack + base;
    uint32_t n = j->len - base, h = n, i;
    JSValue obj;
    JSObject *p;

    for (i = 0; i < n; i++)
        h = cjp_hash(h, m[i].key);
    JSShape **slot = &j->shapes[(h ^ (h >> 16)) & (CJP_SHAPES - 1)];
    JSShape *sh = *slot;
    if (n > 0 && sh && sh->prop_count == n) {
        JSShapeProperty *prs = get_shape_prop(sh);
        for (i = 0; i < n && prs[i].atom == m[i].key; i++)
            ;
        if (i == n) {
            /* the same keys as an earlier object: its shape (unique keys, all C_W_E) */
            obj = JS_NewObjectFromShape(ctx, js_dup_shape(sh), JS_CLASS_OBJECT);
            if (JS_IsException(obj))
                return -1;
            p = JS_VALUE_GET_OBJ(obj);
            for (i = 0; i < n; i++) {
                p->prop[i].u.value = m[i].val;
                JS_FreeAtom(ctx, m[i].key);
            }
            j->len = base;
            *out = obj;
            return 0;
        }
    }
    obj = JS_NewObject(ctx);
    if (JS_IsException(obj))
        return -1;
    p = JS_VALUE_GET_OBJ(obj);
    for (i = 0; i < n; i++) {
        JSProperty *pr;
        if (find_own_property(&pr, p, m[i].key)) {
            JS_FreeValue(ctx, pr->u.value);
        } else {
            pr = add_property(ctx, p, m[i].key, JS_PROP_C_W_E);
            if (!pr) {
                JS_FreeValue(ctx, obj);
                return -1;
            }
        }
        pr->u.value = m[i].val;
        m[i].val = JS_UNDEFINED;
    }
    if (n > 0 && p->shape->prop_count == n && *slot != p->shape) {
        if (*slot)
            js_free_shape(ctx->rt, *slot);
        *slot = js_dup_shape(p->shape);
    }
    for (i = 0; i < n; i++)
        JS_FreeAtom(ctx, m[i].key);
    j->len = base;
    *out = obj;
    return 0;
}

/* The number text [s, s + len) (already checked against JSON's grammar) through js_atof. */
static no_inline int cjp_atof(CapJP *j, const char *s, int len, JSValue *out)
{
    char buf[CJP_MAX_NUMBER + 1];
    const char *endp;
    memcpy(buf, s, len);
    buf[len] = '\0';
    *out = js_atof(j->ctx, buf, &endp, 10, 0);
    return JS_IsException(*out) ? -1 : 0;
}

static int cjp_value_8(CapJP *j, const uint8_t **pp, const uint8_t *end, JSValue *out);
static int cjp_value_16(CapJP *j, const uint16_t **pp, const uint16_t *end, JSValue *out);

/* Entry from js_json_parse for a string (or rope) text: the parsed value, JS_EXCEPTION, or
 * JS_UNINITIALIZED when QuickJS's parser must decide. */
static JSValue capstan_json_parse(JSContext *ctx, JSValueConst text)
{
    JSValue str = JS_ToString(ctx, text); /* a string or a rope: no JS runs */
    if (JS_IsException(str))
        return str;
    CapJP *j = js_mallocz(ctx, sizeof(*j));
    if (!j) {
        JS_FreeValue(ctx, str);
        return JS_EXCEPTION;
    }
    j->ctx = ctx;
    JSString *s = JS_VALUE_GET_STRING(str);
    JSValue v = JS_UNDEFINED;
    int r;
    if (s->is_wide_char) {
        const uint16_t *p = s->u.str16, *end = p + s->len;
        r = cjp_value_16(j, &p, end, &v);
        while (r == CJP_OK && p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
            p++;
        if (r == CJP_OK && p != end)
            r = CJP_BAIL;
    } else {
        const uint8_t *p = s->u.str8, *end = p + s->len;
        r = cjp_value_8(j, &p, end, &v);
        while (r == CJP_OK && p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
            p++;
        if (r == CJP_OK && p != end)
            r = CJP_BAIL;
    }
    if (r != CJP_OK)
        JS_FreeValue(ctx, v);
    for (uint32_t i = 0; i < j->len; i++) {
        JS_FreeAtom(ctx, j->stack[i].key);
        JS_FreeValue(ctx, j->stack[i].val);
    }
    js_free(ctx, j->stack);
    for (int i = 0; i < CJP_ATOMS; i++)
        JS_FreeAtom(ctx, j->keys[i].atom);
    for (int i = 0; i < CJP_SHAPES; i++) {
        if (j->shapes[i])
            js_free_shape(ctx->rt, j->shapes[i]);
    }
    js_free(ctx, j);
    JS_FreeValue(ctx, str);
    if (r == CJP_OK)
        return v;
    if (r < 0) {
        if (!JS_HasException(ctx))
            JS_ThrowOutOfMemory(ctx);
        return JS_EXCEPTION;
    }
    return JS_UNINITIALIZED;
}
