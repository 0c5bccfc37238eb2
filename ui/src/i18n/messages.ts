import type { Language } from "../backend/bindings";
import { en } from "./en";
import { zhCN } from "./zh-CN";

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;
export type Params = Record<string, string | number>;

const catalogs: Record<Language, Messages> = { "zh-CN": zhCN, en };

/** Fills `{name}` placeholders; a placeholder with no value is left visible, not dropped. */
export function format(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function translate(lang: Language, key: MessageKey, params?: Params): string {
  return format(catalogs[lang][key], params);
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key);
}
