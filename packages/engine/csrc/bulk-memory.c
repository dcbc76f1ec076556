// memcpy/memmove/memset as single bulk-memory instructions. Defining them here keeps
// wasi-libc's byte-loop versions out of the link, so libc internals (realloc in dlmalloc,
// string functions) use memory.copy / memory.fill too. Needs -mbulk-memory, with which
// clang lowers these builtins to the instructions (never back to a libcall).
#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
  __builtin_memcpy(dst, src, n);
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  __builtin_memmove(dst, src, n);
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  __builtin_memset(dst, c, n);
  return dst;
}
