// The errors of @capstan/distribution (package, install, update, uninstall, push, OCI): one class,
// one union of stable codes (UPPER_SNAKE, like @capstan/signing's) that tests and callers match on.
import { CapstanError, ExitCode, type ExitCodeValue } from "@capstan/manifest";

/** Stable codes of distribution failures (`InstallError.code`); docs/distribution.md explains them. */
export type InstallErrorCode =
  | "ARCHIVE_CORRUPT"
  | "ARCHIVE_EMPTY"
  | "ARCHIVE_UNSAFE"
  | "GIT_FAILED"
  | "GIT_MISSING"
  | "GIT_TAG_MISMATCH"
  | "GIT_TAG_UNVERIFIED"
  | "GPG_MISSING"
  | "INSTALL_BAD_SOURCE"
  | "INSTALL_BAD_VERSION"
  | "INSTALL_DOWNLOAD_FAILED"
  | "INSTALL_LOCKED"
  | "INSTALL_NO_MANIFEST"
  | "INSTALL_RECORD_INVALID"
  | "INSTALL_RECORD_MISSING"
  | "INSTALL_SOURCE_NOT_FOUND"
  | "INSTALL_TIMEOUT"
  | "INSTALL_VERSION_NOT_FOUND"
  | "OCI_BAD_MANIFEST"
  | "OCI_BAD_REFERENCE"
  | "OCI_BLOB_TOO_LARGE"
  | "OCI_DIGEST_MISMATCH"
  | "OCI_NOT_A_PLUGIN"
  | "OCI_NOT_FOUND"
  | "OCI_PROTOCOL"
  | "OCI_REQUEST_FAILED"
  | "OCI_UNAUTHORIZED"
  | "OCI_UNREACHABLE"
  | "PACKAGE_TOO_LARGE"
  | "PACKAGE_UNSUPPORTED_FILE"
  | "PLUGIN_EXISTS"
  | "PLUGIN_NOT_INSTALLED"
  | "PLUGIN_WASM_MISSING"
  | "PROV_MISSING"
  | "PUSH_BAD_NAME"
  | "PUSH_BAD_TAG"
  | "PUSH_NOT_FOUND"
  | "REPO_BAD_NAME"
  | "REPO_CONFIG_INVALID"
  | "REPO_DIGEST_MISMATCH"
  | "REPO_EXISTS"
  | "REPO_INDEX_INVALID"
  | "REPO_INDEX_MISSING"
  | "REPO_INDEX_SIGNATURE"
  | "REPO_INDEX_TOO_LARGE"
  | "REPO_NOT_FOUND"
  | "REPO_PLUGIN_NOT_FOUND"
  | "REPO_UNREACHABLE"
  | "UPDATE_DOWNGRADE"
  | "UPDATE_GRANTS_WIDENED"
  | "UPDATE_OTHER_PLUGIN";

/** A package/install/update/uninstall/push failure; `hint` names the next command. */
export class InstallError extends CapstanError {
  declare readonly code: InstallErrorCode;
  constructor(
    code: InstallErrorCode,
    message: string,
    options: { hint?: string; exitCode?: ExitCodeValue; cause?: unknown } = {},
  ) {
    super(code, message, { exitCode: ExitCode.failure, ...options });
  }
}
