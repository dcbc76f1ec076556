// Strict SemVer 2.0.0 (https://semver.org), the official regex: no leading `v`, no leading
// zeros, no whitespace. It is what keeps a `version` such as `../../x` out of file paths.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** True if `v` is a strict SemVer 2.0 version (`1.2.3`, `1.0.0-rc.1+build.5`; not `v1.0.0`). */
export function isStrictSemver(v: string): boolean {
  return SEMVER.test(v);
}
