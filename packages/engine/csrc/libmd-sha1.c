// libmd's SHA-1 (OpenBSD sha1.c from the Debian source package libmd, fetched into .cache/ by
// scripts/build-engine.mjs; -I points at .cache/patched-md). capstan-hash.c exposes it.
#include "sha1.c"
