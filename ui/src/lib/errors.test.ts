import { describe, expect, it } from "vitest";
import { BackendError, toBackendError } from "../backend";
import { errorText } from "./errors";

describe("errors", () => {
  const insecure = new BackendError({
    code: "settings.platform_url_insecure",
    message: "The platform address http://x/ must begin with https://",
    details: { url: "http://x/" },
  });

  it("shows a translated message filled with the error's details", () => {
    expect(errorText("zh-CN", insecure)).toContain("平台地址 http://x/ 必须以 https:// 开头");
    expect(errorText("en", insecure)).toContain("The platform address http://x/ must begin");
  });

  it("falls back to the back end's message for a code it cannot translate", () => {
    const unknown = new BackendError({ code: "paper.new_thing", message: "Plain words", details: {} });
    expect(errorText("zh-CN", unknown)).toBe("Plain words");
  });

  it("turns a refused IPC call (a bare string) into an error with a code", () => {
    const error = toBackendError("settings_get not allowed. Command not found");
    expect(error.code).toBe("app.ipc");
    expect(errorText("en", error)).toContain("settings_get not allowed");
  });

  it("keeps a command's own error as it is", () => {
    const error = toBackendError({ code: "settings.write", message: "m", details: { path: "/p", cause: "full" } });
    expect(error).toBeInstanceOf(BackendError);
    expect(errorText("en", error)).toContain("/p (full)");
  });
});

describe("errorText with a detail worded in Chinese", () => {
  it("quotes the Chinese wording in Chinese and the English one in English", () => {
    const error = new BackendError({
      code: "id_number.unexpected_character",
      message: "Position 3 is “A”, but a resident_id_card number has a digit there",
      details: { position: "3", found: "A", expected: "a digit", expectedZh: "数字" },
    });
    expect(errorText("zh-CN", error)).toBe("第 3 位是“A”，这里应是数字。");
    expect(errorText("en", error)).toBe("Position 3 is “A”, but a digit belongs there.");
  });
});
