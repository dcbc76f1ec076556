// Bulk byte moves over the Extism kernel ABI. The kernel memory is owned by the host, so the
// only primitives are load/store of u8/u64: 8-byte words for the body, bytes for the tail.
#include "kernel.h"
#include <string.h>

void kernel_input_read(uint8_t *dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w = extism_input_load_u64(i);
    memcpy(dst + i, &w, 8);
  }
  for (; i < n; i++) dst[i] = (uint8_t)extism_input_load_u8(i);
}

void kernel_read(uint64_t offs, uint8_t *dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w = extism_load_u64(offs + i);
    memcpy(dst + i, &w, 8);
  }
  for (; i < n; i++) dst[i] = (uint8_t)extism_load_u8(offs + i);
}

void kernel_write(uint64_t offs, const uint8_t *src, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, src + i, 8);
    extism_store_u64(offs + i, w);
  }
  for (; i < n; i++) extism_store_u8(offs + i, src[i]);
}

uint64_t kernel_store(const uint8_t *src, size_t n) {
  uint64_t offs = extism_alloc(n);
  if (offs == 0 && n != 0) return 0;
  kernel_write(offs, src, n);
  return offs;
}
