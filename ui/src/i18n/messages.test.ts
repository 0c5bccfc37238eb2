import { describe, expect, it } from "vitest";
import { en } from "./en";
import { format, isMessageKey, translate } from "./messages";
import { zhCN } from "./zh-CN";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("messages", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(format("{a} and {b}", { a: 1 })).toBe("1 and {b}");
  });

  it("has the same placeholders in both languages for every key", () => {
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
      expect(en[key].trim(), key).not.toBe("");
    }
  });

  it("translates into the chosen language", () => {
    expect(translate("zh-CN", "court.demo")).toBe("演示法院");
    expect(translate("en", "court.demo")).toBe("Demo court");
  });

  it("knows its own keys only", () => {
    expect(isMessageKey("court.demo")).toBe(true);
    expect(isMessageKey("error.no_such_code")).toBe(false);
    expect(isMessageKey("toString")).toBe(false);
  });
});
