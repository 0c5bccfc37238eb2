// The new-filing form's steps, where each problem the check finds belongs, and its plain words.
import type { FilingForm, ProblemView } from "../backend";
import { isMessageKey, type MessageKey } from "../i18n/messages";
import { t } from "../i18n/i18n.svelte";

/** One task per step (elder mode shows one screen per task). */
export const steps = ["parties", "claims", "facts", "materials", "evidence", "check"] as const;
export type Step = (typeof steps)[number];

export function emptyForm(): FilingForm {
  return {
    caseType: "civil_first_instance",
    title: "",
    parties: [
      { role: "plaintiff", name: "", idType: null, idNumber: null, address: null, mobile: null },
      { role: "defendant", name: "", idType: null, idNumber: null, address: null, mobile: null },
    ],
    claims: [""],
    factsAndReasons: "",
    materials: [],
    evidence: [],
  };
}

/** The step and the input a problem's field pointer names, so "fix" can focus it. */
export function fieldTarget(field: string): { step: Step; id: string } {
  const [head, index, part] = field.replace(/^\//, "").split("/");
  switch (head) {
    case "caseType":
      return { step: "claims", id: "filing-case-type" };
    case "title":
      return { step: "claims", id: "filing-title" };
    case "claims":
      return { step: "claims", id: `filing-claim-${index ?? 0}` };
    case "factsAndReasons":
      return { step: "facts", id: "filing-facts" };
    case "parties":
      return index === undefined
        ? { step: "parties", id: "filing-party-add" }
        : { step: "parties", id: `filing-party-${index}-${part === "idType" ? "idNumber" : (part ?? "name")}` };
    case "materials":
      return index === undefined
        ? { step: "materials", id: "filing-material-add" }
        : { step: "materials", id: `filing-material-${index}` };
    case "evidence":
      return { step: "evidence", id: `filing-evidence-${index ?? 0}-${part === "material" ? "material" : "name"}` };
    default:
      return { step: "check", id: "filing-check-heading" };
  }
}

/** A size in MB, one decimal, for the size-limit messages. */
export function megabytes(bytes: number | null): string {
  return bytes === null ? "" : (bytes / (1024 * 1024)).toFixed(1);
}

/** The problem in plain words; one the app has no words for is shown as the court wrote it. */
export function problemText(problem: ProblemView): string {
  const key = `filing.problem.${problem.code}`;
  if (problem.code === "other" || !isMessageKey(key)) return problem.message;
  return t(key as MessageKey, { size: megabytes(problem.size), limit: megabytes(problem.limit) });
}

/** The problems on one field (exactly), or on it and everything under it. */
export function problemsAt(problems: ProblemView[], field: string, under = false): ProblemView[] {
  return problems.filter((p) => p.field === field || (under && p.field.startsWith(`${field}/`)));
}
