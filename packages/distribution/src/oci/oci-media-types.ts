// Media types of a Helm 4 plugin artifact. Helm 4 pulls a manifest whose artifactType is
// application/vnd.helm.plugin.v1+json and picks layers by their title annotation
// (<name>-<version>.tgz and <name>-<version>.tgz.prov); this is also what
// `oras push --artifact-type application/vnd.helm.plugin.v1+json` produces, so both tools
// read each other's pushes (docs/distribution.md).

/** artifactType of a plugin manifest. */
export const PLUGIN_ARTIFACT_TYPE = "application/vnd.helm.plugin.v1+json";
/** OCI image manifest. */
export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
/** The empty config descriptor of artifacts (OCI 1.1). */
export const OCI_EMPTY = "application/vnd.oci.empty.v1+json";
/** Layer media type ORAS gives files, and the one Helm's plugin pull allows. */
export const OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
/** Annotation holding a layer's file name. */
export const TITLE_ANNOTATION = "org.opencontainers.image.title";
