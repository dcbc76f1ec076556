// WASI access for plugins (Capstan extension, added for the sample plugins): the allowed
// environment, stdout/stderr, reading files and directories under the sandbox's preopened
// directories, and sleeping (poll_oneoff on a clock) for timers that wait for real.
// Everything calls WASI directly at call time: wasi-libc's environ and preopen tables would
// hold the snapshot's (empty) values, since Wizer runs the init with no env and no mounts.
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>
#include "engine.h"

static const char *errno_text(__wasi_errno_t e) {
  switch (e) {
    case __WASI_ERRNO_NOENT: return "no such file or directory";
    case __WASI_ERRNO_ACCES:
    case __WASI_ERRNO_PERM:
    case __WASI_ERRNO_NOTCAPABLE: return "not allowed by the sandbox (runtimeConfig.allowedPaths)";
    case __WASI_ERRNO_ISDIR: return "is a directory";
    case __WASI_ERRNO_NOTDIR: return "a path component is not a directory";
    case __WASI_ERRNO_BADF: return "bad file descriptor";
    default: return "I/O error";
  }
}

/* envGet(name): string or null (the host passes only runtimeConfig.env's names) */
static JSValue f_env_get(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const char *name = JS_ToCString(ctx, argc > 0 ? argv[0] : JS_UNDEFINED);
  if (!name) return JS_EXCEPTION;
  __wasi_size_t count = 0, size = 0;
  JSValue result = JS_NULL;
  if (__wasi_environ_sizes_get(&count, &size) == 0 && count > 0) {
    uint8_t **ptrs = js_malloc(ctx, count * sizeof(uint8_t *));
    uint8_t *buf = js_malloc(ctx, size ? size : 1);
    if (ptrs && buf && __wasi_environ_get(ptrs, buf) == 0) {
      size_t n = strlen(name);
      for (__wasi_size_t i = 0; i < count; i++) {
        const char *kv = (const char *)ptrs[i];
        if (strncmp(kv, name, n) == 0 && kv[n] == '=') {
          result = JS_NewString(ctx, kv + n + 1);
          break;
        }
      }
    }
    js_free(ctx, ptrs);
    js_free(ctx, buf);
  }
  JS_FreeCString(ctx, name);
  return result;
}

/* envNames(): string[] (names of the variables the host passed) */
static JSValue f_env_names(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  JSValue arr = JS_NewArray(ctx);
  __wasi_size_t count = 0, size = 0;
  if (__wasi_environ_sizes_get(&count, &size) != 0 || count == 0) return arr;
  uint8_t **ptrs = js_malloc(ctx, count * sizeof(uint8_t *));
  uint8_t *buf = js_malloc(ctx, size ? size : 1);
  if (ptrs && buf && __wasi_environ_get(ptrs, buf) == 0) {
    for (__wasi_size_t i = 0; i < count; i++) {
      const char *kv = (const char *)ptrs[i];
      const char *eq = strchr(kv, '=');
      JS_SetPropertyUint32(ctx, arr, i, JS_NewStringLen(ctx, kv, eq ? (size_t)(eq - kv) : strlen(kv)));
    }
  }
  js_free(ctx, ptrs);
  js_free(ctx, buf);
  return arr;
}

/* fdWrite(fd, bytes): writes everything to fd 1 (stdout) or 2 (stderr); returns the count */
static JSValue f_fd_write(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  int32_t fd = 0;
  if (JS_ToInt32(ctx, &fd, argc > 0 ? argv[0] : JS_UNDEFINED)) return JS_EXCEPTION;
  if (fd != 1 && fd != 2) return JS_ThrowRangeError(ctx, "fdWrite: only fd 1 (stdout) and 2 (stderr)");
  JSValue v = argc > 1 ? argv[1] : JS_UNDEFINED;
  size_t len = 0;
  const char *cstr = NULL;
  const uint8_t *ptr = NULL;
  if (JS_IsString(v)) {
    cstr = JS_ToCStringLen(ctx, &len, v);
    if (!cstr) return JS_EXCEPTION;
    ptr = (const uint8_t *)cstr;
  } else {
    size_t size = 0;
    ptr = JS_GetArrayBuffer(ctx, &size, v);
    if (!ptr) return JS_EXCEPTION; /* the prelude passes strings or ArrayBuffers */
    len = size;
  }
  size_t off = 0;
  __wasi_errno_t e = 0;
  while (off < len) {
    __wasi_ciovec_t iov = {.buf = ptr + off, .buf_len = len - off};
    __wasi_size_t n = 0;
    e = __wasi_fd_write(fd, &iov, 1, &n);
    if (e != 0 || n == 0) break;
    off += n;
  }
  if (cstr) JS_FreeCString(ctx, cstr);
  if (e != 0) return JS_ThrowInternalError(ctx, "write to fd %d: %s", fd, errno_text(e));
  return JS_NewInt64(ctx, (int64_t)off);
}

/* The preopened directory holding `path` (longest prefix); *rel gets the rest. -1 if none. */
static int find_preopen(const char *path, const char **rel) {
  int best = -1;
  size_t best_len = 0;
  char name[1024];
  for (__wasi_fd_t fd = 3; fd < 3 + 256; fd++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) break;
    if (ps.tag != __WASI_PREOPENTYPE_DIR || ps.u.dir.pr_name_len >= sizeof(name)) continue;
    size_t n = ps.u.dir.pr_name_len;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, n) != 0) continue;
    name[n] = 0;
    while (n > 1 && name[n - 1] == '/') name[--n] = 0;
    int root = n == 1 && name[0] == '/';
    if (!root && (strncmp(path, name, n) != 0 || (path[n] != '/' && path[n] != 0))) continue;
    size_t used = root ? 1 : n;
    if (best < 0 || used > best_len) {
      best = (int)fd;
      best_len = used;
    }
  }
  if (best >= 0) {
    const char *r = path + best_len;
    while (*r == '/') r++;
    *rel = *r ? r : ".";
  }
  return best;
}

/* The preopen holding absolute `path` (and the rest in *rel), or -1 after throwing an error
   that names the path. */
static int mounted(JSContext *ctx, const char *op, const char *path, const char **rel) {
  int dir = path[0] == '/' ? find_preopen(path, rel) : -1;
  if (dir < 0)
    JS_ThrowInternalError(ctx, "%s %s: %s", op, path,
                          path[0] == '/' ? "not inside any directory the sandbox mounts (runtimeConfig.allowedPaths)"
                                         : "paths must be absolute inside a plugin");
  return dir;
}

/* readFile(path): ArrayBuffer; path is absolute, inside a mounted directory */
static JSValue f_read_file(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const char *path = JS_ToCString(ctx, argc > 0 ? argv[0] : JS_UNDEFINED);
  if (!path) return JS_EXCEPTION;
  const char *rel = NULL;
  int dir = mounted(ctx, "open", path, &rel);
  if (dir < 0) {
    JS_FreeCString(ctx, path);
    return JS_EXCEPTION;
  }
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open((__wasi_fd_t)dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, rel, 0,
                                      __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0, 0, &fd);
  if (e != 0) {
    JSValue err = JS_ThrowInternalError(ctx, "open %s: %s", path, errno_text(e));
    JS_FreeCString(ctx, path);
    return err;
  }
  size_t cap = 65536, len = 0;
  uint8_t *data = js_malloc(ctx, cap);
  while (data) {
    if (len == cap) {
      uint8_t *bigger = js_realloc(ctx, data, cap * 2);
      if (!bigger) {
        js_free(ctx, data);
        data = NULL;
        break;
      }
      data = bigger;
      cap *= 2;
    }
    __wasi_iovec_t iov = {.buf = data + len, .buf_len = cap - len};
    __wasi_size_t n = 0;
    e = __wasi_fd_read(fd, &iov, 1, &n);
    if (e != 0 || n == 0) break;
    len += n;
  }
  (void)__wasi_fd_close(fd);
  if (!data) {
    JS_FreeCString(ctx, path);
    return JS_EXCEPTION;
  }
  if (e != 0) {
    js_free(ctx, data);
    JSValue err = JS_ThrowInternalError(ctx, "read %s: %s", path, errno_text(e));
    JS_FreeCString(ctx, path);
    return err;
  }
  JS_FreeCString(ctx, path);
  JSValue ab = JS_NewArrayBufferCopy(ctx, data, len);
  js_free(ctx, data);
  return ab;
}

static const char *filetype_name(__wasi_filetype_t t) {
  switch (t) {
    case __WASI_FILETYPE_REGULAR_FILE: return "file";
    case __WASI_FILETYPE_DIRECTORY: return "directory";
    case __WASI_FILETYPE_SYMBOLIC_LINK: return "symlink";
    default: return "other";
  }
}

/* readDir(path): [{name, type}] sorted by name; type "file" | "directory" | "symlink" | "other" */
static JSValue f_read_dir(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const char *path = JS_ToCString(ctx, argc > 0 ? argv[0] : JS_UNDEFINED);
  if (!path) return JS_EXCEPTION;
  const char *rel = NULL;
  int dir = mounted(ctx, "readDir", path, &rel);
  if (dir < 0) {
    JS_FreeCString(ctx, path);
    return JS_EXCEPTION;
  }
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open((__wasi_fd_t)dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, rel,
                                      __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd);
  if (e != 0) {
    JSValue err = JS_ThrowInternalError(ctx, "readDir %s: %s", path, errno_text(e));
    JS_FreeCString(ctx, path);
    return err;
  }
  JSValue arr = JS_NewArray(ctx);
  uint32_t count = 0;
  size_t cap = 16384;
  uint8_t *buf = js_malloc(ctx, cap);
  __wasi_dircookie_t cookie = 0;
  while (buf) {
    __wasi_size_t used = 0;
    e = __wasi_fd_readdir(fd, buf, cap, cookie, &used);
    if (e != 0) break;
    size_t off = 0;
    int progressed = 0;
    while (off + sizeof(__wasi_dirent_t) <= used) {
      __wasi_dirent_t ent;
      memcpy(&ent, buf + off, sizeof ent);
      if (off + sizeof ent + ent.d_namlen > used) break; /* a truncated entry: read again from it */
      const char *name = (const char *)buf + off + sizeof ent;
      int dots = (ent.d_namlen == 1 && name[0] == '.') || (ent.d_namlen == 2 && name[0] == '.' && name[1] == '.');
      if (!dots) {
        JSValue o = JS_NewObject(ctx);
        JS_SetPropertyStr(ctx, o, "name", JS_NewStringLen(ctx, name, ent.d_namlen));
        JS_SetPropertyStr(ctx, o, "type", JS_NewString(ctx, filetype_name(ent.d_type)));
        JS_SetPropertyUint32(ctx, arr, count++, o);
      }
      cookie = ent.d_next;
      off += sizeof ent + ent.d_namlen;
      progressed = 1;
    }
    if (used < cap) break; /* the end of the directory */
    if (!progressed) {     /* one entry larger than the buffer */
      uint8_t *bigger = js_realloc(ctx, buf, cap * 2);
      if (!bigger) break;
      buf = bigger;
      cap *= 2;
    }
  }
  (void)__wasi_fd_close(fd);
  js_free(ctx, buf);
  if (e != 0) {
    JS_FreeValue(ctx, arr);
    JSValue err = JS_ThrowInternalError(ctx, "readDir %s: %s", path, errno_text(e));
    JS_FreeCString(ctx, path);
    return err;
  }
  JS_FreeCString(ctx, path);
  return arr;
}

/* stat(path): {type, size, mtimeMs, atimeMs, ctimeMs} (symlinks followed) */
static JSValue f_stat(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  const char *path = JS_ToCString(ctx, argc > 0 ? argv[0] : JS_UNDEFINED);
  if (!path) return JS_EXCEPTION;
  const char *rel = NULL;
  int dir = mounted(ctx, "stat", path, &rel);
  if (dir < 0) {
    JS_FreeCString(ctx, path);
    return JS_EXCEPTION;
  }
  __wasi_filestat_t st;
  __wasi_errno_t e = __wasi_path_filestat_get((__wasi_fd_t)dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, rel, &st);
  if (e != 0) {
    JSValue err = JS_ThrowInternalError(ctx, "stat %s: %s", path, errno_text(e));
    JS_FreeCString(ctx, path);
    return err;
  }
  JS_FreeCString(ctx, path);
  JSValue o = JS_NewObject(ctx);
  JS_SetPropertyStr(ctx, o, "type", JS_NewString(ctx, filetype_name(st.filetype)));
  JS_SetPropertyStr(ctx, o, "size", JS_NewFloat64(ctx, (double)st.size));
  JS_SetPropertyStr(ctx, o, "mtimeMs", JS_NewFloat64(ctx, (double)st.mtim / 1e6));
  JS_SetPropertyStr(ctx, o, "atimeMs", JS_NewFloat64(ctx, (double)st.atim / 1e6));
  JS_SetPropertyStr(ctx, o, "ctimeMs", JS_NewFloat64(ctx, (double)st.ctim / 1e6));
  return o;
}

/* sleep(ms): blocks for ms (WASI poll_oneoff on the monotonic clock), never past the call's
   deadline: it wakes just after it, so the interrupt handler stops the call. */
static JSValue f_sleep(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
  double ms = 0;
  if (JS_ToFloat64(ctx, &ms, argc > 0 ? argv[0] : JS_UNDEFINED)) return JS_EXCEPTION;
  double deadline = cap_deadline_ms();
  if (deadline > 0) {
    double left = deadline - cap_hrtime_ms() + 1;
    if (ms > left) ms = left;
  }
  if (!(ms > 0)) return JS_UNDEFINED;
  __wasi_subscription_t sub;
  memset(&sub, 0, sizeof sub);
  sub.u.tag = __WASI_EVENTTYPE_CLOCK;
  sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub.u.u.clock.timeout = (__wasi_timestamp_t)(ms * 1e6);
  sub.u.u.clock.precision = 1000000;
  __wasi_event_t ev;
  __wasi_size_t n = 0;
  __wasi_errno_t e = __wasi_poll_oneoff(&sub, &ev, 1, &n);
  if (e != 0) return JS_ThrowInternalError(ctx, "sleep: the host refused to wait (%s)", errno_text(e));
  return JS_UNDEFINED;
}

static const JSCFunctionListEntry cap_wasi_funcs[] = {
  JS_CFUNC_DEF("readDir", 1, f_read_dir),
  JS_CFUNC_DEF("stat", 1, f_stat),
  JS_CFUNC_DEF("sleep", 1, f_sleep),
  JS_CFUNC_DEF("envGet", 1, f_env_get),
  JS_CFUNC_DEF("envNames", 0, f_env_names),
  JS_CFUNC_DEF("fdWrite", 2, f_fd_write),
  JS_CFUNC_DEF("readFile", 1, f_read_file),
};

/* Adds the WASI functions to the `__capstan` object. */
void cap_install_wasi(JSContext *ctx, JSValue cap) {
  JS_SetPropertyFunctionList(ctx, cap, cap_wasi_funcs, sizeof(cap_wasi_funcs) / sizeof(cap_wasi_funcs[0]));
}
