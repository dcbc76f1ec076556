import { expect, test } from "@jest/globals";
import { isStrictSemver } from "./semver.js";

test("accepts SemVer 2.0 versions", () => {
  for (const v of [
    "0.0.0",
    "1.2.3",
    "10.20.30",
    "1.0.0-rc.1",
    "1.0.0-0.3.7",
    "1.0.0-x-y.z",
    "1.0.0+20130313",
    "1.0.0-beta+exp.sha.5114f85",
  ]) {
    expect([v, isStrictSemver(v)]).toEqual([v, true]);
  }
});

test("rejects paths, v prefixes, partial and padded versions", () => {
  for (const v of [
    "../../x",
    "v1.0.0",
    "1.0",
    "1",
    "01.0.0",
    "1.0.0-01",
    "1.0.0 ",
    " 1.0.0",
    "1.0.0/x",
    "1.0.0-",
    "1.0.0+",
    "",
    "1.0.0\n",
  ]) {
    expect([v, isStrictSemver(v)]).toEqual([v, false]);
  }
});
