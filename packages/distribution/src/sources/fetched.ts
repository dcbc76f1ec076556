// What a source hands the installer: archive bytes with their .prov, or a checked-out tree.
import type { RepositoryRecord } from "@capstan/host";

/** A plugin archive fetched from a file, URL or registry. */
export interface FetchedArchive {
  kind: "tgz" | "http" | "oci";
  /** The source as the user gave it, made absolute/canonical (what `update` fetches again). */
  source: string;
  /** Base name the .prov lists the digest under. */
  fileName: string;
  bytes: Buffer;
  /** .prov text, or undefined when there is none. */
  prov: string | undefined;
  /** Where the .prov was looked for, for messages. */
  provLabel: string;
  /** Version selected at the source (OCI tag), if any. */
  version?: string;
  /** The repository entry it was resolved through (`install <repo>/<plugin>`). */
  repository?: RepositoryRecord;
}

/** A git checkout at a tag or branch. */
export interface FetchedTree {
  kind: "git";
  source: string;
  /** Directory of the checkout (without .git). */
  dir: string;
  /** Tag checked out, when one was selected. */
  tag?: string;
  commit: string;
  /** The tag's signature as checked against the keyring, when verification ran. */
  signature?: { signer: string; fingerprint: string; keyId: string };
  cleanup(): void;
}

/** Either kind of fetched plugin. */
export type Fetched = FetchedArchive | FetchedTree;
