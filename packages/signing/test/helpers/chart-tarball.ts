// Builds Helm chart tarballs (<name>/Chart.yaml, values.yaml, templates/, an unpacked subchart)
// with the system tar, laid out as `helm package` writes them.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The Chart.yaml a chart of this name and version has (as `helm create` writes it, trimmed). */
export function chartYaml(name: string, version: string): string {
  return `apiVersion: v2\nname: ${name}\ndescription: A Helm chart for Kubernetes\ntype: application\nversion: ${version}\nappVersion: "1.16.0"\n`;
}

/** Writes `<dir>/<name>-<version>.tgz` holding a chart; returns its path. */
export function makeChartTarball(dir: string, name: string, version: string, replicas = 1): string {
  const src = join(dir, `chart-src-${name}-${version}-${Math.random().toString(36).slice(2)}`);
  const root = join(src, name);
  mkdirSync(join(root, "templates"), { recursive: true });
  mkdirSync(join(root, "charts", "sub"), { recursive: true });
  writeFileSync(join(root, "Chart.yaml"), chartYaml(name, version));
  writeFileSync(join(root, "values.yaml"), `replicaCount: ${replicas}\n`);
  writeFileSync(
    join(root, "templates", "service.yaml"),
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n",
  );
  // A subchart's Chart.yaml sits two directories down: it is not the chart's metadata.
  writeFileSync(join(root, "charts", "sub", "Chart.yaml"), chartYaml("sub", "9.9.9"));
  mkdirSync(dir, { recursive: true });
  const tgz = join(dir, `${name}-${version}.tgz`);
  execFileSync("tar", ["-czf", tgz, "-C", src, name]);
  return tgz;
}
