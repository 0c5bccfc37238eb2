// The one way the interface reaches the Rust side. Screens import from here, never from
// @tauri-apps/api or the generated bindings directly, so every call gets the same error
// handling and can be found in one place.
import { convertFileSrc } from "@tauri-apps/api/core";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { open, save } from "@tauri-apps/plugin-dialog";
import {
  type AppInfo_Serialize,
  type MovedDataFolder_Serialize,
  type CommandError,
  type CourtConnection_Serialize,
  commands,
  type PlatformChoice,
  type Settings_Serialize,
  type SettingsPatch_Deserialize,
  // Accounts, identity and kiosk (issue 6).
  type AssuranceView_Serialize,
  type FaceResult_Serialize,
  type IdNumberCheck_Serialize,
  type LinkChoice,
  type RegistrationForm,
  type SmsPurposeChoice,
  type CaseConsents_Serialize,
  type Certificate_Serialize,
  type ConsentMode,
  type Dashboard_Serialize,
  type CombinedDashboard_Serialize,
  type AccountBoard_Serialize,
  type AccountDeadline_Serialize,
  type DeadlineItem_Serialize,
  type LinkConsent_Serialize,
  type ConsentEntry_Serialize,
  type FeedNotice_Serialize,
  type FeedStatus_Serialize,
  type LitigationLink,
  type ServedItem_Serialize,
  type AspectView,
  type ExchangeItem_Serialize,
  type ExchangeView_Serialize,
  type Assurance_Serialize,
  type RoomView_Serialize,
  type StepView_Serialize,
  type LivePreview_Serialize,
  // Online filing (Art. 9, 11).
  type CheckView_Serialize,
  type FilingForm_Deserialize,
  type FilingView_Serialize,
  type FilingProgress,
  type MaterialForm,
  type ProblemView_Serialize,
  type SubmitOutcome_Serialize,
  type SupplementOutcome_Serialize,
  type EvidenceEntry_Deserialize,
  type PartyForm_Deserialize,
  // The scan studio.
  type AddReport_Serialize,
  type BuildView,
  type Corner,
  type PageView_Serialize,
  type ScannerView,
  type SourceView,
  type StudioView_Serialize,
  type WarningView_Serialize,
} from "./bindings";

export type {
  AccountSummary,
  AspectView,
  ReceiptSignature,
  CaseSummary,
  CheckFindingView,
  CheckReport,
  CommandError,
  DeviceChoice,
  HearingSummary,
  StepState,
  ConsentMode,
  DataFolderSource,
  DeadlineKind,
  DashboardCase,
  LitigationLink,
  Language,
  NotConnectedReason,
  OfflineRequest,
  Platform,
  PlatformChoice,
  SavedCopy,
  SmsCodeNotice,
  UseMode,
  CodeName,
  FilingPolicyView,
  FilingProgress,
  MaterialForm,
  // Accounts, identity and kiosk (issue 6).
  KioskClockView,
  KioskEndView,
  LinkChoice,
  RegistrationForm,
  SavedAccountView,
  SmsPurposeChoice,
} from "./bindings";

// specta describes each type twice, as the back end sends it and as it accepts it; the
// interface receives the first kind and sends the second.
export type AppInfo = AppInfo_Serialize;
export type Settings = Settings_Serialize;
export type SettingsPatch = SettingsPatch_Deserialize;
export type MovedDataFolder = MovedDataFolder_Serialize;
export type CourtConnection = CourtConnection_Serialize;
export type AssuranceView = AssuranceView_Serialize;
export type FaceResult = FaceResult_Serialize;
export type IdNumberCheck = IdNumberCheck_Serialize;
export type Dashboard = Dashboard_Serialize;
export type CombinedDashboard = CombinedDashboard_Serialize;
export type AccountBoard = AccountBoard_Serialize;
export type AccountDeadline = AccountDeadline_Serialize;
export type DeadlineItem = DeadlineItem_Serialize;
export type LinkConsent = LinkConsent_Serialize;
export type ConsentEntry = ConsentEntry_Serialize;
export type CaseConsents = CaseConsents_Serialize;
export type ExchangeView = ExchangeView_Serialize;
export type ExchangeItem = ExchangeItem_Serialize;
export type ServedItem = ServedItem_Serialize;
export type Certificate = Certificate_Serialize;
export type FeedNotice = FeedNotice_Serialize;
export type FeedStatus = FeedStatus_Serialize;
export type Assurance = Assurance_Serialize;
export type RoomView = RoomView_Serialize;
export type StepView = StepView_Serialize;
export type LivePreview = LivePreview_Serialize;
export type CheckView = CheckView_Serialize;
export type FilingForm = FilingForm_Deserialize;
export type FilingView = FilingView_Serialize;
export type ProblemView = ProblemView_Serialize;
export type SubmitOutcome = SubmitOutcome_Serialize;
export type SupplementOutcome = SupplementOutcome_Serialize;
export type EvidenceEntry = EvidenceEntry_Deserialize;
export type PartyForm = PartyForm_Deserialize;
export type { AddFailure, BuildView, Corner, ScannerView, SourceView } from "./bindings";
export type AddReport = AddReport_Serialize;
export type StudioView = StudioView_Serialize;
export type StudioPage = PageView_Serialize;
export type StudioWarning = WarningView_Serialize;

type Outcome<T> = { status: "ok"; data: T } | { status: "error"; error: CommandError };

/** A failed backend call: the stable `code` picks a translated message, `details` fill it. */
export class BackendError extends Error {
  readonly code: string;
  readonly details: Record<string, string>;

  constructor(error: CommandError) {
    super(error.message);
    this.name = "BackendError";
    this.code = error.code;
    this.details = error.details;
  }
}

function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as CommandError).code === "string" &&
    typeof (value as CommandError).message === "string"
  );
}

/** Turns anything a call can fail with into a BackendError: a command's own error, or the
 * IPC layer's (a refused permission arrives as a bare string). */
export function toBackendError(raw: unknown): BackendError {
  if (raw instanceof BackendError) return raw;
  if (isCommandError(raw)) return new BackendError({ ...raw, details: raw.details ?? {} });
  const message = raw instanceof Error ? raw.message : String(raw);
  return new BackendError({ code: "app.ipc", message, details: { message } });
}

async function call<T>(run: () => Promise<Outcome<T>>): Promise<T> {
  let result: Outcome<T>;
  try {
    result = await run();
  } catch (raw) {
    throw toBackendError(raw);
  }
  if (result.status === "error") throw toBackendError(result.error);
  return result.data;
}

export const backend = {
  appInfo: () => call(() => commands.appInfo()),
  settings: () => call(() => commands.settingsGet()),
  updateSettings: (patch: SettingsPatch) => call(() => commands.settingsUpdate(patch)),
  setPlatform: (choice: PlatformChoice) => call(() => commands.platformSet(choice)),
  courtStatus: () => call(() => commands.courtStatus()),
  moveDataFolder: (target: string) => call(() => commands.dataFolderMove(target)),
  sendSmsCode: (mobile: string, purpose: SmsPurposeChoice = "login") =>
    call(() => commands.smsCodeSend(mobile, purpose)),
  logIn: (mobile: string, smsCode: string, keep: boolean) =>
    call(() => commands.accountLogin(mobile, smsCode, keep)),
  currentAccount: () => call(() => commands.accountCurrent()),
  logOut: () => call(() => commands.accountLogout()),
  cases: () => call(() => commands.casesList()),
  // Accounts, identity and kiosk (issue 6).
  accounts: () => call(() => commands.accountsList()),
  switchAccount: (accountId: string) => call(() => commands.accountSwitch(accountId)),
  removeAccount: (platform: string, accountId: string) => call(() => commands.accountRemove(platform, accountId)),
  resumeAccount: () => call(() => commands.accountResume()),
  checkIdNumber: (kind: string, number: string) => call(() => commands.idNumberCheck(kind, number)),
  register: (form: RegistrationForm) => call(() => commands.accountRegister(form)),
  verifyFace: (path: string) => call(() => commands.faceVerify(path)),
  captureFace: () => call(() => commands.faceCapture()),
  reverify: (smsCode: string) => call(() => commands.reverify(smsCode)),
  reverificationNeeded: (link: LinkChoice) => call(() => commands.reverificationNeeded(link)),
  kioskBegin: () => call(() => commands.kioskBegin()),
  kioskClock: (activity: boolean) => call(() => commands.kioskClock(activity)),
  kioskEnd: () => call(() => commands.kioskEnd()),
  /** The native file picker for a photo; null when the person cancels. */
  pickPhoto: async (title: string): Promise<string | null> => {
    try {
      return await open({ directory: false, multiple: false, title, filters: [{ name: "JPEG/PNG", extensions: ["jpg", "jpeg", "png"] }] });
    } catch (raw) {
      throw toBackendError(raw);
    }
  },
  // Cases dashboard, notifications, consent and the service inbox.
  dashboard: () => call(() => commands.casesDashboard()),
  dashboardAll: () => call(() => commands.casesDashboardAll()),
  watchFeed: () => call(() => commands.feedWatch()),
  consents: (caseId: string) => call(() => commands.consentsGet(caseId)),
  recordConsent: (caseId: string, link: LitigationLink, mode: ConsentMode, reason: string | null) =>
    call(() => commands.consentRecord(caseId, link, mode, reason)),
  requestOffline: (caseId: string, links: LitigationLink[], reason: string) =>
    call(() => commands.offlineRequest(caseId, links, reason)),
  inbox: () => call(() => commands.serviceInbox()),
  openServed: (serviceId: string) => call(() => commands.serviceOpen(serviceId)),
  confirmServed: (serviceId: string) => call(() => commands.serviceConfirm(serviceId)),
  serviceCertificate: (serviceId: string) => call(() => commands.serviceCertificate(serviceId)),
  saveServed: (serviceId: string, target: string) => call(() => commands.serviceSave(serviceId, target)),
  // Evidence exchange and cross-examination opinions.
  exchange: (caseId: string) => call(() => commands.exchangeView(caseId)),
  saveOpinion: (caseId: string, evidenceId: string, aspects: AspectView[]) =>
    call(() => commands.opinionSave(caseId, evidenceId, aspects)),
  discardOpinion: (caseId: string, evidenceId: string) => call(() => commands.opinionDiscard(caseId, evidenceId)),
  submitOpinions: (caseId: string) => call(() => commands.opinionsSubmit(caseId)),
  signReceipt: (serviceId: string) => call(() => commands.serviceSign(serviceId)),
  // Re-verification (Art. 7(3)) and the asynchronous hearing room (Art. 20-27).
  assurance: () => call(() => commands.accountAssurance()),
  sendReverifyCode: () => call(() => commands.reverifyCodeSend()),
  hearings: (caseId: string) => call(() => commands.hearingsList(caseId)),
  hearingDevices: () => call(() => commands.hearingDevices()),
  hearingCheck: (source: string) => call(() => commands.hearingCheck(source)),
  hearingOpen: (hearingId: string) => call(() => commands.hearingOpen(hearingId)),
  hearingRoom: () => call(() => commands.hearingRoom()),
  hearingRecordStart: (step: number, source: string, resume: boolean) =>
    call(() => commands.hearingRecordStart(step, source, resume)),
  hearingRecordStop: () => call(() => commands.hearingRecordStop()),
  hearingLive: () => call(() => commands.hearingLive()),
  hearingDiscard: (step: number) => call(() => commands.hearingDiscard(step)),
  hearingConfirm: (step: number) => call(() => commands.hearingConfirm(step)),
  hearingSubmit: () => call(() => commands.hearingSubmit()),
  hearingClose: () => call(() => commands.hearingClose()),
  /** Where the window plays segment `segment` of a recorded, unconfirmed step (the shell's
   * `hearing:` scheme; a step past its last segment answers 404). */
  takeSegmentUrl: (step: number, segment: number): string => `${convertFileSrc("", "hearing")}${step}/${segment}`,
  // Online filing (Art. 9, 11).
  filingPolicy: () => call(() => commands.filingPolicy()),
  filings: () => call(() => commands.filingsList()),
  filing: (filingId: string) => call(() => commands.filingGet(filingId)),
  checkFiling: (form: FilingForm) => call(() => commands.filingCheck(form)),
  submitFiling: (form: FilingForm) => call(() => commands.filingSubmit(form)),
  resendFiling: (outboxItem: number) => call(() => commands.filingResend(outboxItem)),
  supplementFiling: (filingId: string, note: string, materials: MaterialForm[]) =>
    call(() => commands.filingSupplement(filingId, note, materials)),
  cancelFiling: (filingId: string) => call(() => commands.filingCancel(filingId)),
  /** Each step of a submission or supplement as the shell reports it. */
  onFilingProgress: (step: (p: FilingProgress) => void): Promise<UnlistenFn> =>
    listen<FilingProgress>("filing-progress", (event) => step(event.payload)),
  /** The native file picker for a document (PDF, JPEG, PNG); null when the person cancels. */
  pickDocument: async (title: string): Promise<string | null> => {
    try {
      return await open({ directory: false, multiple: false, title, filters: [{ name: "PDF/JPEG/PNG", extensions: ["pdf", "jpg", "jpeg", "png"] }] });
    } catch (raw) {
      throw toBackendError(raw);
    }
  },
  // The scan studio.
  studio: () => call(() => commands.studioView()),
  studioNew: () => call(() => commands.studioNew()),
  studioAdd: (paths: string[]) => call(() => commands.studioAdd(paths)),
  studioMove: (id: number, to: number) => call(() => commands.studioMove(id, to)),
  studioRotate: (id: number, quarterTurns: number) => call(() => commands.studioRotate(id, quarterTurns)),
  studioDelete: (id: number) => call(() => commands.studioDelete(id)),
  studioRecrop: (id: number, corners: Corner[] | null) => call(() => commands.studioRecrop(id, corners)),
  studioSource: (id: number) => call<SourceView>(() => commands.studioSource(id)),
  studioBuild: (path: string | null, ocr: boolean) => call<BuildView>(() => commands.studioBuild(path, ocr)),
  studioScanners: () => call<ScannerView[]>(() => commands.studioScanners()),
  studioScan: (device: string, pages: number) => call(() => commands.studioScan(device, pages)),
  studioCameraAvailable: () => call<boolean>(() => commands.studioCameraAvailable()),
  studioCameraPage: () => call(() => commands.studioCameraPage()),
  /** The native file picker for pages to scan in: images and PDFs; none when cancelled. */
  pickPages: async (title: string): Promise<string[]> => {
    try {
      const picked = await open({
        directory: false,
        multiple: true,
        title,
        filters: [{ name: "JPEG/PNG/TIFF/WebP/HEIC/PDF", extensions: ["jpg", "jpeg", "png", "tif", "tiff", "webp", "heic", "heif", "pdf"] }],
      });
      return picked ?? [];
    } catch (raw) {
      throw toBackendError(raw);
    }
  },
  /** Each event from the platform's feed, as the shell's background task emits it. */
  onFeed: (notice: (n: FeedNotice) => void, status: (s: FeedStatus) => void): Promise<UnlistenFn[]> =>
    Promise.all([
      listen<FeedNotice>("feed-event", (event) => notice(event.payload)),
      listen<FeedStatus>("feed-status", (event) => status(event.payload)),
    ]),
  /** The native save dialog; null when the person cancels. */
  pickSaveTarget: async (title: string, defaultPath: string): Promise<string | null> => {
    try {
      return await save({ title, defaultPath });
    } catch (raw) {
      throw toBackendError(raw);
    }
  },
  /** The native folder picker; null when the person cancels. */
  pickFolder: async (title: string): Promise<string | null> => {
    try {
      return await open({ directory: true, multiple: false, title });
    } catch (raw) {
      throw toBackendError(raw);
    }
  },
  setWindowTitle: async (title: string): Promise<void> => {
    try {
      await getCurrentWindow().setTitle(title);
    } catch (raw) {
      throw toBackendError(raw);
    }
  },
};
