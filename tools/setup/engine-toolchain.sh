#!/usr/bin/env bash
# Installs what @capstan/engine needs to build engine.wasm, from Debian packages only:
#   - the wasm32-wasi C toolchain (clang, lld, wasi-libc, wasm32 compiler-rt);
#   - the QuickJS source (Debian source package quickjs, pinned version, from trixie's deb-src),
#     fetched with apt-get through a PRIVATE sources list so the system's apt config is untouched;
#     when the pinned Debian revision has left the archive, any revision whose orig tarball has
#     the pinned sha256 is used instead.
# Usage:
#   engine-toolchain.sh toolchain          install the compiler packages when missing (needs root)
#   engine-toolchain.sh source <dir>       download + verify + unpack QuickJS into <dir>
#   engine-toolchain.sh yaml-source <dir>  the same for libyaml (YAML parser/emitter, capstan-yaml.c)
#   engine-toolchain.sh libmd-source <dir> the same for libmd's orig tarball (SHA-1/SHA-2, capstan-hash.c)
# Idempotent: does nothing when everything is already there.
set -euo pipefail

QJS_VERSION="2025.04.26-1"
QJS_ORIG="quickjs_2025.04.26.orig.tar.xz"
QJS_SHA256="ec81da5b3249ed648dbc7df4a1654988910e66a118d9b71cb63534216efcfbbe"
QJS_SUITE="trixie"
# The source package source_pkg fetches (quickjs unless yaml-source switched it to libyaml).
SRC_PKG="quickjs"
SRC_PROBE="quickjs.c"
# libmd (BSD sha1.c/sha2.c, used by csrc/capstan-hash.c): only the upstream (orig) tarball is needed.
MD_VERSION="1.1.0-2"
MD_ORIG="libmd_1.1.0.orig.tar.xz"
MD_SHA256="1bd6aa42275313af3141c7cf2e5b964e8b1fd488025caf2f971f43b00776b332"
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

# Prints the versions of source package quickjs in the private lists whose orig tarball has
# $QJS_SHA256: the pinned version first, then any other Debian revision of the same upstream
# (trixie drops -1 once -2 lands; the orig tarball is byte-identical across revisions).
matching_versions() {
  local ver="" in_sums=0 hit=0 found=() line
  while IFS= read -r line; do
    case "$line" in
      "Version: "*) ver="${line#Version: }" ;;
      "Checksums-Sha256:"*) in_sums=1; continue ;;
      "") [ "$hit" = 1 ] && found+=("$ver"); ver=""; in_sums=0; hit=0; continue ;;
    esac
    if [ "$in_sums" = 1 ]; then
      case "$line" in
        " "*) [[ "$line" == " $QJS_SHA256 "*".orig.tar."* ]] && hit=1 ;;
        *) in_sums=0 ;;
      esac
    fi
  done < <(apt-cache "$@" showsrc "$SRC_PKG" 2>/dev/null; echo)
  local v
  for v in "${found[@]}"; do if [ "$v" = "$QJS_VERSION" ]; then echo "$v"; fi; done
  for v in "${found[@]}"; do if [ "$v" != "$QJS_VERSION" ]; then echo "$v"; fi; done
  return 0
}

# Downloads into a temporary directory and moves the unpacked tree into place only after the
# checksum matched and tar succeeded: an interrupted run leaves no half-filled cache.
source_pkg() {
  local dest="$1"
  if [ -f "$dest/$SRC_PROBE" ] && [ -f "$dest/.capstan-source" ]; then return 0; fi
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
  if ! apt-get "${opts[@]}" update -qq >&2; then
    echo "capstan engine: apt-get update of the $QJS_SUITE deb-src list failed (network, or /usr/share/keyrings/debian-archive-keyring.gpg missing: apt-get install debian-archive-keyring)" >&2
    return 1
  fi
  local versions=() v pick=""
  mapfile -t versions < <(matching_versions "${opts[@]}")
  for v in "${versions[@]}"; do
    [ -n "$v" ] || continue
    if [ "$v" != "$QJS_VERSION" ]; then
      echo "capstan engine: $SRC_PKG $QJS_VERSION is gone from $QJS_SUITE; using $v (same orig tarball)" >&2
    fi
    rm -f "$work/src/"*
    if (cd "$work/src" && apt-get "${opts[@]}" source --download-only -qq "$SRC_PKG=$v" >&2) &&
      echo "$QJS_SHA256  $work/src/$QJS_ORIG" | sha256sum -c --quiet - >&2; then
      pick="$v"
      break
    fi
  done
  if [ -z "$pick" ]; then
    echo "capstan engine: no $SRC_PKG source in Debian $QJS_SUITE has the pinned orig tarball $QJS_ORIG (sha256 $QJS_SHA256); versions there: $(apt-cache "${opts[@]}" showsrc "$SRC_PKG" 2>/dev/null | sed -n 's/^Version: //p' | tr '\n' ' ')" >&2
    echo "hint: pin the new upstream (QJS_VERSION, QJS_ORIG, QJS_SHA256 in tools/setup/engine-toolchain.sh; QJS_DIR in packages/engine/scripts/build-engine.mjs), then run npx pnpm@9.15.9 build in packages/engine and the compiler tests" >&2
    return 1
  fi
  # Unpacked next to $dest so the final rename stays on one filesystem.
  local part="$dest.partial.$$"
  mkdir -p "$(dirname "$dest")"
  rm -rf "$part"
  mkdir -p "$part"
  if ! tar -xf "$work/src/$QJS_ORIG" -C "$part" --strip-components=1; then
    rm -rf "$part"
    return 1
  fi
  echo "debian $SRC_PKG $pick ($QJS_SUITE) sha256 $QJS_SHA256" >"$part/.capstan-source"
  rm -rf "$dest"
  mv "$part" "$dest"
}

# Fetches only a source package's orig tarball (apt-helper checks its sha256 while downloading)
# and unpacks it into <dest>; the Debian packaging is not needed for the files we compile, and a
# mirror that lacks the .debian.tar of a revision still serves the orig tarball.
orig_source() {
  local pkg="$1" ver="$2" orig="$3" sha="$4" dest="$5"
  if [ -f "$dest/.capstan-source" ]; then return 0; fi
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $QJS_SUITE main" >"$work/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=$(id -un)")
  apt-get "${opts[@]}" update -qq >&2
  local uri
  uri="$(cd "$work" && apt-get "${opts[@]}" source --print-uris -qq "$pkg=$ver" | sed -n "s/^'\\([^']*\/$orig\\)'.*/\\1/p")"
  if [ -z "$uri" ]; then
    echo "capstan engine: Debian $QJS_SUITE has no source package $pkg=$ver; versions there: $(apt-cache "${opts[@]}" showsrc "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | tr '\n' ' ')" >&2
    echo "hint: pin the new version (MD_VERSION, MD_ORIG, MD_SHA256 in tools/setup/engine-toolchain.sh), then rebuild packages/engine and run its tests" >&2
    return 1
  fi
  /usr/lib/apt/apt-helper "${opts[@]}" download-file "$uri" "$work/$orig" "SHA256:$sha" >&2
  local part="$dest.partial.$$"
  rm -rf "$part"
  mkdir -p "$part"
  tar -xf "$work/$orig" -C "$part" --strip-components=1 || { rm -rf "$part"; return 1; }
  echo "debian $pkg $ver orig tarball ($QJS_SUITE) sha256 $sha" >"$part/.capstan-source"
  rm -rf "$dest"
  mv "$part" "$dest"
}

case "${1:-toolchain}" in
  toolchain) toolchain ;;
  libmd-source) orig_source libmd "$MD_VERSION" "$MD_ORIG" "$MD_SHA256" "${2:?destination directory}" ;;
  clang-version) find_clang ;;
  source) source_pkg "${2:?destination directory}" ;;
  yaml-source)
    SRC_PKG="libyaml" SRC_PROBE="src/scanner.c" QJS_VERSION="0.2.5-2" QJS_ORIG="libyaml_0.2.5.orig.tar.gz"
    QJS_SHA256="fa240dbf262be053f3898006d502d514936c818e422afdcf33921c63bed9bf2e"
    source_pkg "${2:?destination directory}" ;;
  *) echo "usage: $0 toolchain | clang-version | source <dir> | yaml-source <dir> | libmd-source <dir>" >&2; exit 2 ;;
esac
