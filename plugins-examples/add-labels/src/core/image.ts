// Container image references and registry rewriting (like kustomize's images transformer,
// matched by registry instead of by name). Docker Hub short names are normalized first:
// `nginx:1.25` is `docker.io/library/nginx:1.25`.
import type { RegistryRule } from "./options.js";

/** The registry host of an image, and the rest (repository path, tag, digest). */
export function splitImage(image: string): { registry: string; rest: string; explicit: boolean } {
  const slash = image.indexOf("/");
  const first = slash < 0 ? "" : image.slice(0, slash);
  // The first component is a registry when it looks like a host (docker's own rule).
  if (slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    return { registry: first, rest: image.slice(slash + 1), explicit: true };
  }
  return { registry: "docker.io", rest: slash < 0 ? `library/${image}` : image, explicit: false };
}

/** Rewrites one image by the first matching rule; unchanged when none matches. */
export function rewriteImage(image: string, rules: readonly RegistryRule[]): string {
  const { registry, rest } = splitImage(image.trim());
  const full = `${registry}/${rest}`;
  for (const { from, to } of rules) {
    // "docker.io" matches docker.io/...; "ghcr.io/org" matches ghcr.io/org/... only.
    if (full === from || full.startsWith(`${from}/`)) return `${to}${full.slice(from.length)}`;
    if (from === "index.docker.io" && registry === "docker.io") return `${to}/${rest}`;
  }
  return image;
}
