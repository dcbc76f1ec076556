// The attack suite of the WASI file sandbox (src/extism/wasi-sandbox.ts): a raw WASI module
// (fixtures/wat/wasi-paths.wat, no JS) calls every WASI path function with paths that try to
// leave a mount through a symlink in the middle, a final symlink, a dangling symlink, a hard
// link, `..` or an absolute path, on a read-only and on a writable mount. After every attempt
// the directory outside the mount must be byte-for-byte, link-count and mtime unchanged, and
// nothing from it may reach the plugin. Includes the two escapes of issue 8 verbatim.
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ExtismRuntime, openExtismModule } from "@capstan/host";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { assembleWat } from "./helpers/wat.js";

const ENOENT = 44;
const ELOOP = 32;
const EROFS = 69;
const ENOTCAPABLE = 76;
const FOLLOW = 1;
const READ = 2n;
const WRITE = 64n;
const CREAT = 1;
const TRUNC = 8;
const SECRET = "SECRET outside the mount";

let dir: string;
let wasm: string;
let outside: string;
let mount: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "capstan-wasi-sandbox-"));
  wasm = await assembleWat("wasi-paths", dir);
  outside = join(dir, "outside");
  mount = join(dir, "mount");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh mount next to a fresh `outside` directory, with the links an attacker finds. */
function freshTree(): void {
  rmSync(outside, { recursive: true, force: true });
  rmSync(mount, { recursive: true, force: true });
  mkdirSync(join(outside, "dir"), { recursive: true });
  writeFileSync(join(outside, "secret.txt"), SECRET);
  mkdirSync(join(mount, "inner"), { recursive: true });
  writeFileSync(join(mount, "file.txt"), "inside");
  writeFileSync(join(mount, "inner", "x.txt"), "inner file");
  symlinkSync(outside, join(mount, "hostlink")); // a real project's link to elsewhere
  symlinkSync(join(outside, "secret.txt"), join(mount, "outlink"));
  symlinkSync(join(outside, "missing.txt"), join(mount, "deadlink"));
  symlinkSync("inner", join(mount, "alias")); // stays inside: must keep working
}

/** Everything about `outside` an escape could change. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const what = st.isSymbolicLink()
        ? `link ${readlinkSync(p)}`
        : st.isDirectory()
          ? "dir"
          : `file ${readFileSync(p, "utf8")} nlink=${st.nlink}`;
      out.push(`${p.slice(root.length)} ${what} mtime=${st.mtimeMs}`);
      if (st.isDirectory()) visit(p);
    }
  };
  visit(root);
  return out;
}

interface Op {
  fdA?: number;
  flags?: number;
  a: string;
  fdB?: number;
  b?: string;
  oflags?: number;
  rights?: bigint;
}

function encode(op: Op): Uint8Array {
  const a = Buffer.from(op.a);
  const b = Buffer.from(op.b ?? "");
  const input = Buffer.alloc(32 + a.length + b.length);
  input.writeUInt32LE(op.fdA ?? 3, 0);
  input.writeUInt32LE(op.flags ?? 0, 4);
  input.writeUInt32LE(a.length, 8);
  input.writeUInt32LE(op.fdB ?? 3, 12);
  input.writeUInt32LE(b.length, 16);
  input.writeUInt32LE(op.oflags ?? 0, 20);
  input.writeBigUInt64LE(op.rights ?? 0n, 24);
  a.copy(input, 32);
  b.copy(input, 32 + a.length);
  return input;
}

/** Runs one WASI call in the plugin: its errno and what it read. */
async function wasi(rt: ExtismRuntime, funcName: string, op: Op): Promise<{ errno: number; data: string }> {
  const out = Buffer.from(await rt.call(encode(op), { funcName }));
  return { errno: out[0] as number, data: out.subarray(1).toString("utf8") };
}

// Attack paths by kind. `new` is a path to create, `old` an existing one to act on.
const kinds = {
  "symlink in the middle": { old: "hostlink/secret.txt", new: "hostlink/created.txt", dir: "hostlink/dir" },
  "final symlink": { old: "outlink", new: "outlink", dir: "outlink" },
  "dangling symlink": { old: "deadlink", new: "deadlink", dir: "deadlink" },
  "..": { old: "../outside/secret.txt", new: "../outside/created.txt", dir: "../outside/dir" },
  "absolute host path": { old: "", new: "", dir: "" }, // filled in below (needs `outside`)
  "absolute guest path": { old: "/m/file.txt", new: "/m/created.txt", dir: "/m/inner" },
} as const;
type Kind = keyof typeof kinds | "hard link";

/** The attack paths of a kind, once `outside` is known. */
function paths(kind: Kind): { old: string; new: string; dir: string } {
  if (kind === "absolute host path") {
    return { old: join(outside, "secret.txt"), new: join(outside, "created.txt"), dir: join(outside, "dir") };
  }
  if (kind === "hard link") return { old: "hard", new: "hard", dir: "hard" }; // made below, must not exist
  return kinds[kind];
}

const EEXIST = 20;
const ENOTDIR = 54;
type Paths = ReturnType<typeof paths>;
/**
 * Every WASI path function, as the attack uses it. `entry`: the errno when the attacked path is
 * a symlink the call acts on itself, not through (unlink, rename, mkdir over it...): that is
 * allowed, whatever the link names. `uses`: which attack path the call names.
 */
const calls: {
  name: string;
  writes: boolean;
  uses: keyof Paths | "text";
  entry?: number;
  op: (p: Paths) => [string, Op];
}[] = [
  {
    name: "path_open read (follow)",
    writes: false,
    uses: "old",
    op: (p) => ["open", { a: p.old, flags: FOLLOW, rights: READ }],
  },
  {
    name: "path_open read (no follow)",
    writes: false,
    uses: "old",
    op: (p) => ["open", { a: p.old, rights: READ }],
  },
  {
    name: "path_open create+write",
    writes: true,
    uses: "new",
    op: (p) => ["open", { a: p.new, flags: FOLLOW, oflags: CREAT, rights: WRITE | READ }],
  },
  {
    name: "path_open truncate",
    writes: true,
    uses: "old",
    op: (p) => ["open", { a: p.old, flags: FOLLOW, oflags: TRUNC, rights: WRITE }],
  },
  {
    name: "path_open directory",
    writes: false,
    uses: "dir",
    op: (p) => ["open_dir", { a: p.dir, flags: FOLLOW, b: "../secret.txt", rights: READ }],
  },
  {
    name: "path_create_directory",
    writes: true,
    uses: "new",
    entry: EEXIST,
    op: (p) => ["mkdir", { a: p.new }],
  },
  {
    name: "path_filestat_get (follow)",
    writes: false,
    uses: "old",
    op: (p) => ["stat", { a: p.old, flags: FOLLOW }],
  },
  { name: "path_filestat_get (no follow)", writes: false, uses: "old", op: (p) => ["stat", { a: p.old }] },
  {
    name: "path_filestat_set_times",
    writes: true,
    uses: "old",
    op: (p) => ["utimes", { a: p.old, flags: FOLLOW }],
  },
  {
    name: "path_link old end (follow)",
    writes: true,
    uses: "old",
    op: (p) => ["link", { a: p.old, flags: FOLLOW, b: "newhard" }],
  },
  { name: "path_link old end", writes: true, uses: "old", op: (p) => ["link", { a: p.old, b: "newhard" }] },
  {
    name: "path_link new end",
    writes: true,
    uses: "new",
    entry: EEXIST,
    op: (p) => ["link", { a: "file.txt", b: p.new }],
  },
  { name: "path_readlink", writes: false, uses: "old", entry: 0, op: (p) => ["readlink", { a: p.old }] },
  {
    name: "path_remove_directory",
    writes: true,
    uses: "dir",
    entry: ENOTDIR,
    op: (p) => ["rmdir", { a: p.dir }],
  },
  {
    name: "path_rename old end",
    writes: true,
    uses: "old",
    entry: 0,
    op: (p) => ["rename", { a: p.old, b: "moved" }],
  },
  {
    name: "path_rename new end",
    writes: true,
    uses: "new",
    entry: 0,
    op: (p) => ["rename", { a: "file.txt", b: p.new }],
  },
  {
    name: "path_symlink link path",
    writes: true,
    uses: "new",
    entry: EEXIST,
    op: (p) => ["symlink", { a: p.new, b: "file.txt" }],
  },
  {
    name: "path_symlink target",
    writes: true,
    uses: "text",
    op: (p) => ["symlink", { a: "mylink", b: p.old }],
  },
  { name: "path_unlink_file", writes: true, uses: "old", entry: 0, op: (p) => ["unlink", { a: p.old }] },
];

const allKinds: Kind[] = [...(Object.keys(kinds) as (keyof typeof kinds)[]), "hard link"];

describe.each([
  ["read-only", false],
  ["writable", true],
] as const)("a %s mount", (_label, writable) => {
  let rt: ExtismRuntime;
  beforeAll(async () => {
    freshTree();
    rt = await openExtismModule(wasm, {
      name: "attacker",
      allowedPaths: [{ hostPath: mount, guestPath: "/m", writable }],
    });
  });

  const cases = allKinds.flatMap((kind) => calls.map((c) => [c.name, kind, c] as const));
  test.each(cases)("%s through a %s stays inside", async (_name, kind, c) => {
    freshTree();
    const before = snapshot(outside);
    if (kind === "hard link") {
      // The plugin first tries to hard-link outside files into the mount; then uses the name.
      for (const old of ["outlink", "hostlink/secret.txt", "../outside/secret.txt"]) {
        const made = await wasi(rt, "link", { a: old, flags: FOLLOW, b: "hard" });
        expect([ENOTCAPABLE, EROFS]).toContain(made.errno);
      }
      expect(() => lstatSync(join(mount, "hard"))).toThrow();
    }
    const [funcName, op] = c.op(paths(kind));
    const { errno, data } = await wasi(rt, funcName, op);
    expect(data).not.toContain("SECRET");
    expect(snapshot(outside)).toEqual(before);
    const readOnlyWrite = c.writes && !writable;
    if (readOnlyWrite) {
      expect(errno).toBe(EROFS);
    } else if (kind === "hard link") {
      // The hard link was never made: the name is free (created anew inside) or missing.
      expect(errno).toBe(c.uses === "new" || c.uses === "text" ? 0 : ENOENT);
    } else if (c.entry !== undefined && (kind === "final symlink" || kind === "dangling symlink")) {
      expect(errno).toBe(c.entry);
    } else {
      expect([ENOTCAPABLE, ELOOP]).toContain(errno);
    }
  });

  test("paths that stay inside keep working, also through an inner symlink", async () => {
    freshTree();
    expect(await wasi(rt, "open", { a: "alias/x.txt", rights: READ })).toEqual({
      errno: 0,
      data: "inner file",
    });
    expect(await wasi(rt, "open", { a: "alias/../file.txt", flags: FOLLOW, rights: READ })).toEqual({
      errno: 0,
      data: "inside",
    });
    expect(await wasi(rt, "open_dir", { a: "alias", flags: FOLLOW, b: "x.txt", rights: READ })).toEqual({
      errno: 0,
      data: "inner file",
    });
    // A directory fd cannot reach out with `..` either.
    expect(
      (await wasi(rt, "open_dir", { a: "inner", flags: FOLLOW, b: "../../outside/secret.txt", rights: READ }))
        .errno,
    ).toBe(ENOTCAPABLE);
    const made = await wasi(rt, "symlink", { a: "rel", b: "inner/x.txt" });
    if (writable) {
      expect(made.errno).toBe(0);
      expect(await wasi(rt, "open", { a: "rel", flags: FOLLOW, rights: READ })).toEqual({
        errno: 0,
        data: "inner file",
      });
      // O_NOFOLLOW semantics: a final symlink opened without LOOKUP_SYMLINK_FOLLOW is ELOOP.
      expect((await wasi(rt, "open", { a: "rel", rights: READ })).errno).toBe(ELOOP);
      expect((await wasi(rt, "link", { a: "rel", flags: FOLLOW, b: "hard2" })).errno).toBe(0);
      expect(lstatSync(join(mount, "inner", "x.txt")).nlink).toBe(2);
      expect(await wasi(rt, "open", { a: "new.txt", flags: FOLLOW, oflags: CREAT, rights: WRITE })).toEqual({
        errno: 0,
        data: "",
      });
      expect(readFileSync(join(mount, "new.txt"), "utf8")).toBe("pwned");
    } else {
      expect(made.errno).toBe(EROFS);
      expect(
        (await wasi(rt, "open", { a: "new.txt", flags: FOLLOW, oflags: CREAT, rights: WRITE })).errno,
      ).toBe(EROFS);
    }
  });
});

describe("the escapes of issue 8", () => {
  for (const isolation of ["inline", "worker"] as const) {
    test(`${isolation}: a symlink to hostlink/created.txt, then O_CREAT through it, creates nothing outside`, async () => {
      freshTree();
      const rt = await openExtismModule(
        wasm,
        { name: "attacker", allowedPaths: [{ hostPath: mount, guestPath: "/rw", writable: true }] },
        { isolation },
      );
      try {
        const before = snapshot(outside);
        expect((await wasi(rt, "symlink", { a: "evilc", b: "hostlink/created.txt" })).errno).toBe(
          ENOTCAPABLE,
        );
        symlinkSync("hostlink/created.txt", join(mount, "evilc")); // as if made on the host
        const open = await wasi(rt, "open", { a: "evilc", flags: FOLLOW, oflags: CREAT, rights: WRITE });
        expect(open.errno).toBe(ENOTCAPABLE);
        expect((await wasi(rt, "open", { a: "evilc", oflags: CREAT, rights: WRITE })).errno).toBe(
          ENOTCAPABLE,
        );
        expect(snapshot(outside)).toEqual(before);
      } finally {
        await rt.close();
      }
    });

    test(`${isolation}: a symlink to hostlink/secret.txt, hard-linked with LOOKUP_SYMLINK_FOLLOW, reaches nothing`, async () => {
      freshTree();
      const rt = await openExtismModule(
        wasm,
        { name: "attacker", allowedPaths: [{ hostPath: mount, guestPath: "/rw", writable: true }] },
        { isolation },
      );
      try {
        const before = snapshot(outside);
        // Refused when made (its target leaves the mount)...
        expect((await wasi(rt, "symlink", { a: "evils", b: "hostlink/secret.txt" })).errno).toBe(ENOTCAPABLE);
        // ...and when followed, should such a link be there anyway (made on the host).
        symlinkSync("hostlink/secret.txt", join(mount, "evils"));
        expect((await wasi(rt, "link", { a: "evils", flags: FOLLOW, b: "hard" })).errno).toBe(ENOTCAPABLE);
        const read = await wasi(rt, "open", { a: "hard", flags: FOLLOW, rights: READ | WRITE });
        expect(read.errno).toBe(ENOENT);
        expect(read.data).not.toContain("SECRET");
        expect(snapshot(outside)).toEqual(before);
        expect(lstatSync(join(outside, "secret.txt")).nlink).toBe(1);
      } finally {
        await rt.close();
      }
    });
  }
});

describe("a directory fd after its path was swapped for a link out", () => {
  test("reads through the fd stop at the link (node:wasi resolves the fd by its path string)", async () => {
    freshTree();
    writeFileSync(join(mount, "inner", "secret.txt"), "inner secret");
    const rt = await openExtismModule(wasm, {
      name: "swapper",
      allowedPaths: [{ hostPath: mount, guestPath: "/rw", writable: true }],
    });
    const before = snapshot(outside);
    const r = await wasi(rt, "swap", { a: "inner", b: "hostlink" });
    expect(r).toEqual({ errno: ENOTCAPABLE, data: "" });
    expect(lstatSync(join(mount, "inner")).isSymbolicLink()).toBe(true); // the swap happened
    expect(snapshot(outside)).toEqual(before);
  });
});

describe("mounts", () => {
  test("two mounts on one guest path, nested guest paths, or a mount over the per-call /tmp are refused at open", async () => {
    freshTree();
    const cases = [
      [
        { hostPath: mount, guestPath: "/data", writable: true },
        { hostPath: outside, guestPath: "/data", writable: false },
      ],
      [
        { hostPath: mount, guestPath: "/data", writable: true },
        { hostPath: outside, guestPath: "/data/sub", writable: false },
      ],
    ];
    for (const allowedPaths of cases) {
      await expect(openExtismModule(wasm, { name: "doubled", allowedPaths })).rejects.toMatchObject({
        code: "config",
        message: expect.stringContaining('plugin "doubled": runtimeConfig.allowedPaths: guest path /data'),
      });
    }
    await expect(
      openExtismModule(wasm, {
        name: "doubled",
        createTempDir: true,
        allowedPaths: [{ hostPath: mount, guestPath: "/tmp", writable: false }],
      }),
    ).rejects.toMatchObject({ code: "config", message: expect.stringContaining("overlaps /tmp") });
  });
});
