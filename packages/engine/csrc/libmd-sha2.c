// libmd's SHA-256/384/512 (OpenBSD sha2.c from the Debian source package libmd, fetched into
// .cache/ by scripts/build-engine.mjs; -I points at .cache/patched-md). capstan-hash.c exposes it.
// libmd unrolls the rounds only on x86; in Wasm the unrolled form is also ~1.4x faster.
#define SHA2_UNROLL_TRANSFORM
#include "sha2.c"
