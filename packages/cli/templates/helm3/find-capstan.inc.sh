# Which capstan runs: $CAPSTAN_BIN, else the one that generated this file, else capstan on PATH.
capstan_found() {
  case $1 in
    */*) [ -f "$1" ] && [ -x "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}
capstan_bin=${CAPSTAN_BIN:-__CAPSTAN__}
if ! capstan_found "$capstan_bin"; then
  if [ -z "${CAPSTAN_BIN:-}" ] && capstan_found capstan; then
    capstan_bin=capstan
  else
    echo "error: capstan not found: $capstan_bin is not an executable${CAPSTAN_BIN:+ (from CAPSTAN_BIN)} and there is no capstan on PATH" >&2
    echo "hint: install capstan (npm install -g @capstan/cli) or set CAPSTAN_BIN to its path, then run helm again" >&2
    exit 127
  fi
fi
# Capstan's plugin home as baked in (where the Wasm plugins are): neither Helm's HELM_PLUGINS
# nor a CAPSTAN_PLUGINS meant for whoever started helm. CAPSTAN_BRIDGE_PLUGINS overrides it.
CAPSTAN_PLUGINS=${CAPSTAN_BRIDGE_PLUGINS:-__PLUGIN_HOME__}
export CAPSTAN_PLUGINS
