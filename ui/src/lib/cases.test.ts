import { beforeEach, describe, expect, it, vi } from "vitest";

// The back end is the Rust shell over IPC; here it is replaced so the model's own rules are
// tested alone: each account's part of the combined dashboard kept apart, the last good one kept on a failure, a logout
// leaving nothing.
const backend = vi.hoisted(() => ({ dashboardAll: vi.fn(), onFeed: vi.fn(), watchFeed: vi.fn() }));
vi.mock("../backend", async (original) => ({ ...(await original<typeof import("../backend")>()), backend }));

const { CasesModel } = await import("./cases.svelte");

const account = (accountId: string, problem: unknown = null) => ({
  accountId,
  name: `name ${accountId}`,
  idNumberMasked: "1101**********002X",
  current: accountId === "a",
  cases: 0,
  problem,
});
const deadline = (accountId: string, i: number) => ({
  accountId,
  deadline: {
    kind: "notice",
    caseId: null,
    caseNumber: null,
    subjectId: `${accountId}${i}`,
    subject: "",
    dueAt: "2026-12-01T00:00:00Z",
    overdue: false,
  },
});
/** What the shell answers: accounts with `counts[i]` deadlines each. */
const board = (ids: string[], counts: number[], problems: Record<string, unknown> = {}) => ({
  accounts: ids.map((id) => account(id, problems[id] ?? null)),
  cases: [],
  deadlines: ids.flatMap((id, n) => Array.from({ length: counts[n] ?? 0 }, (_, i) => deadline(id, i))),
});

describe("CasesModel", () => {
  beforeEach(() => vi.resetAllMocks());

  it("keeps each account's part of the combined dashboard apart", async () => {
    const model = new CasesModel();
    backend.dashboardAll.mockResolvedValueOnce(board(["a", "b"], [1, 2]));
    await model.refresh();
    expect(model.forAccount("a")?.deadlines).toHaveLength(1);
    expect(model.forAccount("b")?.deadlines.map((d) => d.subjectId)).toEqual(["b0", "b1"]);
    expect(model.combined?.deadlines).toHaveLength(3);
    expect(model.forAccount(undefined)).toBeNull();
  });

  it("an account with a problem keeps its last good part and hides nothing of the others", async () => {
    const model = new CasesModel();
    const gone = { signInAgain: true, error: { code: "platform.token_invalid", message: "log in", details: {} } };
    backend.dashboardAll
      .mockResolvedValueOnce(board(["a", "b"], [1, 2]))
      .mockResolvedValueOnce(board(["a", "b"], [3, 0], { b: gone }));
    await model.refresh();
    await model.refresh();
    expect(model.error).toBeNull();
    expect(model.forAccount("a")?.deadlines).toHaveLength(3);
    expect(model.combined?.accounts[1]?.problem).toEqual(gone);
  });

  it("keeps the last good dashboard when a refresh fails, and says why", async () => {
    const model = new CasesModel();
    backend.dashboardAll
      .mockResolvedValueOnce(board(["a"], [3]))
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
