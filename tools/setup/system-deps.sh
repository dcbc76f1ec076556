#!/usr/bin/env bash
# Installs the Debian packages that builds and tests need, only when something is missing.
# Idempotent and quiet when everything is present. Add a package here in the same change as
# the test that needs it.
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have gpg || need+=(gnupg)
have git || need+=(git)
# self-signed certificates for the https getter's TLS tests (packages/host/test/getter-tls.test.ts)
have openssl || need+=(openssl)
# OCI registry for install/push tests (packages/distribution/test/oci*.test.ts)
[ -x /usr/bin/docker-registry ] || need+=(docker-registry)
# the shells whose completion scripts run in packages/cli/test/cli-completion.test.ts (bash is there)
have zsh || need+=(zsh)
have fish || need+=(fish)
# wasm32-wasi toolchain for @capstan/engine (clang, lld, wasi-libc, compiler-rt; LLVM version
# chosen by the script from what the Debian release offers)
bash "$(dirname "${BASH_SOURCE[0]}")/engine-toolchain.sh" toolchain
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "capstan setup: missing Debian packages: ${need[*]}. Run as root or: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "capstan setup: apt-get install ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
