import { describe, expect, it } from "vitest";
import { fromNow } from "./when";

const now = Date.parse("2026-11-30T12:00:00Z");

describe("fromNow", () => {
  it("says days for periods of two days or more, in each language", () => {
    expect(fromNow("en", "2026-12-03T12:00:00Z", now)).toBe("in 3 days");
    expect(fromNow("zh-CN", "2026-12-03T12:00:00Z", now)).toBe("3天后");
  });
  it("says hours for a deadline within two days, and past ones as ago", () => {
    expect(fromNow("en", "2026-11-30T17:00:00Z", now)).toBe("in 5 hours");
    expect(fromNow("en", "2026-11-30T10:00:00Z", now)).toBe("2 hours ago");
  });
  it("never says zero minutes", () => {
    expect(fromNow("en", "2026-11-30T12:00:10Z", now)).toBe("in 1 minute");
    expect(fromNow("en", "2026-11-30T11:59:50Z", now)).toBe("1 minute ago");
  });
});
