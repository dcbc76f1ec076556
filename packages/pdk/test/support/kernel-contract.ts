// The contract between the engine's `__capstan` kernel (packages/engine/csrc) and the fake
// kernel the PDK's unit tests run the prelude on (fake-kernel.ts): the same cases run on both,
// here against the fake and in @capstan/compiler's kernel-contract test against the real engine
// compiled into a plugin, and the results must be equal, so the fake cannot drift. Bundled
// into that plugin as it is, so it uses nothing but the kernel.

/** What both kernels are set up with. */
export const contractSetup = {
  input: "héllo ✓",
  config: { greeting: "hi" },
  env: { CAPSTAN_CONTRACT: "yes" },
  mount: "/data",
  file: { name: "a.txt", text: "file é" },
};

/** The kernel as the cases see it: untyped, since some cases pass wrong types on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: the cases call the raw kernel with bad arguments too
type Kernel = Record<string, any>;
/** One case's outcome. */
export type ContractResult = { value: unknown } | { error: [string | undefined, string | undefined] };

const tag = (v: unknown) => Object.prototype.toString.call(v);
/** ArrayBuffers as byte arrays (from any realm), so results compare as JSON. */
const bytes = (v: unknown) =>
  tag(v) === "[object ArrayBuffer]"
    ? { bytes: Array.from(new Uint8Array(v as ArrayBuffer)) }
    : { not: tag(v) };

/** name -> a use of the kernel; its value, or the error it throws, is what must match. */
export const contractCases: Record<string, (k: Kernel) => unknown> = {
  names: (k) => Object.getOwnPropertyNames(k).sort(),
  version: (k) => k.version,
  inputString: (k) => k.inputString(),
  inputBytes: (k) => bytes(k.inputBytes()),
  allocString: (k) => {
    const o = k.alloc("aé");
    return [k.length(o), bytes(k.read(o)), k.readString(o)];
  },
  allocView: (k) => {
    const o = k.alloc(new Uint8Array([1, 2, 3]).subarray(1));
    return [k.length(o), bytes(k.read(o))];
  },
  allocSize: (k) => bytes(k.read(k.alloc(3))),
  allocLoneSurrogate: (k) => bytes(k.read(k.alloc("a\ud800b"))),
  allocBadType: (k) => k.alloc({}),
  write: (k) => {
    const o = k.alloc(3);
    k.write(o, "xy");
    return bytes(k.read(o));
  },
  writePastEnd: (k) => k.write(k.alloc(2), "xyz"),
  readZero: (k) => [k.read(0), k.readString(0)],
  configGet: (k) => [k.configGet("greeting"), k.configGet("missing")],
  vars: (k) => {
    const before = k.varGet("v");
    k.varSet("v", "one");
    const set = bytes(k.varGet("v"));
    k.varSet("v", null);
    return [before, set, k.varGet("v")];
  },
  randomBytes: (k) => k.randomBytes(16).byteLength,
  randomBytesTooMany: (k) => k.randomBytes(16 * 65536 + 1),
  clock: (k) => [typeof k.now(), typeof k.hrtime()],
  hostFunctions: (k) => k.hostFunctions(),
  hostCallMissing: (k) => k.hostCall(0, []),
  utf8Encode: (k) => bytes(k.utf8Encode("é\ud800!")),
  utf8Decode: (k) => k.utf8Decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xff])),
  utf8DecodeFatal: (k) => k.utf8Decode(new Uint8Array([0x61, 0xff]), true),
  base64: (k) => {
    const hi = new Uint8Array([104, 105, 63, 62]);
    return [
      k.base64Encode(hi),
      k.base64Encode(hi.buffer, true),
      bytes(k.base64Decode("aGk/Pg==")),
      bytes(k.base64Decode("aGk_Pg")),
    ];
  },
  base64EncodeString: (k) => k.base64Encode("hi"),
  hex: (k) => k.hexEncode(new Uint8Array([0, 15, 255])),
  hexEncodeString: (k) => k.hexEncode("hi"),
  envGet: (k) => [k.envGet("CAPSTAN_CONTRACT"), k.envGet("HOME")],
  envNames: (k) => k.envNames(),
  readFile: (k) => bytes(k.readFile("/data/a.txt")),
  readFileMissing: (k) => k.readFile("/data/missing.txt"),
  readFileOutside: (k) => k.readFile("/etc/passwd"),
  readFileRelative: (k) => k.readFile("a.txt"),
  readDir: (k) => k.readDir("/data"),
  readDirMissing: (k) => k.readDir("/data/missing"),
  readDirOutside: (k) => k.readDir("/etc"),
  stat: (k) => {
    const st = k.stat("/data/a.txt");
    return [st.type, st.size, typeof st.mtimeMs];
  },
  statDir: (k) => k.stat("/data").type,
  statMissing: (k) => k.stat("/data/missing.txt"),
  fdWrite: (k) => k.fdWrite(2, "ab"),
  fdWriteOtherFd: (k) => k.fdWrite(3, "x"),
};

/** A request to a host that allows no HTTP, caught: the host traps, so the call must fail anyway. */
export function deniedHttp(k: Kernel): number {
  try {
    k.httpRequest(JSON.stringify({ url: "https://denied.example/", method: "GET", headers: {} }), null);
  } catch {
    // a plugin that swallows the refusal must not get to run on
  }
  k.outputBytes("went on");
  return 0;
}

/** Runs every case on `k`: `{value}` or `{error: [name, message]}` per case. */
export function runContract(k: Kernel): Record<string, ContractResult> {
  const out: Record<string, ContractResult> = {};
  for (const [name, use] of Object.entries(contractCases)) {
    try {
      const value = use(k);
      out[name] = { value: value === undefined ? null : value };
    } catch (e) {
      const err = e as { name?: string; message?: string } | null;
      out[name] = { error: [err?.name, err?.message] };
    }
  }
  return out;
}
