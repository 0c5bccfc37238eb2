import { type BackendError, toBackendError } from "../backend";

/** One call at a time from a screen: `busy` while it runs, `error` when it failed. A second
 * call while one runs is ignored, so a double press does not send twice. */
export class Pending {
  busy = $state(false);
  error = $state<BackendError | null>(null);

  async run(work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      await work();
    } catch (raw) {
      this.error = toBackendError(raw);
    } finally {
      this.busy = false;
    }
  }
}
