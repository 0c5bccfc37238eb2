import { type BackendError, toBackendError } from "../backend";

/** One call at a time from a screen: `busy` while it runs, `error` when it failed. A second
 * call while one runs is ignored, so a double press does not send twice. */
export class Pending {
  busy = $state(false);
  error = $state<BackendError | null>(null);

  /** `fail`, when given, takes the failure instead of `error`: for a screen that shows each
   * kind of call's failure at its own place and keeps it there until that call succeeds
   * (`error` is then left null). */
  async run(work: () => Promise<void>, fail?: (error: BackendError) => void): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      await work();
    } catch (raw) {
      const error = toBackendError(raw);
      if (fail) fail(error);
      else this.error = error;
    } finally {
      this.busy = false;
    }
  }
}
