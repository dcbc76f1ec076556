#!/usr/bin/env node
// The one entry point behind `npm run demo|test|build|lint|bench`. It must work on a fresh
// machine that has only Node and npm, so it bootstraps everything else itself: pnpm (through
// npx, from the npm registry), the workspace's node_modules, and the Debian packages that
// tests need (tools/setup/system-deps.sh, apt-get as root). Then it hands over to turbo.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const task = process.argv[2] ?? "test";
const pnpmVersion = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager.split("@")[1];
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", NO_UPDATE_NOTIFIER: "1" };

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}
function must(cmd, args) {
  const code = run(cmd, args);
  if (code !== 0) {
    console.error(`capstan setup: '${cmd} ${args.join(" ")}' failed with exit code ${code}`);
    process.exit(code);
  }
}
const pnpm = (...args) => ["npx", ["--yes", `pnpm@${pnpmVersion}`, ...args]];

function ensureInstalled() {
  const marker = join(root, "node_modules", ".modules.yaml");
  const lock = join(root, "pnpm-lock.yaml");
  const stale =
    !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
  if (!stale) return;
  if (process.env.CI && existsSync(lock)) {
    // CI installs exactly the lockfile; if a commit left it behind a package.json, say so
    // loudly and resolve anyway rather than fail every test for a bookkeeping slip.
    if (run(...pnpm("install", "--frozen-lockfile")) === 0) return;
    console.error("capstan setup: WARNING pnpm-lock.yaml does not match package.json; resolving without it");
    must(...pnpm("install", "--no-frozen-lockfile"));
    return;
  }
  must(...pnpm("install"));
}

function ensureSystemDeps() {
  const script = join(root, "tools", "setup", "system-deps.sh");
  if (existsSync(script)) must("bash", [script]);
}

// jest is not one of the runners CI reads, so every package's wrapper writes its results to
// .test-results.json and this prints the plain closing line "N passed, N failed, N skipped".
// The files are deleted before the run, so only this run's test tasks count: one that ran, or
// a turbo cache hit, which restores the file of a run with the very same inputs.
function testPackageDirs() {
  const dirs = [];
  for (const group of ["packages", "plugins-examples", "tools"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const pkg = join(dir, name, "package.json");
      if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).scripts?.test) dirs.push(join(dir, name));
    }
  }
  return dirs;
}
function forgetTestResults() {
  for (const dir of testPackageDirs()) rmSync(join(dir, ".test-results.json"), { force: true });
}
function summarizeTests() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let suitesFailed = 0;
  const missing = [];
  const skips = [];
  for (const dir of testPackageDirs()) {
    const file = join(dir, ".test-results.json");
    if (!existsSync(file)) {
      missing.push(dir.slice(root.length + 1));
      continue;
    }
    const r = JSON.parse(readFileSync(file, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    suitesFailed += r.numRuntimeErrorTestSuites ?? 0;
    for (const suite of r.testResults ?? [])
      for (const t of suite.assertionResults ?? [])
        if (t.status === "pending" || t.status === "todo")
          skips.push(`${suite.name.slice(root.length + 1)}: ${t.fullName}`);
  }
  for (const s of skips) console.log(`skipped: ${s}`);
  if (missing.length) console.log(`no test results (the test task did not run): ${missing.join(", ")}`);
  if (suitesFailed) console.log(`test suites that failed to run: ${suitesFailed}`);
  console.log(
    `summary: ${passed} passed, ${failed + suitesFailed + missing.length} failed, ${skipped} skipped`,
  );
}

/** Each task returns its exit code. */
const tasks = {
  build: () => run(...pnpm("exec", "turbo", "run", "build")),
  lint: () => run(...pnpm("exec", "turbo", "run", "lint", "typecheck")),
  test: () => {
    ensureSystemDeps();
    forgetTestResults();
    const code = run(...pnpm("exec", "turbo", "run", "test", "lint", "typecheck", "--continue"));
    summarizeTests();
    return code;
  },
  demo: () => {
    ensureSystemDeps();
    must(...pnpm("exec", "turbo", "run", "build"));
    return run("node", [join(root, "tools", "demo", "demo.mjs")]);
  },
  bench: () => {
    ensureSystemDeps();
    must(...pnpm("exec", "turbo", "run", "build"));
    return run("node", [join(root, "tools", "bench", "run.mjs"), ...process.argv.slice(3)]);
  },
};

if (!Object.hasOwn(tasks, task)) {
  console.error(`capstan setup: unknown task '${task}'. Use one of: demo, test, build, lint, bench.`);
  process.exit(2);
}
ensureInstalled();
process.exit(tasks[task]());
