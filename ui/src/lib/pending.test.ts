import { describe, expect, it } from "vitest";
import { BackendError } from "../backend";
import { Pending } from "./pending.svelte";

const refused = { code: "consent.reason_required", message: "no reason", details: {} };

/** A call that runs until `finish` or `fail` is called, to look at the state in between. */
function held() {
  let finish!: () => void;
  let fail!: (raw: unknown) => void;
  const work = () =>
    new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  return { work, finish: () => finish(), fail: (raw: unknown) => fail(raw) };
}

describe("Pending", () => {
  it("is busy while a call runs and ignores a second one", async () => {
    const call = new Pending();
    const first = held();
    let seconds = 0;
    const running = call.run(first.work);
    expect(call.busy).toBe(true);
    await call.run(async () => {
      seconds += 1;
    });
    expect(seconds).toBe(0);
    first.finish();
    await running;
    expect(call.busy).toBe(false);
    expect(call.error).toBeNull();
  });

  it("keeps a failure as a BackendError and clears it when the next call starts", async () => {
    const call = new Pending();
    await call.run(() => Promise.reject(refused));
    expect(call.error).toBeInstanceOf(BackendError);
    expect(call.error?.code).toBe("consent.reason_required");
    expect(call.busy).toBe(false);
    const next = held();
    const running = call.run(next.work);
    expect(call.error).toBeNull();
    next.finish();
    await running;
  });

  it("hands a failure to `fail` when given, leaving `error` alone", async () => {
    const call = new Pending();
    const failures: BackendError[] = [];
    const attempt = held();
    const running = call.run(attempt.work, (error) => failures.push(error));
    attempt.fail(new Error("line cut"));
    await running;
    expect(call.error).toBeNull();
    expect(failures.map((f) => f.code)).toEqual(["app.ipc"]);
    expect(call.busy).toBe(false);
  });
});
