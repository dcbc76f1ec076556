#!/usr/bin/env bash
# Installs what @capstan/engine needs to build engine.wasm, from Debian packages only:
#   - the wasm32-wasi C toolchain (clang, lld, wasi-libc, wasm32 compiler-rt);
#   - the QuickJS source (Debian source package quickjs, pinned version, from trixie's deb-src),
#     fetched with apt-get through a PRIVATE sources list so the system's apt config is untouched.
# Usage:
#   engine-toolchain.sh toolchain          install the compiler packages when missing (needs root)
#   engine-toolchain.sh source <dir>       download + verify + unpack QuickJS into <dir>
# Idempotent: does nothing when everything is already there.
set -euo pipefail

QJS_VERSION="2025.04.26-1"
QJS_ORIG="quickjs_2025.04.26.orig.tar.xz"
QJS_SHA256="ec81da5b3249ed648dbc7df4a1654988910e66a118d9b71cb63534216efcfbbe"
QJS_SUITE="trixie"
# bookworm has every piece at LLVM 16; newer Debian releases carry newer numbers.
LLVM_CANDIDATES=(19 18 17 16)

find_clang() {
  for v in "${LLVM_CANDIDATES[@]}"; do
    if command -v "clang-$v" >/dev/null 2>&1 && command -v "wasm-ld-$v" >/dev/null 2>&1 \
      && [ -f /usr/lib/wasm32-wasi/libc.a ] \
      && ls /usr/lib/llvm-"$v"/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1; then
      echo "$v"
      return 0
    fi
  done
  return 1
}

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "capstan engine: missing Debian packages: $*. Run as root or: sudo apt-get install -y $*" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  local lock=(flock /tmp/apt.lock)
  command -v flock >/dev/null 2>&1 || lock=()
  "${lock[@]}" apt-get update -qq
  "${lock[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

toolchain() {
  if find_clang >/dev/null; then return 0; fi
  local pick=""
  apt-get update -qq >/dev/null 2>&1 || true
  for v in "${LLVM_CANDIDATES[@]}"; do
    if apt-cache show "clang-$v" "lld-$v" "libclang-rt-$v-dev-wasm32" wasi-libc >/dev/null 2>&1; then
      pick="$v"
      break
    fi
  done
  if [ -z "$pick" ]; then
    echo "capstan engine: no Debian clang with a wasm32 compiler-rt found (tried ${LLVM_CANDIDATES[*]})" >&2
    exit 1
  fi
  echo "capstan engine: apt-get install clang-$pick lld-$pick wasi-libc libclang-rt-$pick-dev-wasm32" >&2
  apt_install "clang-$pick" "lld-$pick" wasi-libc "libclang-rt-$pick-dev-wasm32"
  find_clang >/dev/null
}

source_pkg() {
  local dest="$1"
  if [ -f "$dest/quickjs.c" ] && [ -f "$dest/.capstan-source" ]; then return 0; fi
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
  cat >"$work/sources.list" <<EOF
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $QJS_SUITE main
EOF
  local opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=$(id -un)")
  apt-get "${opts[@]}" update -qq >&2
  (cd "$work/src" && apt-get "${opts[@]}" source --download-only -qq "quickjs=$QJS_VERSION" >&2)
  echo "$QJS_SHA256  $work/src/$QJS_ORIG" | sha256sum -c --quiet - >&2
  mkdir -p "$dest"
  tar -xJf "$work/src/$QJS_ORIG" -C "$dest" --strip-components=1
  echo "debian quickjs $QJS_VERSION ($QJS_SUITE) sha256 $QJS_SHA256" >"$dest/.capstan-source"
}

case "${1:-toolchain}" in
  toolchain) toolchain ;;
  clang-version) find_clang ;;
  source) source_pkg "${2:?destination directory}" ;;
  *) echo "usage: $0 toolchain | clang-version | source <dir>" >&2; exit 2 ;;
esac
