import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isMessageKey } from "./messages";

// The pre-hearing check names each finding by a stable key (`light.dark`); the interface words
// it. A key added to the check without a translation would show up raw, so this reads them
// from the check's source.
const source = readFileSync(new URL("../../../crates/hearing/src/check.rs", import.meta.url), "utf8");
// Dotted names anywhere (`light.dark`), and any name that follows a verdict (`needs_devices`).
const keys = [
  ...new Set(
    [...source.matchAll(/"([a-z_]+\.[a-z_]+)"|Verdict::\w+,\s*"([a-z_.]+)"/g)].map((m) => (m[1] ?? m[2]) as string),
  ),
];

describe("pre-hearing check wording", () => {
  it("finds the check's keys", () => {
    expect(keys).toContain("light.dark");
    expect(keys).toContain("needs_devices");
    expect(keys.length).toBeGreaterThan(20);
  });

  it("has a message for every key", () => {
    for (const key of keys) expect(isMessageKey(`hearing.check.${key}`), key).toBe(true);
  });

  it("has a fix for every key that is not simply fine", () => {
    const fine = /\.(ok|quiet|present|test)$|^needs_devices$/;
    for (const key of keys.filter((k) => !fine.test(k))) {
      expect(isMessageKey(`hearing.fix.${key}`), key).toBe(true);
    }
  });
});
