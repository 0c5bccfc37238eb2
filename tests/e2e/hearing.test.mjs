// The asynchronous hearing room on the demo court: re-verification with an SMS code, the device
// and environment check with the test pattern, each step recorded (one of them twice),
// confirmed and sent while the next is recorded, a network cut during sending shown as waiting
// and then completed; at the submission, a lapsed identity check renewed in the room and a cut
// connection, each keeping the room open, walked by keyboard; then the submission. Then, in English and elder mode: a hearing whose deadline
// passes explains itself, and a short hearing is answered with the keyboard alone, one step
// stopped by its countdown.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import { clerk, demoCourtUrl, signIn } from './support/demo-court.mjs';
import { activate, typeHere } from './support/keyboard.mjs';
import {
  KEY,
  accessibilityViolations,
  byTestId,
  click,
  documentState,
  focused,
  onScreen,
  press,
  shown,
  tabTo,
  textOf,
} from './support/page.mjs';

const dirs = [];
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const MOBILE = '13800138000';
const stepState = async (browser, index) =>
  (await browser.$(`${byTestId('room-steps')} li[data-step="${index}"]`)).getAttribute('data-state');

async function waitForStep(browser, index, states, timeout = 60_000) {
  await browser.waitUntil(async () => states.includes(await stepState(browser, index)), {
    timeout,
    timeoutMsg: `step ${index} did not become ${states.join(' or ')}`,
  });
}

async function start(label, settings) {
  await closeApp();
  const dataDir = await makeTempDir(`litigant-e2e-${label}-`);
  dirs.push(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal', ...settings }));
  const browser = await launchApp({ dataDir, label, env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' } });
  await onScreen(browser, 'home');
  const url = await demoCourtUrl(browser);
  await signIn(browser, dataDir, url, MOBILE);
  return { browser, dataDir, url };
}

/** Re-verifies with the newest "reverify" code of the SMS outbox. */
async function reverify(browser, dataDir, url) {
  await click(browser, byTestId('reverify-send'));
  await shown(browser, byTestId('reverify-sent'));
  const outbox = await clerk(dataDir, url, 'GET', '/sim/sms-outbox');
  const sms = outbox.items.find((item) => item.purpose === 'reverify' && item.mobile === MOBILE);
  assert.ok(sms, 'a re-verification code was sent');
  await (await browser.$('#reverify-code')).setValue(sms.code);
  await click(browser, byTestId('reverify-submit'));
  await shown(browser, byTestId('reverify-valid'));
}

/** Clears the demo court's record of the party's last identity check (sqlite3, Debian package
 * sqlite3), so the court asks for a new one, as it does once the check is half an hour old. */
async function lapseReverification(dataDir) {
  const db = path.join(dataDir, 'demo-court', 'court.db');
  await new Promise((resolve, reject) =>
    execFile('sqlite3', ['-cmd', '.timeout 5000', db, `UPDATE accounts SET assurance_at = NULL WHERE mobile = '${MOBILE}'`], { timeout: 10_000 }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

/** Runs the check with the test pattern and waits for its outcome. */
async function checkDevices(browser) {
  const camera = await shown(browser, byTestId('hearing-camera'));
  await camera.selectByAttribute('value', 'test');
  await click(browser, byTestId('hearing-check'));
  await shown(browser, byTestId('check-outcome'));
}

/** Records the shown step for about `seconds` and stops it. */
async function recordFor(browser, seconds) {
  await click(browser, byTestId('room-record'));
  await shown(browser, byTestId('room-stop'));
  await browser.pause(seconds * 1000);
  await click(browser, byTestId('room-stop'));
  await shown(browser, byTestId('room-recorded'));
}

test('re-verify, check, record, re-record, confirm, a network cut while sending, submit (zh-CN)', { timeout: 420_000 }, async () => {
  const { browser, dataDir, url } = await start('hearing', {});
  await click(browser, byTestId('nav-hearing'));
  await onScreen(browser, 'hearing');
  await shown(browser, byTestId('hearing-open-hrg_demo'));
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-list-zh-CN');

  await click(browser, byTestId('hearing-open-hrg_demo'));
  await shown(browser, byTestId('reverify-send'));
  assert.equal(await (await browser.$(byTestId('hearing-enter'))).isEnabled(), false, 'no room before the checks');
  await reverify(browser, dataDir, url);
  assert.match(await textOf(browser, byTestId('reverify-valid')), /身份已确认，有效至 \d\d:\d\d/);
  await checkDevices(browser);
  const findings = await textOf(browser, byTestId('findings'));
  assert.equal(await (await browser.$(byTestId('check-outcome'))).getAttribute('data-can-record'), 'true', findings);
  assert.match(findings, /正在使用测试图像代替摄像头/);
  assert.match(findings, /磁盘空间足够|磁盘剩余/);
  assert.match(findings, /kbit\/s/, 'the upload speed was measured against the court');
  assert.match(await (await browser.$(`${byTestId('hearing-camera')} option[value="test"]`)).getProperty('textContent'), /测试图像/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-check-zh-CN');

  await click(browser, byTestId('hearing-enter'));
  await shown(browser, byTestId('room'));
  assert.match(await textOf(browser, byTestId('room-prompt')), /请陈述您的诉讼请求/);
  assert.match(await textOf(browser, byTestId('room-deadline')), /距离全部提交的截止时间还有：2 天/);
  assert.deepEqual(await accessibilityViolations(browser), []);

  // Step 1, recorded twice; the preview and the level meter move while recording.
  await click(browser, byTestId('room-record'));
  await shown(browser, byTestId('room-countdown'));
  await browser.waitUntil(async () => /分贝/.test(await textOf(browser, byTestId('room-level-text'))), {
    timeout: 10_000,
    timeoutMsg: 'the level meter showed no sound',
  });
  const painted = await browser.execute(() => {
    const canvas = document.querySelector('[data-testid="room-preview"]');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    return pixels.some((value, i) => i % 4 !== 3 && value > 0);
  });
  assert.ok(painted, 'the preview shows the camera picture');
  assert.match(await textOf(browser, byTestId('room-countdown')), /剩余时间：00:0[45]:\d\d/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-recording-zh-CN');
  await browser.pause(2000);
  await click(browser, byTestId('room-stop'));
  await shown(browser, byTestId('room-recorded'));
  assert.equal(await stepState(browser, 0), 'recorded', 'nothing is sent before confirming');
  await click(browser, byTestId('room-rerecord'));
  await shown(browser, byTestId('room-stop'));
  await browser.pause(3000);
  await click(browser, byTestId('room-stop'));
  await shown(browser, byTestId('room-recorded'));
  assert.match(await textOf(browser, byTestId('room-recorded')), /已录制：00:00:0[2-5]/);
  // The take plays back in the window (WebKitGTK's GStreamer reads the shell's hearing: scheme).
  const playback = () =>
    browser.execute(() => {
      const video = document.querySelector('[data-testid="room-playback"]');
      const duration = video?.duration;
      return { ready: video?.readyState ?? -1, duration: Number.isFinite(duration) ? duration : 0, error: video?.error?.code ?? null };
    });
  await browser.waitUntil(async () => (await playback()).ready >= 1, {
    timeout: 20_000,
    timeoutMsg: 'the recorded take did not load for playback',
  });
  const loaded = await playback();
  assert.equal(loaded.error, null);
  assert.ok(loaded.duration > 1 && loaded.duration < 10, `the take is ${loaded.duration} s long`);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-recorded-zh-CN');
  await click(browser, byTestId('room-confirm'));
  await browser.waitUntil(async () => (await (await browser.$(byTestId('room-step'))).getAttribute('data-step')) === '1', {
    timeout: 15_000,
  });
  assert.match(await textOf(browser, byTestId('room-prompt')), /质证意见/);
  // A confirmed take is no longer played back: the shell serves unconfirmed steps only.
  const served = await browser.execute(async () => (await fetch('hearing://localhost/0/0')).status);
  assert.equal(served, 404);
  await waitForStep(browser, 0, ['filed']);

  // Step 2 is sent while the network to the uploads is cut: it waits, then goes on by itself.
  await clerk(dataDir, url, 'PUT', '/clerk/faults', {
    latencyMs: 0,
    rules: [{ method: 'PATCH', pathPrefix: '/api/v1/uploads/', fault: { kind: 'cut_connection', afterBytes: 0 }, every: 1 }],
  });
  await recordFor(browser, 2);
  await click(browser, byTestId('room-confirm'));
  await waitForStep(browser, 1, ['waiting']);
  assert.match(await textOf(browser, byTestId('room-steps')), /等待网络\s*暂时无法连接诉讼平台/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-waiting-zh-CN');
  await clerk(dataDir, url, 'PUT', '/clerk/faults', { latencyMs: 0, rules: [] });

  // Step 3 is recorded while step 2 is still to be sent.
  await recordFor(browser, 2);
  await click(browser, byTestId('room-confirm'));
  await shown(browser, byTestId('room-submit'));
  await waitForStep(browser, 1, ['filed'], 90_000);
  await waitForStep(browser, 2, ['filed'], 60_000);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-all-filed-zh-CN');

  // The court's identity check lapses before the submission, as half an hour passing would
  // (the demo court's own record of it is cleared): the room asks for it in place, by keyboard.
  await lapseReverification(dataDir);
  await tabTo(browser, 'room-submit');
  await press(browser, KEY.Enter);
  await shown(browser, byTestId('room-submit-failed'));
  assert.equal(await (await browser.$('#room-submit-error')).getAttribute('data-code'), 'platform.reverification_required');
  assert.match(await textOf(browser, byTestId('room-submit-failed')), /在下面核验，然后按“再次提交”，不用离开庭审/);
  await shown(browser, byTestId('reverify-send'));
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-submit-reverify-zh-CN');
  await activate(browser, 'reverify-send');
  await shown(browser, byTestId('reverify-sent'));
  const outbox = await clerk(dataDir, url, 'GET', '/sim/sms-outbox');
  const sms = outbox.items.find((item) => item.purpose === 'reverify' && item.mobile === MOBILE);
  await tabTo(browser, 'room-reverify-code');
  await typeHere(browser, sms.code);
  await activate(browser, 'reverify-submit');
  await shown(browser, byTestId('reverify-valid'));

  // Then the connection breaks as the court takes the submission, before its answer arrives:
  // the room stays open with the reason and "submit again". Trying again finds the hearing
  // submitted instead of submitting twice.
  await clerk(dataDir, url, 'PUT', '/clerk/faults', {
    latencyMs: 0,
    rules: [{ method: 'POST', pathPrefix: '/api/v1/hearings/hrg_demo/submission', fault: { kind: 'cut_connection', afterBytes: 0 }, every: 1, times: 1 }],
  });
  await activate(browser, 'room-submit');
  await browser.waitUntil(async () => (await (await browser.$('#room-submit-error')).getAttribute('data-code')) === 'court_client.unreachable', {
    timeout: 30_000,
    timeoutMsg: 'the cut submission was not reported in the room',
  });
  await browser.waitUntil(async () => (await focused(browser)) === 'room-submit-failed', {
    timeout: 5_000,
    timeoutMsg: 'the failure did not take focus',
  });
  assert.ok(await (await browser.$(byTestId('room'))).isDisplayed(), 'the room stays open');
  const failure = await textOf(browser, byTestId('room-submit-failed'));
  assert.match(failure, /庭审没有提交成功/);
  assert.match(failure, /无法连接诉讼平台，请检查网络后重试/);
  assert.match(failure, /不用重新录制/);
  assert.equal(await textOf(browser, byTestId('room-submit')), '再次提交');
  assert.equal(await (await browser.$(byTestId('hearing-error'))).isExisting(), false, 'not sent back to the list');
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-submit-failed-zh-CN');
  await activate(browser, 'room-submit');
  // The submission waits until the court has every answer.
  const result = await browser.$(byTestId('hearing-result'));
  await result.waitForDisplayed({ timeout: 90_000 });
  await browser.waitUntil(async () => (await result.getAttribute('data-status')) === 'submitted', { timeout: 60_000 });
  assert.match(await textOf(browser, byTestId('hearing-result')), /法院已收到 3\/3 个回答/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-submitted-zh-CN');
});

test('a passed deadline is explained; a short hearing by keyboard alone (en, elder mode)', { timeout: 420_000 }, async () => {
  const { browser, dataDir, url } = await start('hearing-en', { language: 'en', elderMode: true });
  const inSeconds = (s) => new Date(Date.now() + s * 1000).toISOString();
  const late = await clerk(dataDir, url, 'POST', '/clerk/cases/case_demo_loan/hearings', {
    title: 'Hearing that closes soon',
    steps: [{ index: 0, prompt: 'Say your name.', maxSeconds: 30 }],
    deadline: inSeconds(75),
  });
  const short = await clerk(dataDir, url, 'POST', '/clerk/cases/case_demo_loan/hearings', {
    title: 'Short hearing',
    steps: [
      { index: 0, prompt: 'Do you agree to mediation?', maxSeconds: 4 },
      { index: 1, prompt: 'Anything else?', maxSeconds: 60 },
    ],
    deadline: inSeconds(1800),
  });

  await click(browser, byTestId('nav-hearing'));
  await onScreen(browser, 'hearing');
  await click(browser, byTestId(`hearing-open-${late.id}`));
  await reverify(browser, dataDir, url);
  assert.match(await textOf(browser, byTestId('reverify-valid')), /Your identity is confirmed until/);
  await checkDevices(browser);
  assert.match(await textOf(browser, byTestId('findings')), /Using the test pattern instead of a camera/);
  const state = await documentState(browser);
  assert.ok(state.fontSizePx >= 18, `elder text is ${state.fontSizePx}px`);
  assert.ok(state.smallestTargetPx >= 60, `the smallest target is ${state.smallestTargetPx}px`);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-check-elder-en');
  await click(browser, byTestId('hearing-enter'));
  await shown(browser, byTestId('room'));
  const deadline = await browser.$(byTestId('room-deadline'));
  await browser.waitUntil(async () => (await deadline.getAttribute('data-passed')) === 'true', {
    timeout: 90_000,
    timeoutMsg: 'the deadline did not pass',
  });
  await click(browser, byTestId('room-record'));
  await shown(browser, '#room-error');
  assert.equal(await (await browser.$('#room-error')).getAttribute('data-code'), 'hearing.deadline_passed');
  assert.match(await textOf(browser, '#room-error'), /deadline has passed, so nothing more can be recorded or sent/);
  assert.match(await textOf(browser, byTestId('room-deadline')), /The deadline passed at/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-deadline-passed-elder-en');
  await click(browser, byTestId('hearing-leave'));
  const lateItem = await browser.$(`[data-hearing="${late.id}"]`);
  await browser.waitUntil(async () => (await lateItem.getAttribute('data-status')) === 'closed', { timeout: 15_000 });

  // The short hearing, from the list to the submission, with the keyboard alone.
  await shown(browser, byTestId(`hearing-open-${short.id}`));
  await tabTo(browser, `hearing-open-${short.id}`, 40);
  await press(browser, KEY.Enter);
  await shown(browser, byTestId('reverify-valid'));
  await tabTo(browser, 'hearing-check', 40);
  await press(browser, KEY.Enter);
  await shown(browser, byTestId('check-outcome'));
  await tabTo(browser, 'hearing-enter', 40);
  await press(browser, KEY.Enter);
  await shown(browser, byTestId('room'));
  await tabTo(browser, 'room-record', 40);
  await press(browser, KEY.Enter);
  await shown(browser, byTestId('room-countdown'));
  assert.equal(await focused(browser), 'room-stop', 'Stop has focus while recording');
  // The countdown stops the 4-second step by itself; focus moves to Confirm.
  await shown(browser, byTestId('room-recorded'));
  assert.match(await textOf(browser, byTestId('room-recorded')), /Recorded: 00:00:0[3-5]/);
  await browser.waitUntil(async () => (await focused(browser)) === 'room-confirm', { timeout: 5_000 });
  await press(browser, KEY.Enter);
  await browser.waitUntil(async () => (await (await browser.$(byTestId('room-step'))).getAttribute('data-step')) === '1', {
    timeout: 15_000,
  });
  assert.equal(await focused(browser), 'room-record', 'the next step is ready to record');
  await press(browser, KEY.Enter);
  await shown(browser, byTestId('room-stop'));
  await browser.pause(2000);
  assert.equal(await focused(browser), 'room-stop');
  await press(browser, KEY.Enter);
  await shown(browser, byTestId('room-recorded'));
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-recorded-elder-en');
  await browser.waitUntil(async () => (await focused(browser)) === 'room-confirm', { timeout: 5_000 });
  await press(browser, KEY.Enter);
  await shown(browser, byTestId('room-submit'));
  await browser.waitUntil(async () => (await focused(browser)) === 'room-submit', { timeout: 5_000 });
  await press(browser, KEY.Enter);
  // The submission waits until the court has every answer.
  const result = await browser.$(byTestId('hearing-result'));
  await result.waitForDisplayed({ timeout: 90_000 });
  await browser.waitUntil(async () => (await result.getAttribute('data-status')) === 'submitted', { timeout: 90_000 });
  assert.match(await textOf(browser, byTestId('hearing-result')), /the court has 2 of 2 answers/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'hearing-submitted-elder-en');
});
