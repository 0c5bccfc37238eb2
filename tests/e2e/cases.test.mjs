// The cases dashboard on the demo court: every deadline of the account in one list, soonest
// first; a notification from the event feed read out in a live region; a deadline that passes
// shown as overdue. Chinese and English, elder mode, axe on each state.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import { clerk, demoCourtUrl, signIn } from './support/demo-court.mjs';
import { accessibilityViolations, byTestId, click, documentState, onScreen, shown, textOf } from './support/page.mjs';

const dirs = [];
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The deadlines on screen, in order: subject and whether marked overdue. */
function deadlines(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="deadlines"] li')].map((li) => ({
      subject: li.dataset.subject,
      overdue: li.dataset.overdue === 'true',
    })),
  );
}

test('the dashboard lists deadlines by urgency, shows feed notifications and marks a missed one overdue', { timeout: 400_000 }, async () => {
  const dataDir = await makeTempDir('litigant-e2e-cases-');
  dirs.push(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  const browser = await launchApp({ dataDir, label: 'cases', env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' } });
  await onScreen(browser, 'home');
  const url = await demoCourtUrl(browser);

  // Before logging in, the screen says what to do instead of showing nothing.
  await click(browser, byTestId('nav-cases'));
  await onScreen(browser, 'cases');
  await shown(browser, byTestId('cases-go-account'));

  await signIn(browser, dataDir, url, '13800138000');
  await click(browser, byTestId('nav-cases'));
  await onScreen(browser, 'cases');
  await shown(browser, byTestId('deadlines'));
  // The hearing upload (3 days), the filing's corrections (5 days), the exchange (6 days).
  assert.deepEqual(await deadlines(browser), [
    { subject: 'hrg_demo', overdue: false },
    { subject: 'fil_demo_sales', overdue: false },
    { subject: 'exw_demo', overdue: false },
  ]);
  const text = await textOf(browser, byTestId('deadlines'));
  assert.match(text, /非同步庭审：上传全部录像/);
  assert.match(text, /补正起诉材料/);
  assert.match(text, /3天后到期/);
  assert.match(await textOf(browser, byTestId('dashboard-cases')), /\(2026\)演0101民初1000号/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'cases-dashboard-zh-CN');

  // The clerk opens a short evidence exchange: the feed brings the notification, read out in
  // the live region, and the dashboard picks up the new deadline. Someone on the keyboard is
  // at a deadline's button meanwhile: the list re-rendered under it keeps the focus there.
  const focused = () => browser.execute(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);
  await browser.execute(() => document.querySelector('[data-testid="deadline-filing-fil_demo_sales"]').focus());
  assert.equal(await focused(), 'deadline-filing-fil_demo_sales');
  const closesAt = new Date(Date.now() + 6_000).toISOString();
  const window = await clerk(dataDir, url, 'POST', '/clerk/cases/case_demo_loan/exchanges', { mode: 'asynchronous', closesAt });
  const log = await browser.$(byTestId('notices'));
  assert.equal(await log.getAttribute('aria-live'), 'polite');
  await browser.waitUntil(async () => /证据交换已开启/.test(await log.getText()), {
    timeout: 30_000,
    timeoutMsg: 'the feed notification did not appear',
  });
  await browser.waitUntil(async () => (await deadlines(browser)).some((d) => d.subject === window.id), {
    timeout: 10_000,
    timeoutMsg: 'the new exchange window did not reach the deadline list',
  });
  assert.equal(await focused(), 'deadline-filing-fil_demo_sales', 'focus stays on the control after the refresh');
  await log.scrollIntoView();
  await screenshot(browser, 'cases-notification-zh-CN');

  // Once it has closed, it is the first deadline and marked overdue.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(closesAt) - Date.now()) + 500));
  await click(browser, byTestId('cases-refresh'));
  await browser.waitUntil(async () => (await deadlines(browser))[0]?.overdue === true, {
    timeout: 10_000,
    timeoutMsg: 'the missed window is not shown as overdue',
  });
  assert.deepEqual((await deadlines(browser))[0], { subject: window.id, overdue: true });
  assert.match(await textOf(browser, `[data-subject="${window.id}"]`), /已逾期/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'cases-overdue-zh-CN');

  // The platform's feed fails (it answers 503 to every poll): the screen says notifications
  // are paused, and says nothing more once it is back.
  await clerk(dataDir, url, 'PUT', '/clerk/faults', {
    latencyMs: 0,
    rules: [{ method: 'GET', pathPrefix: '/api/v1/events', fault: { kind: 'server_error', status: 503 }, every: 1 }],
  });
  // The feed notices on its next poll, after the one waiting now ends (up to 25 s) and the
  // client's retries.
  await browser.waitUntil(async () => (await browser.$$(byTestId('feed-offline'))).length > 0, {
    timeout: 90_000,
    timeoutMsg: 'a cut feed was not reported',
  });
  assert.match(await textOf(browser, byTestId('feed-offline')), /通知暂停：无法连接诉讼平台/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await (await browser.$(byTestId('feed-offline'))).scrollIntoView();
  await screenshot(browser, 'cases-feed-offline-zh-CN');
  await clerk(dataDir, url, 'PUT', '/clerk/faults', { latencyMs: 0, rules: [] });
  await browser.waitUntil(async () => (await browser.$$(byTestId('feed-offline'))).length === 0, {
    timeout: 90_000,
    timeoutMsg: 'the feed did not come back',
  });

  // English, and elder mode: large text and targets on this screen too.
  await click(browser, byTestId('toggle-language'));
  await browser.waitUntil(async () => /Overdue/i.test(await textOf(browser, byTestId("deadlines"))), { timeout: 10_000 });
  assert.match(await textOf(browser, byTestId('deadlines')), /Asynchronous hearing: upload everything/);
  assert.match(await textOf(browser, byTestId('notices')), /Evidence exchange opened/);
  await click(browser, byTestId('toggle-elder'));
  await browser.waitUntil(async () => (await documentState(browser)).elder, { timeout: 10_000 });
  const state = await documentState(browser);
  assert.ok(state.fontSizePx >= 18, `elder text is ${state.fontSizePx}px`);
  assert.ok(state.smallestTargetPx >= 60, `the smallest target is ${state.smallestTargetPx}px`);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'cases-overdue-elder-en');
});
