// A court kiosk: a session with a visible timer, a login that keeps nothing, "End session" that
// returns to the start and leaves the data folder byte for byte as it was; then the idle
// timeout: a warning, "continue", and the end when nobody acts. The idle timeout is shortened
// for the test with LITIGANT_KIOSK_IDLE_SECONDS.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import { smsCode, treeHash } from './support/accounts.mjs';
import { accessibilityViolations, byTestId, click, onScreen, shown, spokenText, textOf } from './support/page.mjs';

const dirs = [];
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

// The demo court's folder is the court's own storage (it stands in for a remote platform, and
// a login changes its database), so the app's data is everything else.
const COURT = ['demo-court'];

async function kioskState(browser) {
  return (await browser.$(byTestId('kiosk-bar'))).getAttribute('data-state');
}

test('a kiosk session ends by the button and by idling, and leaves the data folder as it was', { timeout: 240_000 }, async () => {
  const dataDir = await makeTempDir('litigant-e2e-kiosk-');
  dirs.push(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'kiosk' }));
  const browser = await launchApp({
    dataDir,
    label: 'kiosk',
    env: { LITIGANT_KIOSK_IDLE_SECONDS: '9', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
  });
  await onScreen(browser, 'home');
  const badge = await browser.$(byTestId('court-badge'));
  await browser.waitUntil(async () => (await badge.getAttribute('data-state')) === 'connected', { timeout: 20_000 });
  const url = await textOf(browser, byTestId('court-url'));

  await shown(browser, byTestId('kiosk-start'));
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'kiosk-start-zh-CN');
  await click(browser, byTestId('toggle-language'));
  await screenshot(browser, 'kiosk-start-en');
  await click(browser, byTestId('toggle-language'));
  await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === 'zh-CN', { timeout: 10_000 });
  const before = treeHash(dataDir, COURT);
  await click(browser, byTestId('kiosk-start'));
  await shown(browser, byTestId('kiosk-timer'));
  assert.match(await textOf(browser, byTestId('kiosk-timer')), /已使用 00:0\d/);
  assert.ok(existsSync(path.join(dataDir, 'kiosk-session')), 'the session has a folder of its own');

  // A login at the kiosk keeps nothing, and offers no account switching.
  await click(browser, byTestId('nav-account'));
  await onScreen(browser, 'account');
  await (await browser.$('#account-mobile')).setValue('13800138000');
  await click(browser, byTestId('account-send-code'));
  await shown(browser, byTestId('account-code-sent'));
  await (await browser.$('#account-code')).setValue('000000');
  await click(browser, byTestId('account-log-in'));
  await browser.waitUntil(async () => /验证码不正确/.test(await textOf(browser, '#account-error')), { timeout: 20_000 });
  await (await browser.$('#account-code')).clearValue();
  await (await browser.$('#account-code')).setValue(await smsCode(dataDir, url, '13800138000', 'login'));
  await click(browser, byTestId('account-log-in'));
  await shown(browser, byTestId('account-card'));
  assert.match(await textOf(browser, byTestId('account-card')), /不保存任何内容/);
  assert.equal(await browser.$(byTestId('account-switcher')).isExisting(), false);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'kiosk-signed-in-zh-CN');

  await click(browser, byTestId('kiosk-end'));
  await onScreen(browser, 'home');
  await shown(browser, byTestId('kiosk-start'));
  await browser.waitUntil(async () => /已结束使用/.test(await spokenText(browser, byTestId('announcer'))), { timeout: 10_000 });
  assert.deepEqual(treeHash(dataDir, COURT), before, 'the data folder is byte for byte as before');

  // Idle: a warning before the end; "continue" keeps the session; then nobody acts.
  await click(browser, byTestId('kiosk-start'));
  await shown(browser, byTestId('kiosk-timer'));
  await browser.waitUntil(async () => (await kioskState(browser)) === 'warning', { timeout: 20_000 });
  assert.match(await textOf(browser, byTestId('kiosk-warning')), /秒后将结束使用/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'kiosk-warning-zh-CN');
  await click(browser, byTestId('kiosk-stay'));
  await browser.waitUntil(async () => (await kioskState(browser)) === 'active', { timeout: 10_000 });
  await click(browser, byTestId('toggle-language'));
  await browser.waitUntil(async () => (await kioskState(browser)) === 'warning', { timeout: 20_000 });
  assert.match(await textOf(browser, byTestId('kiosk-warning')), /the session ends in \d+ seconds/);
  await screenshot(browser, 'kiosk-warning-en');
  await browser.waitUntil(async () => (await kioskState(browser)) === 'none', { timeout: 20_000 });
  await shown(browser, byTestId('kiosk-start'));
  // The language was switched during the session; the next person gets the kiosk as it was.
  await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === 'zh-CN', { timeout: 10_000 });
  assert.deepEqual(treeHash(dataDir, COURT), before, 'the data folder is byte for byte as before');
  assert.equal(existsSync(path.join(dataDir, 'kiosk-session')), false);
});
