import { describe, expect, it } from "vitest";
import { fieldTarget, megabytes, problemText, problemsAt } from "./filing";

const problem = (field: string, code: string, message = "court words") => ({
  field,
  code,
  message,
  limit: null,
  size: null,
  contentType: null,
});

describe("fieldTarget", () => {
  it("takes each problem to its step and input", () => {
    expect(fieldTarget("/claims")).toEqual({ step: "claims", id: "filing-claim-0" });
    expect(fieldTarget("/claims/2")).toEqual({ step: "claims", id: "filing-claim-2" });
    expect(fieldTarget("/parties")).toEqual({ step: "parties", id: "filing-party-add" });
    expect(fieldTarget("/parties/1/name")).toEqual({ step: "parties", id: "filing-party-1-name" });
    expect(fieldTarget("/materials/0")).toEqual({ step: "materials", id: "filing-material-0" });
    expect(fieldTarget("/factsAndReasons")).toEqual({ step: "facts", id: "filing-facts" });
    expect(fieldTarget("/evidence/3/name")).toEqual({ step: "evidence", id: "filing-evidence-3-name" });
  });
  it("keeps a field it does not know on the check step", () => {
    expect(fieldTarget("/somethingNew").step).toBe("check");
  });
});

describe("problems", () => {
  it("are matched on their field, or under it when asked", () => {
    const list = [problem("/claims", "claims"), problem("/claims/1", "claims"), problem("/title", "title")];
    expect(problemsAt(list, "/claims")).toHaveLength(1);
    expect(problemsAt(list, "/claims", true)).toHaveLength(2);
  });
  it("without words of the app's own are shown as the court wrote them", () => {
    expect(problemText(problem("/x", "other", "The court says no."))).toBe("The court says no.");
    expect(problemText(problem("/x", "no_such_code", "As written."))).toBe("As written.");
  });
  it("sizes are in MB", () => {
    expect(megabytes(3 * 1024 * 1024)).toBe("3.0");
    expect(megabytes(null)).toBe("");
  });
});
