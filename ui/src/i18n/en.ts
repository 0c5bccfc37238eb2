import type { Messages } from "./messages";

// English. Every key of the Chinese messages must be here: the type makes a missing one a
// compile error.
export const en: Messages = {
  "app.name": "Litigant",
  "app.title": "Litigant",
  "app.skipToMain": "Skip to main content",
  "app.loading": "Opening…",
  "app.startFailed": "Litigant could not start: {message}",

  "nav.label": "Main",
  "nav.home": "Home",
  "nav.account": "Account",
  "nav.settings": "Settings",
  "nav.about": "About",

  "toolbar.label": "Display",
  "toolbar.language": "中文",
  "toolbar.languageHint": "Switch to Chinese",
  "toolbar.elder": "Large text",
  "toolbar.contrast": "High contrast",

  "court.demo": "Demo court",
  "court.demoNote": "The demo court is not a real court; nothing filed there has legal effect.",
  "court.none": "No court connected",
  "court.connecting": "Connecting…",
  "court.connected": "connected",
  "court.address": "Demo court address",
  "court.addressHint": "The demo court runs on this computer; only this computer can reach this address.",
  "court.remote": "Court platform: {url}",
  "court.reason.demoCourtFailed":
    "The demo court could not start, so no court is connected. Cause: {cause}",
  "court.reason.platformClientNotBuiltIn":
    "The platform address {url} is set, but this version cannot connect to a platform yet.",
  "court.changeInSettings": "Change the court platform in Settings",

  "account.heading": "Account",
  "account.logInHeading": "Log in with a code sent by SMS",
  "account.mobile": "Mobile number",
  "account.mobileHint": "The 11-digit number you registered with the court platform under your real name.",
  "account.sendCode": "Send code",
  "account.codeSent": "A code was sent to {mobile}.",
  "account.code": "Code from the SMS",
  "account.logIn": "Log in",
  "account.loggedIn": "Logged in: {name}",
  "account.loggedOut": "Logged out.",
  "account.signedInAs": "Signed in",
  "account.kept": "The login is kept in the system keychain.",
  "account.notKept": "This login keeps nothing; it ends when you log out or close the app.",
  "account.logOut": "Log out",
  "account.noKeychainOffer": "The system keychain cannot be used. You can log in anyway, but the login will not be kept.",
  "account.logInWithoutKeeping": "Log in without keeping it",
  "cases.heading": "My cases",
  "cases.none": "No cases yet.",
  "cases.open": "open",
  "cases.closed": "closed",

  "welcome.heading": "Welcome to Litigant",
  "welcome.intro":
    "Under the Online Litigation Rules of the People's Courts you can file cases, submit evidence, attend hearings and receive documents online. First, two questions.",
  "welcome.step": "Step {n} of {total}",
  "welcome.useHeading": "Who is using this computer?",
  "welcome.next": "Next",
  "welcome.chooseFirst": "Choose one of the answers first, then press Next.",
  "welcome.back": "Back",
  "welcome.courtHeading": "Which court will you connect to?",
  "welcome.start": "Start",

  "use.personal": "I am a party to a case",
  "use.personal.hint": "A party on their own computer.",
  "use.lawyer": "Lawyer or agent ad litem",
  "use.lawyer.hint": "Many cases and several client accounts.",
  "use.kiosk": "Court self-service kiosk",
  "use.kiosk.hint": "Helping others at a court; nothing personal is kept after each session.",

  "platform.demo": "Demo court (runs on this computer, for practice and testing)",
  "platform.remote": "Court platform address",
  "platform.urlLabel": "Platform address (starting with https://)",
  "platform.urlHint": "Given by the court, for example https://court.example.cn",
  "platform.save": "Save platform",
  "platform.saved": "The court platform was saved.",

  "home.heading": "Home",
  "home.courtHeading": "Court connection",
  "home.displayHeading": "Display",
  "home.displayHint":
    "Hard to read? Turn on large text or high contrast; the switches are always at the top.",

  "settings.heading": "Settings",
  "settings.language": "Language",
  "settings.display": "Display",
  "settings.elder": "Large text (bigger text and buttons, one task per screen)",
  "settings.contrast": "High contrast (black and white, contrast of at least 7:1)",
  "settings.use": "How Litigant is used",
  "settings.platform": "Court platform",
  "settings.dataFolder": "Data folder",
  "settings.dataFolderHint":
    "Your settings and case files are kept here; only your user account can open it.",
  "settings.dataFolderMove": "Move data folder…",
  "settings.dataFolderPickTitle": "Choose a new data folder (it must be empty)",
  "settings.dataFolderMoved": "Your data was moved to {path}.",
  "settings.dataFolderLeftBehind": "Your data is safely in the new place, but the old folder {path} could not be removed; you may delete it yourself.",
  "settings.dataFolderFromEnv": "The data folder is set by the LITIGANT_DATA_DIR environment variable and cannot be changed here.",
  "settings.saved": "Settings saved.",

  "about.heading": "About",
  "about.text":
    "Litigant helps parties, lawyers and court kiosks take part in online litigation under the Supreme People's Court Online Litigation Rules (2021).",
  "about.version": "Version",
  "about.os": "Operating system",
  "about.dataFolder": "Data folder",
  "about.license": "Licence",

  "notice.keptDamagedSettings":
    "The settings file was damaged, so default settings are in use. The old file was kept at {path}; nothing was deleted.",

  "error.heading": "Something went wrong",
  "error.settings.data_folder":
    "Litigant cannot use the data folder {path} ({cause}). Check that it exists and can be written.",
  "error.settings.data_folder_is_a_file":
    "The data folder {path} is a file, not a folder. Move the file away or choose another folder.",
  "error.settings.read": "Litigant cannot read its settings file {path} ({cause}).",
  "error.settings.write":
    "Litigant cannot save its settings to {path} ({cause}). Check free disk space and the folder's permissions.",
  "error.settings.data_folder_env": "The data folder is set by LITIGANT_DATA_DIR, so it cannot be moved from Litigant; change that variable instead.",
  "error.settings.data_folder_not_absolute": "“{path}” is not a full folder path.",
  "error.settings.data_folder_overlaps": "The data cannot move to {path}: the new folder would be inside the current one, or contain it.",
  "error.settings.data_folder_not_empty": "{path} is not empty. Choose a new or empty folder for the data.",
  "error.settings.platform_url_invalid":
    "“{input}” is not a web address ({cause}). Type it as https://court.example.cn.",
  "error.settings.platform_url_insecure":
    "The platform address {url} must begin with https://. Only this computer (127.0.0.1, ::1, localhost) may use http://.",
  "error.settings.platform_url_credentials":
    "The platform address {url} must not contain a user name or password.",
  "error.app.state_poisoned":
    "Litigant hit an internal error and must be restarted. Nothing was saved by the last action.",
  "error.account.not_signed_in": "Log in first.",
  "error.account.demo_court_unavailable": "The demo court is not running: {cause}",
  "error.accounts.keychain_unavailable":
    "The system keychain cannot be used ({cause}). Unlock it and try again, or log in without keeping the login.",
  "error.platform.sms_code_invalid": "The code is not right, or was used already. Check the SMS, or ask for a new code.",
  "error.platform.sms_code_expired": "The code has expired; ask for a new one.",
  "error.platform.validation_failed": "Something you typed is not right: {field}",
  "error.platform.not_found": "Not found: {detail}",
  "error.court_client.unreachable": "The court platform cannot be reached; check the network and try again.",
  "error.app.ipc": "Litigant's window could not reach its back end: {message}",
};
