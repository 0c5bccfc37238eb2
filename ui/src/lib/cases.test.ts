import { beforeEach, describe, expect, it, vi } from "vitest";

// The back end is the Rust shell over IPC; here it is replaced so the model's own rules are
// tested alone: dashboards kept per account, the last good one kept on a failure, a logout
// leaving nothing.
const backend = vi.hoisted(() => ({ dashboard: vi.fn(), onFeed: vi.fn(), watchFeed: vi.fn() }));
vi.mock("../backend", async (original) => ({ ...(await original<typeof import("../backend")>()), backend }));

const { CasesModel } = await import("./cases.svelte");

const board = (accountId: string, deadlines = 0) => ({
  accountId,
  cases: [],
  deadlines: Array.from({ length: deadlines }, (_, i) => ({
    kind: "notice",
    caseId: null,
    caseNumber: null,
    subjectId: `s${i}`,
    subject: "",
    dueAt: "2026-12-01T00:00:00Z",
    overdue: false,
  })),
});

describe("CasesModel", () => {
  beforeEach(() => vi.resetAllMocks());

  it("keeps each account's dashboard apart", async () => {
    const model = new CasesModel();
    backend.dashboard.mockResolvedValueOnce(board("a", 1)).mockResolvedValueOnce(board("b", 2));
    await model.refresh();
    await model.refresh();
    expect(model.forAccount("a")?.deadlines).toHaveLength(1);
    expect(model.forAccount("b")?.deadlines).toHaveLength(2);
    expect(model.forAccount(undefined)).toBeNull();
  });

  it("keeps the last good dashboard when a refresh fails, and says why", async () => {
    const model = new CasesModel();
    backend.dashboard
      .mockResolvedValueOnce(board("a", 3))
      .mockRejectedValueOnce({ code: "court_client.unreachable", message: "down", details: {} });
    await model.refresh();
    await model.refresh();
    expect(model.forAccount("a")?.deadlines).toHaveLength(3);
    expect(model.error?.code).toBe("court_client.unreachable");
  });

  it("hears feed notices per account and forgets everything on clear", async () => {
    const model = new CasesModel();
    let deliver: (n: unknown) => void = () => {};
    backend.onFeed.mockImplementation(async (notice: (n: unknown) => void) => {
      deliver = notice;
      return [];
    });
    const heard = vi.fn();
    await model.follow(heard);
    deliver({ accountId: "a", kind: "document_served", caseId: null, subjectId: "x", summary: "s", at: "t", dueAt: null });
    deliver({ accountId: "b", kind: "hearing_opened", caseId: null, subjectId: "y", summary: "s", at: "t", dueAt: null });
    expect(model.noticesFor("a").map((n) => n.subjectId)).toEqual(["x"]);
    expect(heard).toHaveBeenCalledTimes(2);
    expect(backend.watchFeed).toHaveBeenCalledOnce();
    model.clear();
    expect(model.noticesFor("a")).toEqual([]);
  });
});
