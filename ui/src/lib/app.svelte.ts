import {
  type AccountSummary,
  type AppInfo,
  BackendError,
  backend,
  type CourtConnection,
  type MovedDataFolder,
  type PlatformChoice,
  type Settings,
  type SettingsPatch,
  toBackendError,
  type KioskClockView,
} from "../backend";
import { setLanguage, t } from "../i18n/i18n.svelte";

export type Screen =
  | "home"
  | "account"
  | "settings"
  | "about"
  | "cases"
  | "consent"
  | "inbox"
  | "evidence"
  | "hearing"
  | "filings"
  | "new-filing"
  // Accounts, identity and kiosk (issue 6).
  | "register"
  | "reverify"
  // The scan studio.
  | "studio";

/** The state every screen shares: settings, installation facts and the court connection,
 * each as the back end last returned it. Screens change them only through these methods. */
export class AppModel {
  settings = $state<Settings | null>(null);
  info = $state<AppInfo | null>(null);
  court = $state<CourtConnection | null>(null);
  /** The account signed in on this window, if any. */
  account = $state<AccountSummary | null>(null);
  startError = $state<BackendError | null>(null);
  /** The last failed quick change (toolbar switches), shown under the header until the next. */
  changeError = $state<BackendError | null>(null);
  screen = $state<Screen>("home");
  /** Read out by screen readers through the polite live region. */
  announcement = $state("");
  /** Why the login kept from the last run could not be restored (shown on the account screen). */
  resumeError = $state<BackendError | null>(null);
  /** The kiosk session's clock, in kiosk use; `none` before a session starts. */
  kiosk = $state<KioskClockView | null>(null);

  async load(): Promise<void> {
    try {
      const [settings, info] = await Promise.all([backend.settings(), backend.appInfo()]);
      this.info = info;
      this.apply(settings);
    } catch (raw) {
      this.startError = toBackendError(raw);
      return;
    }
    // Asked after the screen is up, not with the rest: the answer waits for the demo court to
    // start, and the screen says "connecting" meanwhile instead of staying blank.
    await this.refreshCourt();
    if (this.court?.state === "connected") await this.resume();
  }

  /** Signs in again as the account kept from the last run, if there is one. */
  async resume(): Promise<void> {
    try {
      this.account = await backend.resumeAccount();
      this.resumeError = null;
    } catch (raw) {
      this.resumeError = toBackendError(raw);
    }
  }

  async switchAccount(accountId: string): Promise<void> {
    this.account = await backend.switchAccount(accountId);
    this.announce(t("account.switched", { name: this.account.name }));
  }

  /** Sets the account after a registration or a face check changed it. */
  signedIn(account: AccountSummary | null): void {
    this.account = account;
  }

  async beginKiosk(): Promise<void> {
    this.kiosk = await backend.kioskBegin();
  }

  /** Ends the kiosk session: logged out, its files and the window's storage gone, back to the start. */
  async endKiosk(): Promise<void> {
    const ended = await backend.kioskEnd();
    this.account = null;
    // The settings are as before the session (language, large text, contrast).
    this.apply(await backend.settings());
    this.kiosk = await backend.kioskClock(false);
    this.screen = "home";
    this.announce(t("kiosk.ended", { files: ended.filesRemoved }));
  }

  /** Asks the back end how the court connection is; a failure is shown as the start error. */
  async refreshCourt(): Promise<void> {
    try {
      this.court = await backend.courtStatus();
    } catch (raw) {
      this.startError = toBackendError(raw);
    }
  }

  /** Saves a change; on failure nothing on screen changes and the error is thrown on. */
  async update(patch: SettingsPatch): Promise<void> {
    this.apply(await backend.updateSettings(patch));
    this.announce(t("settings.saved"));
  }

  /** A change from a switch that has no form of its own to show an error in. */
  async change(patch: SettingsPatch): Promise<void> {
    try {
      await this.update(patch);
      this.changeError = null;
    } catch (raw) {
      this.changeError = toBackendError(raw);
    }
  }

  async setPlatform(choice: PlatformChoice): Promise<void> {
    this.apply(await backend.setPlatform(choice));
    this.court = await backend.courtStatus();
    this.announce(t("platform.saved"));
  }

  async logIn(mobile: string, smsCode: string, keep: boolean): Promise<void> {
    this.account = await backend.logIn(mobile, smsCode, keep);
    this.announce(t("account.loggedIn", { name: this.account.name }));
  }

  async logOut(): Promise<void> {
    await backend.logOut();
    this.account = null;
    this.announce(t("account.loggedOut"));
  }

  /** Moves the data folder; the settings are reopened from the new place by the back end. */
  async moveDataFolder(target: string): Promise<MovedDataFolder> {
    const moved = await backend.moveDataFolder(target);
    this.info = await backend.appInfo();
    // The demo court was restarted in the new place, on a new port.
    this.court = await backend.courtStatus();
    this.announce(t("settings.dataFolderMoved", { path: moved.path }));
    return moved;
  }

  go(screen: Screen): void {
    this.screen = screen;
  }

  announce(message: string): void {
    // Cleared first so the same message twice is read twice.
    this.announcement = "";
    queueMicrotask(() => {
      this.announcement = message;
    });
  }

  private apply(settings: Settings): void {
    this.settings = settings;
    setLanguage(settings.language);
    const root = document.documentElement;
    root.classList.toggle("elder", settings.elderMode);
    root.classList.toggle("contrast", settings.highContrast);
    document.title = t("app.title");
    // The native title follows the language; a failure here is cosmetic, so it is logged only.
    backend.setWindowTitle(t("app.title")).catch((e: BackendError) => console.warn(e.message));
  }
}
