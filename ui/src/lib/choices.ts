import type { UseMode } from "../backend/bindings";
import type { MessageKey, Params } from "../i18n/messages";

type Translate = (key: MessageKey, params?: Params) => string;

/** The three ways Litigant is used, as shown on the start screen and in settings. */
export function useChoices(t: Translate): { value: UseMode; label: string; hint: string }[] {
  return (["personal", "lawyer", "kiosk"] as const).map((value) => ({
    value,
    label: t(`use.${value}`),
    hint: t(`use.${value}.hint`),
  }));
}
