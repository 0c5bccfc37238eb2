import {
  type BackendError,
  backend,
  type CombinedDashboard,
  type Dashboard,
  type FeedNotice,
  toBackendError,
} from "../backend";

/** How many notifications the dashboard keeps on screen. */
const KEPT_NOTICES = 20;

/** The cases side of the app: the dashboard of every kept account together, and each account's
 * part of it kept apart by account id (for the screens of one case), the notifications the
 * shell's feed task sends, and which case's consent screen is open. */
export class CasesModel {
  /** By account id. */
  dashboards = $state<Record<string, Dashboard>>({});
  /** Every kept account's cases and one list of deadlines; null until first loaded. */
  combined = $state<CombinedDashboard | null>(null);
  /** Accounts whose session could not be restored on the last refresh: their cases and
   * deadlines in `combined` are the last ones known. */
  staleAccounts = $state<ReadonlySet<string>>(new Set());
  notices = $state<FeedNotice[]>([]);
  /** False while the feed cannot reach the platform; the error code says why. */
  feedConnected = $state(true);
  feedError = $state<string | null>(null);
  loading = $state(false);
  error = $state<BackendError | null>(null);
  /** The case whose consent screen is open. */
  caseId = $state<string | null>(null);
  private listening: Promise<unknown> | null = null;

  /** Listens to the shell's feed events (once) and asks the shell to follow the feed of the
   * signed-in account. `onNotice` hears each new event after it is kept. */
  async follow(onNotice: (notice: FeedNotice) => void): Promise<void> {
    this.listening ??= backend.onFeed(
      (notice) => {
        this.notices = [notice, ...this.notices].slice(0, KEPT_NOTICES);
        onNotice(notice);
      },
      (status) => {
        this.feedConnected = status.connected;
        this.feedError = status.code;
      },
    );
    await this.listening;
    await backend.watchFeed();
  }

  /** Loads the dashboard of every kept account (the signed-in one's and the others'); a
   * failure is kept in `error`, the last good dashboard stays on screen. An account whose
   * session could not be restored comes back with its problem, not as a failure. */
  async refresh(): Promise<void> {
    this.loading = true;
    try {
      const combined = await backend.dashboardAll();
      const dashboards = { ...this.dashboards };
      for (const account of combined.accounts.filter((a) => a.problem === null)) {
        dashboards[account.accountId] = {
          accountId: account.accountId,
          cases: combined.cases.filter((c) => c.accountId === account.accountId).map((c) => c.case),
          deadlines: combined.deadlines
            .filter((d) => d.accountId === account.accountId)
            .map((d) => d.deadline),
        };
      }
      this.dashboards = dashboards;
      // An account whose session lapsed keeps its last known cases and deadlines on screen,
      // marked as such: a deadline must not vanish from a lawyer's list because a login ended.
      const stale = combined.accounts.filter((a) => a.problem !== null && dashboards[a.accountId]);
      this.staleAccounts = new Set(stale.map((a) => a.accountId));
      this.combined = stale.length === 0 ? combined : withLastKnown(combined, stale.map((a) => dashboards[a.accountId]!));
      this.error = null;
    } catch (raw) {
      this.error = toBackendError(raw);
    } finally {
      this.loading = false;
    }
  }

  /** Forgets every account's cases and notifications: after a logout nothing of them stays
   * on a shared computer. */
  clear(): void {
    this.dashboards = {};
    this.combined = null;
    this.staleAccounts = new Set();
    this.notices = [];
    this.error = null;
    this.caseId = null;
    this.feedConnected = true;
    this.feedError = null;
  }

  forAccount(accountId: string | undefined): Dashboard | null {
    return accountId ? (this.dashboards[accountId] ?? null) : null;
  }

  noticesFor(accountId: string | undefined): FeedNotice[] {
    return this.notices.filter((n) => n.accountId === accountId);
  }
}

/** `combined` with the last known cases and deadlines of `kept` added, in the shell's order:
 * overdue first, then the soonest due, then by account. A kept deadline that has passed since
 * is overdue now. */
export function withLastKnown(combined: CombinedDashboard, kept: Dashboard[], now = Date.now()): CombinedDashboard {
  const deadlines = [
    ...combined.deadlines,
    ...kept.flatMap((board) =>
      board.deadlines.map((deadline) => ({
        accountId: board.accountId,
        deadline: { ...deadline, overdue: deadline.overdue || Date.parse(deadline.dueAt) < now },
      })),
    ),
  ];
  deadlines.sort(
    (a, b) =>
      Number(b.deadline.overdue) - Number(a.deadline.overdue) ||
      Date.parse(a.deadline.dueAt) - Date.parse(b.deadline.dueAt) ||
      a.accountId.localeCompare(b.accountId),
  );
  return {
    ...combined,
    cases: [...combined.cases, ...kept.flatMap((board) => board.cases.map((item) => ({ accountId: board.accountId, case: item })))],
    deadlines,
  };
}
