// @capstan/distribution: getting plugins: sources (directory, .tgz, https, git, OCI), archive
// reading and writing, install/update/uninstall into the plugin home, package, push. Running
// what is installed is @capstan/host (the only package this one builds on besides manifest and
// signing). repo/: plugin repositories (index.yaml, repo add/update, search, install <repo>/<plugin>).
export const packageName = "@capstan/distribution";
export type { ArchiveMember } from "./archive/extract.js";
export { extractArchive, readArchive } from "./archive/extract.js";
export type { ArchiveLimits } from "./archive/limits.js";
export { archiveLimits } from "./archive/limits.js";
export type { TarEntry } from "./archive/tar-writer.js";
export { writeTar } from "./archive/tar-writer.js";
export type { InstallErrorCode } from "./errors.js";
export { InstallError } from "./errors.js";
export { withInstallLock } from "./install/install-lock.js";
export type { InstallOptions, InstallResult, UpdateOptions, UpdateResult } from "./install/install-plugin.js";
export { installPlugin, updatePlugin } from "./install/install-plugin.js";
export type { PluginGrants } from "./install/plugin-grants.js";
export { formatGrants, pluginGrants, terminalSafe, widenedGrants } from "./install/plugin-grants.js";
export type { UninstallOptions } from "./install/uninstall-plugin.js";
export { uninstallPlugin } from "./install/uninstall-plugin.js";
export type { OciClientOptions, OciDescriptor, OciManifest } from "./oci/oci-client.js";
export { OciClient } from "./oci/oci-client.js";
export { PLUGIN_ARTIFACT_TYPE } from "./oci/oci-media-types.js";
export type { OciReference } from "./oci/oci-reference.js";
export { parseOciReference } from "./oci/oci-reference.js";
export type { PluginArchive } from "./package/package-plugin.js";
export { buildPluginArchive, packagePlugin, writePluginArchive } from "./package/package-plugin.js";
export type { PushResult } from "./push/push-plugin.js";
export { pushPlugin } from "./push/push-plugin.js";
export type { PublisherInfo } from "./repo/artifacthub.js";
export type { RepoIndexOptions, RepoIndexResult } from "./repo/index-build.js";
export { buildRepoIndex } from "./repo/index-build.js";
export type { IndexEntry, PluginIndex } from "./repo/index-format.js";
export { parseIndex } from "./repo/index-format.js";
export type { IndexSigner } from "./repo/index-signature.js";
export { writeIndexSignature } from "./repo/index-signature.js";
export type { RepoConfigEntry } from "./repo/repo-config.js";
export type { SearchHit, SearchOptions } from "./repo/repo-search.js";
export { searchRepositories } from "./repo/repo-search.js";
export type { AddRepoOptions, RepoContext, RepoUpdateResult } from "./repo/repositories.js";
export {
  addRepository,
  listRepositories,
  removeRepository,
  updateRepositories,
} from "./repo/repositories.js";
export { printable } from "./repo/safe-text.js";
export { sourceKind } from "./sources/source-kind.js";
