// Extism kernel imports (module "extism:host/env") and bulk helpers that move bytes between
// the plugin's linear memory and the host-managed kernel memory.
#ifndef CAPSTAN_KERNEL_H
#define CAPSTAN_KERNEL_H
#include <stddef.h>
#include <stdint.h>

#define EXTISM_IMPORT(n) __attribute__((import_module("extism:host/env"), import_name(#n)))

EXTISM_IMPORT(input_length) uint64_t extism_input_length(void);
EXTISM_IMPORT(input_load_u8) uint32_t extism_input_load_u8(uint64_t offs);
EXTISM_IMPORT(input_load_u64) uint64_t extism_input_load_u64(uint64_t offs);
EXTISM_IMPORT(alloc) uint64_t extism_alloc(uint64_t len);
EXTISM_IMPORT(free) void extism_free(uint64_t offs);
EXTISM_IMPORT(length) uint64_t extism_length(uint64_t offs);
EXTISM_IMPORT(load_u8) uint32_t extism_load_u8(uint64_t offs);
EXTISM_IMPORT(load_u64) uint64_t extism_load_u64(uint64_t offs);
EXTISM_IMPORT(store_u8) void extism_store_u8(uint64_t offs, uint32_t v);
EXTISM_IMPORT(store_u64) void extism_store_u64(uint64_t offs, uint64_t v);
EXTISM_IMPORT(output_set) void extism_output_set(uint64_t offs, uint64_t len);
EXTISM_IMPORT(error_set) void extism_error_set(uint64_t offs);
EXTISM_IMPORT(config_get) uint64_t extism_config_get(uint64_t key);
EXTISM_IMPORT(var_get) uint64_t extism_var_get(uint64_t key);
EXTISM_IMPORT(var_set) void extism_var_set(uint64_t key, uint64_t val);
EXTISM_IMPORT(http_request) uint64_t extism_http_request(uint64_t req, uint64_t body);
EXTISM_IMPORT(http_status_code) int32_t extism_http_status_code(void);
EXTISM_IMPORT(http_headers) uint64_t extism_http_headers(void);
EXTISM_IMPORT(log_trace) void extism_log_trace(uint64_t offs);
EXTISM_IMPORT(log_debug) void extism_log_debug(uint64_t offs);
EXTISM_IMPORT(log_info) void extism_log_info(uint64_t offs);
EXTISM_IMPORT(log_warn) void extism_log_warn(uint64_t offs);
EXTISM_IMPORT(log_error) void extism_log_error(uint64_t offs);
EXTISM_IMPORT(get_log_level) int32_t extism_get_log_level(void);

/** Copies n bytes of the call input into dst (one host call per 8 bytes: the ABI's best). */
void kernel_input_read(uint8_t *dst, size_t n);
/** Copies n bytes at kernel offset offs into dst. */
void kernel_read(uint64_t offs, uint8_t *dst, size_t n);
/** Copies n bytes from src to kernel offset offs. */
void kernel_write(uint64_t offs, const uint8_t *src, size_t n);
/** Allocates a kernel block holding a copy of src; returns its offset (0 on failure). */
uint64_t kernel_store(const uint8_t *src, size_t n);
#endif
