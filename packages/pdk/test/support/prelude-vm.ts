// Runs the bundled prelude in a fresh node:vm context (a realm with only ECMAScript built-ins,
// like QuickJS) with a fake kernel, so each global can be compared with Node's own.
import vm from "node:vm";
import { buildPreludeText } from "../../scripts/prelude-options.mjs";
import { createFakeKernel, type FakeKernel, type FakeKernelOptions } from "./fake-kernel.js";

let cached: string | undefined;

/** The prelude bundle text (built once per test file, from the sources). */
export async function preludeSource(): Promise<string> {
  if (cached) return cached;
  cached = await buildPreludeText();
  return cached;
}

/** A plugin realm: evaluate code in it and inspect the fake kernel. */
export interface PluginRealm {
  run<T = unknown>(code: string): T;
  /** Runs code and awaits the promise it evaluates to. */
  runAsync<T = unknown>(code: string): Promise<T>;
  fake: FakeKernel;
  context: vm.Context;
}

/** Creates a realm with the prelude evaluated in it. */
export async function createRealm(options: FakeKernelOptions = {}): Promise<PluginRealm> {
  const src = await preludeSource();
  const context = vm.createContext({});
  const realmU8 = vm.runInContext("Uint8Array", context) as Uint8ArrayConstructor;
  const fake = createFakeKernel(realmU8, options);
  context.__capstan = fake.kernel;
  vm.runInContext(src, context, { filename: "prelude.js" });
  // A host trap ends the Wasm call whatever the plugin's JS does with the exception.
  const ended = <T>(run: () => T): T => {
    let value: T;
    try {
      value = run();
    } catch (e) {
      throw fake.trap() ?? e;
    }
    const trap = fake.trap();
    if (trap) throw trap;
    return value;
  };
  return {
    run: <T>(code: string) => ended(() => vm.runInContext(code, context) as T),
    runAsync: async <T>(code: string) => {
      let value: T;
      try {
        value = (await vm.runInContext(code, context)) as T;
      } catch (e) {
        throw fake.trap() ?? e;
      }
      return ended(() => value);
    },
    fake,
    context,
  };
}
