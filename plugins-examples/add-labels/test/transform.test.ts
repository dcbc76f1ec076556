// The add-labels transform on a Helm-shaped multi-document stream: labels, annotations and
// registry rewrites land where documented; comments, order and untouched documents survive.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { parseAllDocuments } from "yaml";
import { rewriteImage, splitImage } from "../src/core/image.js";
import { parseOptions, UsageError } from "../src/core/options.js";
import { transformManifests } from "../src/core/transform.js";

const web = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "fixtures", "web.yaml"), "utf8");
const noConfig = () => undefined;
const objects = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS());

describe("transformManifests", () => {
  const opts = parseOptions(
    [
      "--label",
      "team=payments",
      "--annotation=owner=payments@example.com",
      "--registry",
      "docker.io=mirror.local:5000",
      "--registry",
      "ghcr.io/acme=registry.acme.internal",
    ],
    noConfig,
  );
  const { manifests: out, stats } = transformManifests(web, opts);
  const [sa, svc, empty, deploy, cron] = objects(out);

  test("labels and annotations go to every object's metadata", () => {
    expect(sa.metadata.labels).toEqual({ team: "payments" });
    expect(svc.metadata.labels).toEqual({ "app.kubernetes.io/name": "web", team: "payments" });
    expect(deploy.metadata.labels).toEqual({ team: "payments" });
    expect(cron.metadata.annotations).toEqual({ owner: "payments@example.com" });
  });

  test("labels go to pod templates (Deployment, CronJob job template and its pod template)", () => {
    expect(deploy.spec.template.metadata.labels).toEqual({
      "app.kubernetes.io/name": "web",
      team: "payments",
    });
    expect(deploy.spec.template.metadata.annotations).toEqual({ owner: "payments@example.com" });
    expect(cron.spec.jobTemplate.metadata.labels).toEqual({ team: "payments" });
    expect(cron.spec.jobTemplate.spec.template.metadata.labels).toEqual({ team: "payments" });
  });

  test("selectors are untouched by default", () => {
    expect(svc.spec.selector).toEqual({ "app.kubernetes.io/name": "web" });
    expect(deploy.spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "web" });
  });

  test("registries are rewritten, Docker Hub short names included; digests and tags kept", () => {
    expect(deploy.spec.template.spec.containers[0].image).toBe("mirror.local:5000/library/nginx:1.25");
    expect(deploy.spec.template.spec.initContainers[0].image).toBe("registry.acme.internal/migrate:v3");
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].image).toBe(
      "mirror.local:5000/library/busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000",
    );
    expect(stats).toEqual({ documents: 5, resources: 4, changed: 4, images: 3 });
  });

  test("comments, document order and the empty document survive", () => {
    expect(empty).toBeNull();
    expect(out).toContain(
      "# Source: web/templates/empty.yaml\n# (rendered to nothing for these values)\n---\n",
    );
    expect(out).toContain("name: web  # keep this comment\n");
    expect(out).toContain("# pinned on purpose");
    expect(out).toContain(
      "--a-very-long-argument-that-goes-on-and-on-past-eighty-columns-and-must-not-be-folded=true",
    );
    const sources = [...out.matchAll(/# Source: (\S+)/g)].map((m) => m[1]);
    expect(sources).toEqual([
      "web/templates/serviceaccount.yaml",
      "web/templates/service.yaml",
      "web/templates/empty.yaml",
      "web/templates/deployment.yaml",
      "web/templates/cronjob.yaml",
    ]);
    expect(out.startsWith("---\n# Source: web/templates/serviceaccount.yaml\n")).toBe(true);
  });

  test("documents it does not change are byte-identical; a no-op transform returns the input", () => {
    const onlyImages = transformManifests(web, parseOptions(["--registry", "quay.io=mirror"], noConfig));
    expect(onlyImages.manifests).toBe(web);
    expect(onlyImages.stats.changed).toBe(0);
  });

  test("running twice changes nothing more (idempotent)", () => {
    expect(transformManifests(out, opts).manifests).toBe(out);
  });

  test("--include-selectors adds labels to existing selectors only", () => {
    const r = transformManifests(web, parseOptions(["--label", "team=x", "--include-selectors"], noConfig));
    const [, s, , d] = objects(r.manifests);
    expect(s.spec.selector).toEqual({ "app.kubernetes.io/name": "web", team: "x" });
    expect(d.spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "web", team: "x" });
  });

  test("string-looking values stay strings; List items are edited", () => {
    const list =
      "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n";
    const r = transformManifests(
      list,
      parseOptions(["--label", "enabled=true", "--label", "v=1.0"], noConfig),
    );
    expect(objects(r.manifests)[0].items[0].metadata.labels).toEqual({ enabled: "true", v: "1.0" });
  });

  test("a syntax error names the document and the line", () => {
    expect(() => transformManifests("a: 1\n---\nb: [1,\n", opts)).toThrow(
      /document 2 \(line \d+, column \d+\)/,
    );
  });
});

describe("options", () => {
  test("config lists and args combine; args win on the same key", () => {
    const cfg: Record<string, string> = {
      labels: "team=a, env=prod",
      registries: "docker.io=m",
      includeSelectors: "true",
    };
    const o = parseOptions(["--label=team=b"], (k) => cfg[k]);
    expect(o).toEqual({
      labels: { team: "b", env: "prod" },
      annotations: {},
      registries: [{ from: "docker.io", to: "m" }],
      includeSelectors: true,
    });
  });
  test.each([
    [["--label", "bad key=x"], 'label key "bad key"'],
    [["--label", "k=not ok"], 'label "k": value "not ok"'],
    [["--label"], "--label needs a value"],
    [["--frobnicate"], 'unknown argument "--frobnicate"'],
    [["--registry", "nofrom"], 'registry "nofrom": expected key=value'],
  ])("%j is a usage error", (args, msg) => {
    expect(() => parseOptions(args, noConfig)).toThrow(UsageError);
    expect(() => parseOptions(args, noConfig)).toThrow(msg);
  });
});

describe("images", () => {
  test.each([
    ["nginx", "docker.io", "library/nginx"],
    ["bitnami/nginx:1", "docker.io", "bitnami/nginx:1"],
    ["localhost/x", "localhost", "x"],
    ["reg:5000/x/y", "reg:5000", "x/y"],
    ["ghcr.io/o/r@sha256:ab", "ghcr.io", "o/r@sha256:ab"],
  ])("%s splits into %s + %s", (img, registry, rest) => {
    expect(splitImage(img)).toMatchObject({ registry, rest });
  });
  test("prefix rules match whole path components only", () => {
    expect(rewriteImage("ghcr.io/acme/x:1", [{ from: "ghcr.io/acme", to: "m" }])).toBe("m/x:1");
    expect(rewriteImage("ghcr.io/acmecorp/x:1", [{ from: "ghcr.io/acme", to: "m" }])).toBe(
      "ghcr.io/acmecorp/x:1",
    );
  });
});
