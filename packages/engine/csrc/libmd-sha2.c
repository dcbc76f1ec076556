// libmd's SHA-256/384/512 (OpenBSD sha2.c from the Debian source package libmd, fetched into
// .cache/ by scripts/build-engine.mjs; -I points at .cache/patched-md). capstan-hash.c exposes it.
#include "sha2.c"
