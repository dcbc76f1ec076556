// Lazy globals: evaluated on first use from source kept in the prelude, sharing the eager
// prelude's modules (one DOMException class, one kernel), and replaceable before first use.
import { expect, test } from "@jest/globals";
import { LAZY_MODULES } from "../../scripts/prelude-options.mjs";
import { createRealm } from "../support/prelude-vm.js";

const isAccessor = (name: string) =>
  `typeof Object.getOwnPropertyDescriptor(globalThis, ${JSON.stringify(name)}).get === "function"`;

test("lazy globals stay unevaluated until touched, then become plain values", async () => {
  const r = await createRealm();
  const names = Object.values(LAZY_MODULES).flat();
  expect(r.run(`[${names.map(isAccessor).join(",")}]`)).toEqual(names.map(() => true));
  expect(r.run(`typeof URL`)).toBe("function");
  expect(r.run(`[${isAccessor("URL")}, ${isAccessor("URLSearchParams")}, ${isAccessor("Buffer")}]`)).toEqual([
    false,
    false,
    true,
  ]);
  expect(r.run(`Object.getOwnPropertyDescriptor(globalThis, "URL").enumerable`)).toBe(false);
});

test("lazy modules share eager state: DOMException class, kernel, URL for fetch", async () => {
  const r = await createRealm({ http: () => ({ status: 200, body: "ok" }) });
  expect(
    r.run(
      `(() => { try { structuredClone(() => 1); } catch (e) { return e instanceof DOMException && e.name; } })()`,
    ),
  ).toBe("DataCloneError");
  expect(r.run(`crypto.randomUUID().length`)).toBe(36);
  expect(await r.runAsync(`fetch("https://h/p").then((res) => res.text())`)).toBe("ok");
  expect(r.run(`new URLPattern({ pathname: "/a/:x" }).exec("https://h/a/1").pathname.groups.x`)).toBe("1");
});

test("a plugin may replace a lazy global before first use", async () => {
  const r = await createRealm();
  expect(r.run(`globalThis.fetch = () => "mine"; fetch()`)).toBe("mine");
  expect(r.run(`typeof Headers`)).toBe("function");
  expect(r.run(`fetch()`)).toBe("mine");
});

test("__capstanPreload evaluates the modules a bundle mentions, then removes itself", async () => {
  const r = await createRealm();
  expect(r.run(`__capstanPreload("const u = new URL(x); Buffer.from(y); // fetch later")`)).toEqual([
    "url",
    "fetch",
    "buffer",
  ]);
  expect(
    r.run(
      `[${isAccessor("URL")}, ${isAccessor("Buffer")}, ${isAccessor("fetch")}, ${isAccessor("crypto")}, typeof __capstanPreload]`,
    ),
  ).toEqual([false, false, false, true, "undefined"]);
});

test("__capstanPreload(bundle, true) drops the lazy modules nothing names, and says so on use", async () => {
  const r = await createRealm();
  // fetch is named (and names URL itself); toLocaleString needs Intl (locale.ts); nothing names crypto.
  expect(r.run(`__capstanPreload("fetch(u); (1).toLocaleString()", true)`)).toEqual(["fetch"]);
  expect(r.run(`typeof URL`)).toBe("function"); // kept: the fetch module names it
  expect(r.run(`(16134).toLocaleString("en-US")`)).toBe("16,134");
  const error = r.run(
    `(() => { try { return globalThis["cryp" + "to"]; } catch (e) { return [e.name, e.message]; } })()`,
  );
  expect(error).toEqual(["ReferenceError", expect.stringContaining("crypto is not in this plugin")]);
  expect((error as string[])[1]).toContain("globalThis.crypto");
  // A plugin's own value for a dropped global still works.
  expect(r.run(`globalThis.Buffer = 7; Buffer`)).toBe(7);
});

test("__capstanPreload(bundle) without the flag drops nothing", async () => {
  const r = await createRealm();
  expect(r.run(`__capstanPreload("nothing here")`)).toEqual([]);
  expect(r.run(`typeof globalThis["cryp" + "to"].randomUUID`)).toBe("function");
});
