// The part of @capstan/host that `plugin list` needs (discovery, install records, provenance).
// Not host-lite.ts: that one also holds the getter and post-renderer invokers, and `plugin
// list` runs from the entry bundle (light-builtins.ts), which plugin calls read too.
export {
  defaultKeyringPath,
  describePluginProvenance,
  discoverPlugins,
  installRecordFor,
  normalizePluginType,
  pluginHasType,
  provenanceStatus,
} from "@capstan/host";
