// Consent per litigation link on the demo court, completed with the keyboard alone (text typed
// into fields with setValue, as WebDriver's global keys drop characters): a change of one link
// recorded with its reason and added to the history; a request to go offline refused without a
// reason, then sent with one. English first, then Chinese; axe on each state.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import { demoCourtUrl, signIn } from './support/demo-court.mjs';
import { KEY, accessibilityViolations, byTestId, click, documentState, focused, onScreen, press, shown, tabTo, textOf } from './support/page.mjs';

const dirs = [];
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const historyLength = (browser) =>
  browser.execute(() => document.querySelectorAll('[data-testid="consent-history"] li').length);

test('consent per link by keyboard alone; going offline without a reason is refused', { timeout: 240_000 }, async () => {
  const dataDir = await makeTempDir('litigant-e2e-consent-');
  dirs.push(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal', language: 'en' }));
  const browser = await launchApp({ dataDir, label: 'consent', env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' } });
  await onScreen(browser, 'home');
  const url = await demoCourtUrl(browser);
  await signIn(browser, dataDir, url, '13900139000');

  // From here on, only the keyboard.
  await tabTo(browser, 'nav-cases', 40);
  await press(browser, KEY.Enter);
  await onScreen(browser, 'cases');
  await shown(browser, byTestId('consent-case_demo_loan'));
  await tabTo(browser, 'consent-case_demo_loan', 40);
  await press(browser, KEY.Enter);
  await onScreen(browser, 'consent');
  await shown(browser, byTestId('consent-history'));
  assert.equal(await (await browser.$('[data-link="mediation"]')).getAttribute('data-mode'), 'online');
  const before = await historyLength(browser);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'consent-en');

  // Mediation offline, with a reason.
  await tabTo(browser, 'input[consent-link=filing]', 40);
  await press(browser, KEY.ArrowDown);
  assert.equal(await focused(browser), 'input[consent-link=mediation]');
  await press(browser, KEY.Tab);
  assert.equal(await focused(browser), 'input[consent-mode=online]');
  await press(browser, KEY.ArrowDown);
  assert.equal(await focused(browser), 'input[consent-mode=offline]');
  await press(browser, KEY.Tab);
  assert.equal(await focused(browser), 'consent-reason');
  await (await browser.$('#consent-reason')).setValue('Mediation needs my interpreter in the room');
  await tabTo(browser, 'consent-record');
  await press(browser, KEY.Enter);
  await browser.waitUntil(
    async () => (await (await browser.$('[data-link="mediation"]')).getAttribute('data-mode')) === 'offline',
    { timeout: 15_000, timeoutMsg: 'mediation did not become offline' },
  );
  assert.equal(await historyLength(browser), before + 1, 'one record added, none edited');
  assert.match(await textOf(browser, byTestId('consent-history')), /Mediation: Offline\s*Reason: Mediation needs my interpreter in the room/);
  assert.equal(await (await browser.$('[data-link="hearing"]')).getAttribute('data-mode'), 'online', 'no link presumed from another');

  // Asking to go offline without a reason is refused, in words that say what to add.
  await tabTo(browser, 'input[offline-link=hearing]', 40);
  await press(browser, KEY.Space);
  await tabTo(browser, 'offline-submit', 10);
  await press(browser, KEY.Enter);
  await shown(browser, '#consent-offline-error');
  assert.equal(await (await browser.$('#consent-offline-error')).getAttribute('data-code'), 'consent.reason_required');
  assert.match(await textOf(browser, '#consent-offline-error'), /Say why you cannot continue online/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'consent-offline-no-reason-en');

  assert.equal(await focused(browser), 'offline-reason', 'the field to fix has focus');
  await (await browser.$('#offline-reason')).setValue('I have no camera and cannot record the hearing');
  await tabTo(browser, 'offline-submit', 10);
  await press(browser, KEY.Enter);
  await shown(browser, byTestId('offline-sent'));
  assert.match(await textOf(browser, byTestId('offline-sent')), /Request sent for: Hearing\. Status: waiting for the court's decision\./);

  // The same screen in Chinese.
  await click(browser, byTestId('toggle-language'));
  await browser.waitUntil(async () => /调解：线下/.test(await textOf(browser, byTestId('consent-history'))), { timeout: 10_000 });
  assert.match(await textOf(browser, byTestId('offline-sent')), /已提交申请：庭审。状态：等待法院决定。/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'consent-zh-CN');
  await click(browser, byTestId('toggle-elder'));
  await browser.waitUntil(async () => (await documentState(browser)).elder, { timeout: 10_000 });
  const state = await documentState(browser);
  assert.ok(state.fontSizePx >= 18, `elder text is ${state.fontSizePx}px`);
  assert.ok(state.smallestTargetPx >= 60, `the smallest target is ${state.smallestTargetPx}px`);
  assert.deepEqual(await accessibilityViolations(browser), []);
});
