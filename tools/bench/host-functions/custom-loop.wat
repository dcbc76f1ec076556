;; 20000 calls of an embedder's typed host function echo_json (json in, json out) from one export, "loop".
(module
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "free" (func $free (param i64)))
  (import "extism:host/user" "echo_json" (func $f (param i64) (result i64)))
  (memory (export "memory") 1)
  (func (export "loop") (result i32)
    (local $i i32) (local $h i64)
    (local.set $h (call $alloc (i64.const 2)))
    (call $store_u8 (local.get $h) (i32.const 123))
    (call $store_u8 (i64.add (local.get $h) (i64.const 1)) (i32.const 125))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (i32.const 20000)))
      (call $free (call $f (local.get $h)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (i32.const 0)))
