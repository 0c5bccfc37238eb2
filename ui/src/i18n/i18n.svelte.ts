import type { Language } from "../backend/bindings";
import { type MessageKey, type Params, translate } from "./messages";

let current = $state<Language>("zh-CN");

export function language(): Language {
  return current;
}

export function setLanguage(lang: Language): void {
  current = lang;
  document.documentElement.lang = lang;
}

/** The message for `key` in the current language; re-evaluated in components when it changes. */
export function t(key: MessageKey, params?: Params): string {
  return translate(current, key, params);
}
