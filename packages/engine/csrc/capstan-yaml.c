// YAML for plugins, in C (libyaml 0.2.5, Debian source package): `__capstan.yamlParse` turns a
// multi-document stream into plain QuickJS values (YAML 1.2 core schema, like the `yaml` npm
// package) plus, on request, a flat table of node positions the PDK's edit path patches the
// original text at; `__capstan.yamlStringify` emits plain values in the Go-YAML layout Helm and
// kubectl print (libyaml's emitter is the one go-yaml was ported from). The interpreter spent
// ~3 ms per Kubernetes object doing the same in JS. Caps: nesting depth and alias expansion;
// libyaml allocates through the QuickJS runtime, so the memory cap covers it too.
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "yaml.h"

/* ---- allocation: libyaml's yaml_malloc/realloc/free are patched to call these ---- */
void *capstan_yaml_realloc(void *p, size_t n) { return js_realloc_rt(cap_rt, p, n); }
void capstan_yaml_free(void *p) { js_free_rt(cap_rt, p); }

/* ---- YAML 1.2 core schema (what `yaml` parses plain scalars as by default) ---- */
enum { R_STR, R_NULL, R_TRUE, R_FALSE, R_NUM };

static int is_digits(const char *s, size_t n, const char *set) {
  if (n == 0) return 0;
  for (size_t i = 0; i < n; i++)
    if (!strchr(set, s[i]) || s[i] == 0) return 0;
  return 1;
}

/* Resolves a plain scalar; R_NUM stores the number in *num. */
static int resolve_plain(const char *s, size_t n, double *num) {
  if (n == 0) return R_NULL;
  switch (s[0]) {
    case '~':
      return n == 1 ? R_NULL : R_STR;
    case 'n': case 'N':
      return (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4))) ? R_NULL : R_STR;
    case 't': case 'T':
      return (n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4))) ? R_TRUE : R_STR;
    case 'f': case 'F':
      return (n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5))) ? R_FALSE : R_STR;
    default:
      break;
  }
  const char *p = s;
  size_t m = n;
  int neg = 0;
  if (*p == '-' || *p == '+') {
    neg = *p == '-';
    p++;
    m--;
  }
  if (m == 0) return R_STR;
  if (m == 4 && p[0] == '.' && (!memcmp(p, ".inf", 4) || !memcmp(p, ".Inf", 4) || !memcmp(p, ".INF", 4))) {
    *num = neg ? -INFINITY : INFINITY;
    return R_NUM;
  }
  if (p == s && n == 4 && (!memcmp(s, ".nan", 4) || !memcmp(s, ".NaN", 4) || !memcmp(s, ".NAN", 4))) {
    *num = NAN;
    return R_NUM;
  }
  if (p == s && n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
    int hex = s[1] == 'x';
    if (!is_digits(s + 2, n - 2, hex ? "0123456789abcdefABCDEF" : "01234567")) return R_STR;
    double v = 0;
    for (size_t i = 2; i < n; i++) {
      int c = s[i];
      int d = c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
      v = v * (hex ? 16 : 8) + d;
    }
    *num = v;
    return R_NUM;
  }
  /* [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE][-+]?[0-9]+ )? */
  size_t i = 0, intd = 0, fracd = 0;
  while (i < m && p[i] >= '0' && p[i] <= '9') i++, intd++;
  if (i < m && p[i] == '.') {
    i++;
    while (i < m && p[i] >= '0' && p[i] <= '9') i++, fracd++;
    if (intd == 0 && fracd == 0) return R_STR;
  } else if (intd == 0) {
    return R_STR;
  }
  if (i < m && (p[i] == 'e' || p[i] == 'E')) {
    i++;
    if (i < m && (p[i] == '-' || p[i] == '+')) i++;
    size_t e = 0;
    while (i < m && p[i] >= '0' && p[i] <= '9') i++, e++;
    if (e == 0) return R_STR;
  }
  if (i != m) return R_STR;
  char buf[64];
  char *tmp = n < sizeof buf ? buf : js_malloc_rt(cap_rt, n + 1);
  if (!tmp) return R_STR;
  memcpy(tmp, s, n);
  tmp[n] = 0;
  *num = strtod(tmp, NULL);
  if (tmp != buf) js_free_rt(cap_rt, tmp);
  return R_NUM;
}

/* ---- parsing ---- */
/* One record per node in the position table (Int32 x 5), in document pre-order. */
enum { T_INFO, T_START, T_END, T_SIZE, T_KEY, T_WIDTH };
enum { K_SCALAR = 0, K_MAP = 1, K_SEQ = 2, K_ALIAS = 3 };

typedef struct {
  JSValue obj;
  int kind;
  int32_t rec;        /* table record index, -1 without positions */
  JSAtom key;         /* map: pending key (JS_ATOM_NULL when the next node is a key) */
  uint32_t index;     /* seq: next index */
  double expanded;    /* node count with aliases expanded (alias-bomb cap) */
  char *anchor;
} Frame;

typedef struct {
  char *name;
  JSValue value;
  double expanded;
  int done;
} Anchor;

typedef struct {
  JSContext *ctx;
  yaml_parser_t parser;
  int positions;
  /* code point index -> UTF-16 index; identity unless the input has astral characters */
  const uint8_t *src;
  size_t src_len;
  int astral;
  size_t cur_cp, cur_u16, cur_byte;
  Frame *stack;
  int depth, cap_depth, max_depth;
  Anchor *anchors;
  int nanchors, cap_anchors;
  double alias_nodes, max_alias_nodes;
  int32_t *table;
  size_t nrec, cap_rec;
  JSValue keys;
  uint32_t nkeys;
} P;

static uint32_t u16_at(P *p, size_t cp) {
  if (!p->astral) return (uint32_t)cp;
  if (cp < p->cur_cp) p->cur_cp = p->cur_u16 = p->cur_byte = 0;
  while (p->cur_cp < cp && p->cur_byte < p->src_len) {
    uint8_t c = p->src[p->cur_byte];
    int w = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    p->cur_byte += w;
    p->cur_u16 += w == 4 ? 2 : 1;
    p->cur_cp++;
  }
  return (uint32_t)p->cur_u16;
}

static JSValue throw_at(P *p, const char *cls, const char *msg, yaml_mark_t m) {
  JSContext *ctx = p->ctx;
  JSValue err = JS_NewError(ctx);
  JS_SetPropertyStr(ctx, err, "message", JS_NewString(ctx, msg));
  JS_SetPropertyStr(ctx, err, "name", JS_NewString(ctx, cls));
  JS_SetPropertyStr(ctx, err, "line", JS_NewInt32(ctx, (int32_t)m.line + 1));
  JS_SetPropertyStr(ctx, err, "column", JS_NewInt32(ctx, (int32_t)m.column + 1));
  JS_SetPropertyStr(ctx, err, "offset", JS_NewUint32(ctx, u16_at(p, m.index)));
  return JS_Throw(ctx, err);
}

static int32_t add_rec(P *p, int info, yaml_mark_t start, yaml_mark_t end, int32_t key) {
  if (!p->positions) return -1;
  if (p->nrec == p->cap_rec) {
    size_t nc = p->cap_rec ? p->cap_rec * 2 : 256;
    int32_t *t = js_realloc_rt(cap_rt, p->table, nc * T_WIDTH * sizeof(int32_t));
    if (!t) return -2;
    p->table = t;
    p->cap_rec = nc;
  }
  int32_t *r = p->table + p->nrec * T_WIDTH;
  r[T_INFO] = info;
  r[T_START] = (int32_t)u16_at(p, start.index);
  r[T_END] = (int32_t)u16_at(p, end.index);
  r[T_SIZE] = 1;
  r[T_KEY] = key;
  return (int32_t)p->nrec++;
}

static Anchor *find_anchor(P *p, const char *name) {
  for (int i = p->nanchors - 1; i >= 0; i--)
    if (!strcmp(p->anchors[i].name, name)) return &p->anchors[i];
  return NULL;
}

/* Registers (or redefines: YAML lets a later anchor shadow an earlier one) an anchor. */
static int set_anchor(P *p, const char *name, JSValueConst v, double expanded, int done) {
  Anchor *a = NULL;
  for (int i = 0; i < p->nanchors; i++)
    if (!strcmp(p->anchors[i].name, name)) a = &p->anchors[i];
  if (!a) {
    if (p->nanchors == p->cap_anchors) {
      int nc = p->cap_anchors ? p->cap_anchors * 2 : 8;
      Anchor *n = js_realloc_rt(cap_rt, p->anchors, nc * sizeof(Anchor));
      if (!n) return -1;
      p->anchors = n;
      p->cap_anchors = nc;
    }
    a = &p->anchors[p->nanchors++];
    size_t len = strlen(name) + 1;
    a->name = js_malloc_rt(cap_rt, len);
    if (!a->name) {
      p->nanchors--;
      return -1;
    }
    memcpy(a->name, name, len);
  } else {
    JS_FreeValue(p->ctx, a->value);
  }
  a->value = JS_DupValue(p->ctx, v);
  a->expanded = expanded;
  a->done = done;
  return 0;
}

static void clear_anchors(P *p) {
  for (int i = 0; i < p->nanchors; i++) {
    js_free_rt(cap_rt, p->anchors[i].name);
    JS_FreeValue(p->ctx, p->anchors[i].value);
  }
  p->nanchors = 0;
}

/* A map key as a property atom; plain scalars resolve first (`1.0:` is key "1", `null:` ""). */
static JSAtom key_atom(JSContext *ctx, JSValueConst v) {
  if (JS_IsNull(v)) return JS_NewAtom(ctx, "");
  return JS_ValueToAtom(ctx, v);
}

/* Puts a finished node into the frame on top (or returns it as the document root via *root). */
static int attach(P *p, JSValue v, double expanded, int32_t rec, yaml_mark_t mark, JSValue *root) {
  JSContext *ctx = p->ctx;
  if (p->depth == 0) {
    *root = v;
    return 0;
  }
  Frame *f = &p->stack[p->depth - 1];
  f->expanded += expanded;
  if (f->kind == K_SEQ) {
    return JS_DefinePropertyValueUint32(ctx, f->obj, f->index++, v, JS_PROP_C_W_E) < 0 ? -1 : 0;
  }
  if (f->key == JS_ATOM_NULL) {
    if (JS_IsObject(v)) {
      JS_FreeValue(ctx, v);
      throw_at(p, "SyntaxError", "a map key that is a map or a list is not supported", mark);
      return -1;
    }
    JSAtom a = key_atom(ctx, v);
    JS_FreeValue(ctx, v);
    if (a == JS_ATOM_NULL) return -1;
    int has = JS_GetOwnProperty(ctx, NULL, f->obj, a);
    if (has != 0) {
      JS_FreeAtom(ctx, a);
      if (has > 0) throw_at(p, "SyntaxError", "map keys must be unique", mark);
      return -1;
    }
    f->key = a;
    if (rec >= 0) {
      p->table[rec * T_WIDTH + T_KEY] = (int32_t)p->nkeys;
      if (JS_DefinePropertyValueUint32(ctx, p->keys, p->nkeys++, JS_AtomToString(ctx, a), JS_PROP_C_W_E) < 0)
        return -1;
    }
    return 0;
  }
  JSAtom a = f->key;
  f->key = JS_ATOM_NULL;
  int r = JS_DefinePropertyValue(ctx, f->obj, a, v, JS_PROP_C_W_E);
  JS_FreeAtom(ctx, a);
  return r < 0 ? -1 : 0;
}

static int scalar_style(yaml_scalar_style_t s) {
  switch (s) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: return 1;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return 2;
    case YAML_LITERAL_SCALAR_STYLE: return 3;
    case YAML_FOLDED_SCALAR_STYLE: return 4;
    default: return 0;
  }
}

static JSValue scalar_value(JSContext *ctx, const yaml_event_t *e) {
  const char *s = (const char *)e->data.scalar.value;
  size_t n = e->data.scalar.length;
  const char *tag = (const char *)e->data.scalar.tag;
  int plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  int resolve = plain && !tag;
  if (tag && !strcmp(tag, YAML_STR_TAG)) resolve = 0;
  else if (tag && (!strcmp(tag, YAML_NULL_TAG) || !strcmp(tag, YAML_BOOL_TAG) || !strcmp(tag, YAML_INT_TAG) ||
                   !strcmp(tag, YAML_FLOAT_TAG)))
    resolve = 1;
  if (resolve) {
    double num;
    switch (resolve_plain(s, n, &num)) {
      case R_NULL: return JS_NULL;
      case R_TRUE: return JS_TRUE;
      case R_FALSE: return JS_FALSE;
      case R_NUM: return JS_NewFloat64(ctx, num);
      default: break;
    }
  }
  return JS_NewStringLen(ctx, s, n);
}

/* Handles one event inside a document. Returns 1 at DOCUMENT-END, 0 to go on, -1 on error. */
static int on_event(P *p, yaml_event_t *e, JSValue *root) {
  JSContext *ctx = p->ctx;
  int in_key = p->depth > 0 && p->stack[p->depth - 1].kind == K_MAP && p->stack[p->depth - 1].key == JS_ATOM_NULL;
  switch (e->type) {
    case YAML_SCALAR_EVENT: {
      JSValue v = scalar_value(ctx, e);
      if (JS_IsException(v)) return -1;
      int32_t rec = add_rec(p, K_SCALAR | (scalar_style(e->data.scalar.style) << 4), e->start_mark, e->end_mark, -1);
      if (rec == -2) {
        JS_FreeValue(ctx, v);
        return -1;
      }
      if (e->data.scalar.anchor && set_anchor(p, (const char *)e->data.scalar.anchor, v, 1, 1)) {
        JS_FreeValue(ctx, v);
        return -1;
      }
      return attach(p, v, 1, in_key ? rec : -1, e->start_mark, root);
    }
    case YAML_ALIAS_EVENT: {
      Anchor *a = find_anchor(p, (const char *)e->data.alias.anchor);
      if (!a) return throw_at(p, "SyntaxError", "alias to an unknown anchor", e->start_mark), -1;
      if (!a->done) return throw_at(p, "SyntaxError", "alias refers to its own node (a cycle)", e->start_mark), -1;
      p->alias_nodes += a->expanded;
      if (p->alias_nodes > p->max_alias_nodes)
        return throw_at(p, "RangeError",
                        "aliases expand to too many nodes (an alias bomb?); raise maxAliasNodes if this is intended",
                        e->start_mark), -1;
      int32_t rec = add_rec(p, K_ALIAS, e->start_mark, e->end_mark, -1);
      if (rec == -2) return -1;
      return attach(p, JS_DupValue(ctx, a->value), a->expanded, in_key ? rec : -1, e->start_mark, root);
    }
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT: {
      int map = e->type == YAML_MAPPING_START_EVENT;
      if (p->depth >= p->max_depth)
        return throw_at(p, "RangeError", "nesting deeper than maxDepth", e->start_mark), -1;
      if (p->depth == p->cap_depth) {
        int nc = p->cap_depth ? p->cap_depth * 2 : 32;
        Frame *s = js_realloc_rt(cap_rt, p->stack, nc * sizeof(Frame));
        if (!s) return JS_ThrowOutOfMemory(ctx), -1;
        p->stack = s;
        p->cap_depth = nc;
      }
      int flow = map ? e->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                     : e->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
      const char *anchor = (const char *)(map ? e->data.mapping_start.anchor : e->data.sequence_start.anchor);
      JSValue obj = map ? JS_NewObject(ctx) : JS_NewArray(ctx);
      if (JS_IsException(obj)) return -1;
      if (in_key) {
        JS_FreeValue(ctx, obj);
        return throw_at(p, "SyntaxError", "a map key that is a map or a list is not supported", e->start_mark), -1;
      }
      int32_t rec = add_rec(p, (map ? K_MAP : K_SEQ) | (flow << 4), e->start_mark, e->end_mark, -1);
      if (rec == -2 || (anchor && set_anchor(p, anchor, obj, 0, 0))) {
        JS_FreeValue(ctx, obj);
        return -1;
      }
      Frame *f = &p->stack[p->depth++];
      f->obj = obj;
      f->kind = map ? K_MAP : K_SEQ;
      f->rec = rec;
      f->key = JS_ATOM_NULL;
      f->index = 0;
      f->expanded = 1;
      f->anchor = NULL;
      if (anchor) {
        size_t len = strlen(anchor) + 1;
        f->anchor = js_malloc_rt(cap_rt, len);
        if (!f->anchor) return -1;
        memcpy(f->anchor, anchor, len);
      }
      return 0;
    }
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT: {
      Frame f = p->stack[--p->depth];
      if (f.rec >= 0) {
        int32_t *r = p->table + f.rec * T_WIDTH;
        r[T_END] = (int32_t)u16_at(p, e->end_mark.index);
        r[T_SIZE] = (int32_t)(p->nrec - (size_t)f.rec);
      }
      if (f.anchor) {
        Anchor *a = find_anchor(p, f.anchor);
        if (a && JS_VALUE_GET_PTR(a->value) == JS_VALUE_GET_PTR(f.obj)) {
          a->expanded = f.expanded;
          a->done = 1;
        }
        js_free_rt(cap_rt, f.anchor);
      }
      if (f.key != JS_ATOM_NULL) JS_FreeAtom(ctx, f.key);
      return attach(p, f.obj, f.expanded, -1, e->start_mark, root);
    }
    case YAML_DOCUMENT_END_EVENT:
      return 1;
    default:
      return 0;
  }
}

static JSValue parse_error(P *p) {
  yaml_parser_t *ps = &p->parser;
  if (ps->error == YAML_MEMORY_ERROR) return JS_ThrowOutOfMemory(p->ctx);
  char msg[400];
  if (ps->context)
    snprintf(msg, sizeof msg, "%s %s", ps->context, ps->problem ? ps->problem : "");
  else
    snprintf(msg, sizeof msg, "%s", ps->problem ? ps->problem : "invalid YAML");
  return throw_at(p, "SyntaxError", msg, ps->problem_mark);
}

/* yamlParse(text, positions, maxDepth, maxAliasNodes) -> [{value, start, end, nodes?, keys?}] */
static JSValue f_yaml_parse(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  size_t len;
  const char *text = JS_ToCStringLen(ctx, &len, argc > 0 ? argv[0] : JS_UNDEFINED);
  if (!text) return JS_EXCEPTION;
  P p;
  memset(&p, 0, sizeof p);
  p.ctx = ctx;
  p.positions = argc > 1 && JS_ToBool(ctx, argv[1]);
  int32_t md = 1000;
  double man = 1e6;
  if (argc > 2 && !JS_IsUndefined(argv[2])) JS_ToInt32(ctx, &md, argv[2]);
  if (argc > 3 && !JS_IsUndefined(argv[3])) JS_ToFloat64(ctx, &man, argv[3]);
  p.max_depth = md > 0 ? md : 1;
  p.max_alias_nodes = man;
  p.src = (const uint8_t *)text;
  p.src_len = len;
  for (size_t i = 0; i < len; i++)
    if ((uint8_t)text[i] >= 0xF0) {
      p.astral = 1;
      break;
    }
  JSValue docs = JS_NewArray(ctx);
  JSValue root = JS_UNDEFINED, doc = JS_UNDEFINED;
  uint32_t ndocs = 0;
  int failed = 0;
  if (!yaml_parser_initialize(&p.parser)) {
    JS_FreeCString(ctx, text);
    JS_FreeValue(ctx, docs);
    return JS_ThrowOutOfMemory(ctx);
  }
  yaml_parser_set_input_string(&p.parser, (const unsigned char *)text, len);
  yaml_parser_set_encoding(&p.parser, YAML_UTF8_ENCODING);
  uint32_t doc_start = 0;
  for (;;) {
    yaml_event_t e;
    if (!yaml_parser_parse(&p.parser, &e)) {
      parse_error(&p);
      failed = 1;
      break;
    }
    yaml_event_type_t type = e.type;
    int r = 0;
    if (type == YAML_STREAM_END_EVENT) {
      yaml_event_delete(&e);
      break;
    }
    if (type == YAML_DOCUMENT_START_EVENT) {
      doc_start = u16_at(&p, e.start_mark.index);
      root = JS_UNDEFINED;
      p.nrec = 0;
      p.nkeys = 0;
      p.alias_nodes = 0;
      if (p.positions) p.keys = JS_NewArray(ctx);
    } else if (type != YAML_STREAM_START_EVENT) {
      r = on_event(&p, &e, &root);
    }
    if (r == 1) {
      doc = JS_NewObject(ctx);
      JS_SetPropertyStr(ctx, doc, "value", JS_IsUndefined(root) ? JS_NULL : root);
      root = JS_UNDEFINED;
      JS_SetPropertyStr(ctx, doc, "start", JS_NewUint32(ctx, doc_start));
      JS_SetPropertyStr(ctx, doc, "end", JS_NewUint32(ctx, u16_at(&p, e.end_mark.index)));
      if (p.positions) {
        JS_SetPropertyStr(ctx, doc, "nodes",
                          JS_NewArrayBufferCopy(ctx, (const uint8_t *)p.table, p.nrec * T_WIDTH * sizeof(int32_t)));
        JS_SetPropertyStr(ctx, doc, "keys", p.keys);
        p.keys = JS_UNDEFINED;
      }
      JS_DefinePropertyValueUint32(ctx, docs, ndocs++, doc, JS_PROP_C_W_E);
      clear_anchors(&p);
    }
    yaml_event_delete(&e);
    if (r < 0) {
      failed = 1;
      break;
    }
  }
  while (p.depth > 0) {
    Frame *f = &p.stack[--p.depth];
    JS_FreeValue(ctx, f->obj);
    if (f->key != JS_ATOM_NULL) JS_FreeAtom(ctx, f->key);
    if (f->anchor) js_free_rt(cap_rt, f->anchor);
  }
  JS_FreeValue(ctx, root);
  JS_FreeValue(ctx, p.keys);
  clear_anchors(&p);
  js_free_rt(cap_rt, p.anchors);
  js_free_rt(cap_rt, p.stack);
  js_free_rt(cap_rt, p.table);
  yaml_parser_delete(&p.parser);
  JS_FreeCString(ctx, text);
  if (failed) {
    JS_FreeValue(ctx, docs);
    /* Out of memory may have left no room for an error object: now that the partial result
       is freed, throw a real one. */
    JSValue exc = JS_GetException(ctx);
    if (JS_IsNull(exc) || JS_IsUndefined(exc) || JS_IsUninitialized(exc)) return JS_ThrowOutOfMemory(ctx);
    return JS_Throw(ctx, exc);
  }
  return docs;
}

/* ---- emitting ---- */
typedef struct {
  JSContext *ctx;
  yaml_emitter_t em;
  uint8_t *buf;
  size_t len, cap;
  int max_depth;
  int oom;
} E;

static int write_out(void *data, unsigned char *bytes, size_t n) {
  E *w = data;
  if (w->len + n > w->cap) {
    size_t nc = w->cap ? w->cap * 2 : 4096;
    while (nc < w->len + n) nc *= 2;
    uint8_t *b = js_realloc_rt(cap_rt, w->buf, nc);
    if (!b) {
      w->oom = 1;
      return 0;
    }
    w->buf = b;
    w->cap = nc;
  }
  memcpy(w->buf + w->len, bytes, n);
  w->len += n;
  return 1;
}

/* Words YAML 1.1 readers (go-yaml v2, which Helm and kubectl use) take for booleans or null. */
static int yaml11_word(const char *s, size_t n) {
  static const char *words[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
                                "on", "On", "ON", "off", "Off", "OFF", NULL};
  for (int i = 0; words[i]; i++)
    if (strlen(words[i]) == n && !memcmp(words[i], s, n)) return 1;
  /* dates (YAML 1.1 timestamps) and numbers with underscores or a leading 0 (1.1 octal) */
  if (n >= 10 && s[4] == '-' && s[7] == '-' && is_digits(s, 4, "0123456789")) return 1;
  if (n > 1 && s[0] == '0' && is_digits(s, n, "01234567_")) return 1;
  if (n > 0 && strchr("0123456789+-.", s[0]) && is_digits(s, n, "0123456789_+-.eE") && memchr(s, '_', n)) return 1;
  return 0;
}

static int emit(E *w, yaml_event_t *ev) {
  if (!yaml_emitter_emit(&w->em, ev)) {
    if (w->oom || w->em.error == YAML_MEMORY_ERROR) JS_ThrowOutOfMemory(w->ctx);
    else JS_ThrowTypeError(w->ctx, "YAML stringify: %s", w->em.problem ? w->em.problem : "emitter error");
    return -1;
  }
  return 0;
}

static int emit_scalar(E *w, const char *s, size_t n, int is_string) {
  yaml_event_t ev;
  yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
  int plain_implicit = 1;
  if (is_string) {
    double num;
    if (resolve_plain(s, n, &num) != R_STR || yaml11_word(s, n)) {
      style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
      plain_implicit = 0;
    } else if (memchr(s, '\n', n)) {
      style = YAML_LITERAL_SCALAR_STYLE;
    }
  }
  if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)n, plain_implicit, 1, style)) {
    JS_ThrowTypeError(w->ctx, "YAML stringify: a string is not valid UTF-8");
    return -1;
  }
  return emit(w, &ev);
}

static int emit_js_string(E *w, JSValueConst v) {
  size_t n;
  const char *s = JS_ToCStringLen(w->ctx, &n, v);
  if (!s) return -1;
  int r = emit_scalar(w, s, n, 1);
  JS_FreeCString(w->ctx, s);
  return r;
}

/* Values JSON.stringify leaves out of objects (and writes as null in arrays). */
static int skipped(JSContext *ctx, JSValueConst v) {
  return JS_IsUndefined(v) || JS_IsFunction(ctx, v) || JS_IsSymbol(v);
}

static int emit_value(E *w, JSValueConst v, int depth) {
  JSContext *ctx = w->ctx;
  if (depth > w->max_depth) {
    JS_ThrowRangeError(ctx, "YAML stringify: value nested deeper than %d levels (or circular)", w->max_depth);
    return -1;
  }
  if (JS_IsNull(v) || skipped(ctx, v)) return emit_scalar(w, "null", 4, 0);
  if (JS_IsBool(v)) return JS_ToBool(ctx, v) ? emit_scalar(w, "true", 4, 0) : emit_scalar(w, "false", 5, 0);
  if (JS_IsString(v)) return emit_js_string(w, v);
  if (JS_IsNumber(v)) {
    double d;
    JS_ToFloat64(ctx, &d, v);
    if (isnan(d)) return emit_scalar(w, ".nan", 4, 0);
    if (isinf(d)) return d > 0 ? emit_scalar(w, ".inf", 4, 0) : emit_scalar(w, "-.inf", 5, 0);
  }
  if (!JS_IsObject(v)) {
    size_t n;
    const char *s = JS_ToCStringLen(ctx, &n, v);
    if (!s) return -1;
    int r = emit_scalar(w, s, n, 0);
    JS_FreeCString(ctx, s);
    return r;
  }
  JSValue toJSON = JS_GetPropertyStr(ctx, v, "toJSON");
  if (JS_IsException(toJSON)) return -1;
  if (JS_IsFunction(ctx, toJSON)) {
    JSValue r = JS_Call(ctx, toJSON, v, 0, NULL);
    JS_FreeValue(ctx, toJSON);
    if (JS_IsException(r)) return -1;
    int rc = emit_value(w, r, depth + 1);
    JS_FreeValue(ctx, r);
    return rc;
  }
  JS_FreeValue(ctx, toJSON);
  yaml_event_t ev;
  int arr = JS_IsArray(ctx, v);
  if (arr < 0) return -1;
  if (arr) {
    uint32_t n;
    JSValue lv = JS_GetPropertyStr(ctx, v, "length");
    if (JS_ToUint32(ctx, &n, lv)) {
      JS_FreeValue(ctx, lv);
      return -1;
    }
    JS_FreeValue(ctx, lv);
    yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
    if (emit(w, &ev)) return -1;
    for (uint32_t i = 0; i < n; i++) {
      JSValue item = JS_GetPropertyUint32(ctx, v, i);
      if (JS_IsException(item)) return -1;
      int r = emit_value(w, item, depth + 1);
      JS_FreeValue(ctx, item);
      if (r) return -1;
    }
    yaml_sequence_end_event_initialize(&ev);
    return emit(w, &ev);
  }
  JSPropertyEnum *props;
  uint32_t n;
  if (JS_GetOwnPropertyNames(ctx, &props, &n, v, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY)) return -1;
  int rc = 0;
  yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
  rc = emit(w, &ev);
  for (uint32_t i = 0; i < n && !rc; i++) {
    JSValue item = JS_GetProperty(ctx, v, props[i].atom);
    if (JS_IsException(item)) {
      rc = -1;
      break;
    }
    if (!skipped(ctx, item)) {
      JSValue key = JS_AtomToString(ctx, props[i].atom);
      rc = JS_IsException(key) ? -1 : emit_js_string(w, key);
      JS_FreeValue(ctx, key);
      if (!rc) rc = emit_value(w, item, depth + 1);
    }
    JS_FreeValue(ctx, item);
  }
  for (uint32_t i = 0; i < n; i++) JS_FreeAtom(ctx, props[i].atom);
  js_free(ctx, props);
  if (rc) return -1;
  yaml_mapping_end_event_initialize(&ev);
  return emit(w, &ev);
}

/* yamlStringify(value, maxDepth) -> string (one document, Go-YAML layout, no `---`) */
static JSValue f_yaml_stringify(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  (void)this_val;
  E w;
  memset(&w, 0, sizeof w);
  w.ctx = ctx;
  int32_t md = 1000;
  if (argc > 1 && !JS_IsUndefined(argv[1])) JS_ToInt32(ctx, &md, argv[1]);
  /* emit_value recurses in C: past ~2000 levels the native stack, not the cap, would stop it */
  w.max_depth = md < 1 ? 1 : md > 2000 ? 2000 : md;
  if (!yaml_emitter_initialize(&w.em)) return JS_ThrowOutOfMemory(ctx);
  yaml_emitter_set_output(&w.em, write_out, &w);
  yaml_emitter_set_unicode(&w.em, 1);
  yaml_emitter_set_width(&w.em, -1);
  yaml_emitter_set_indent(&w.em, 2);
  yaml_emitter_set_break(&w.em, YAML_LN_BREAK);
  yaml_event_t ev;
  int rc = 0;
  yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
  rc = emit(&w, &ev);
  if (!rc) {
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    rc = emit(&w, &ev);
  }
  if (!rc) rc = emit_value(&w, argc > 0 ? argv[0] : JS_UNDEFINED, 0);
  if (!rc) {
    yaml_document_end_event_initialize(&ev, 1);
    rc = emit(&w, &ev);
  }
  if (!rc) {
    yaml_stream_end_event_initialize(&ev);
    rc = emit(&w, &ev);
  }
  yaml_emitter_delete(&w.em);
  JSValue out = rc ? JS_EXCEPTION : JS_NewStringLen(ctx, (const char *)w.buf, w.len);
  js_free_rt(cap_rt, w.buf);
  return out;
}

static const JSCFunctionListEntry yaml_funcs[] = {
  JS_CFUNC_DEF("yamlParse", 4, f_yaml_parse),
  JS_CFUNC_DEF("yamlStringify", 2, f_yaml_stringify),
};

void cap_install_yaml(JSContext *ctx, JSValue cap) {
  JS_SetPropertyFunctionList(ctx, cap, yaml_funcs, sizeof(yaml_funcs) / sizeof(yaml_funcs[0]));
}
