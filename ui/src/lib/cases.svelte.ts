import { type BackendError, backend, type Dashboard, type FeedNotice, toBackendError } from "../backend";

/** How many notifications the dashboard keeps on screen. */
const KEPT_NOTICES = 20;

/** The cases side of the app: a dashboard per account (several accounts can be signed in one
 * after another, and their dashboards are kept apart by account id), the notifications the
 * shell's feed task sends, and which case's consent screen is open. */
export class CasesModel {
  /** By account id. */
  dashboards = $state<Record<string, Dashboard>>({});
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

  /** Loads the signed-in account's dashboard; a failure is kept in `error`, the last good
   * dashboard stays on screen. */
  async refresh(): Promise<void> {
    this.loading = true;
    try {
      const board = await backend.dashboard();
      this.dashboards = { ...this.dashboards, [board.accountId]: board };
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
