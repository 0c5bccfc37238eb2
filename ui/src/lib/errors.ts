import type { Language } from "../backend/bindings";
import type { BackendError } from "../backend";
import { isMessageKey, translate } from "../i18n/messages";

/** What to show a person for a failed call: the translated message for its code, filled with
 * its details; the back end's English message when there is no translation for the code. */
export function errorText(lang: Language, error: BackendError): string {
  const key = `error.${error.code}`;
  if (isMessageKey(key)) {
    return translate(lang, key, { message: error.message, ...error.details });
  }
  return error.message;
}
