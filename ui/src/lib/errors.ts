import type { Language } from "../backend/bindings";
import type { BackendError } from "../backend";
import { isMessageKey, translate } from "../i18n/messages";

/** What to show a person for a failed call: the translated message for its code, filled with
 * its details; the back end's English message when there is no translation for the code. */
export function errorText(lang: Language, error: BackendError): string {
  const key = `error.${error.code}`;
  if (isMessageKey(key)) {
    return translate(lang, key, { message: error.message, ...localised(lang, error.details) });
  }
  return error.message;
}

/** A detail `<name>Zh` is the Chinese wording of detail `<name>` (the back end's is English);
 * in Chinese it takes that detail's place, so both languages' messages quote `{name}`. */
function localised(lang: Language, details: Record<string, string>): Record<string, string> {
  if (lang !== "zh-CN") return details;
  const out = { ...details };
  for (const [name, value] of Object.entries(details)) {
    if (name.endsWith("Zh")) out[name.slice(0, -2)] = value;
  }
  return out;
}
