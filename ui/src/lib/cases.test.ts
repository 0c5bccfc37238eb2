import { beforeEach, describe, expect, it, vi } from "vitest";

// The back end is the Rust shell over IPC; here it is replaced so the model's own rules are
// tested alone: each account's part of the combined dashboard kept apart, the last good one kept on a failure, a logout
// leaving nothing.
const backend = vi.hoisted(() => ({ dashboardAll: vi.fn(), onFeed: vi.fn(), watchFeed: vi.fn() }));
vi.mock("../backend", async (original) => ({ ...(await original<typeof import("../backend")>()), backend }));

const { CasesModel, withLastKnown } = await import("./cases.svelte");

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
    // Its last known deadlines stay in the list, marked, so none vanishes with the login.
    expect(model.staleAccounts.has("b")).toBe(true);
    expect(model.staleAccounts.has("a")).toBe(false);
    expect(model.combined?.deadlines.map((d) => d.deadline.subjectId)).toEqual(["a0", "a1", "a2", "b0", "b1"]);
    // Signed in again: nothing is stale any more.
    backend.dashboardAll.mockResolvedValueOnce(board(["a", "b"], [1, 1]));
    await model.refresh();
    expect(model.staleAccounts.size).toBe(0);
    expect(model.combined?.deadlines).toHaveLength(2);
  });

  it("puts last known deadlines in the shell's order, and one that passed since is overdue", () => {
    const at = (subjectId: string, dueAt: string, overdue = false) => ({
      ...deadline("x", 0).deadline,
      kind: "hearing_upload" as const,
      subjectId,
      dueAt,
      overdue,
    });
    const combined = {
      accounts: [],
      cases: [],
      deadlines: [
        { accountId: "a", deadline: at("late", "2026-11-01T00:00:00Z", true) },
        { accountId: "a", deadline: at("soon", "2026-12-02T00:00:00Z") },
      ],
    };
    const kept = {
      accountId: "b",
      cases: [],
      deadlines: [at("passed", "2026-11-29T00:00:00Z"), at("first", "2026-12-01T00:00:00Z"), at("later", "2026-12-09T00:00:00Z")],
    };
    const merged = withLastKnown(combined, [kept], Date.parse("2026-11-30T00:00:00Z"));
    expect(merged.deadlines.map((d) => [d.accountId, d.deadline.subjectId, d.deadline.overdue])).toEqual([
      ["a", "late", true],
      ["b", "passed", true],
      ["b", "first", false],
      ["a", "soon", false],
      ["b", "later", false],
    ]);
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
