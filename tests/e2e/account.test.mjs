// Logging in on the demo court: the code comes by "SMS" (the demo court's outbox, read here
// with its clerk token), the keychain is not there, so the app offers a login that keeps
// nothing; the demo party's case appears; logging out forgets it. Keyboard and axe throughout.
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure, withTimeout } from './support/app.mjs';
import { accessibilityViolations, byTestId, click, onScreen, shown, textOf } from './support/page.mjs';

const dirs = [];
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The newest code in the demo court's SMS outbox. */
async function smsCode(dataDir, url) {
  const clerk = (await readFile(path.join(dataDir, 'demo-court', 'clerk-token'), 'utf8')).trim();
  const response = await withTimeout(
    fetch(`${url}/api/v1/sim/sms-outbox`, { headers: { Authorization: `Bearer ${clerk}` } }),
    10_000,
    'GET the SMS outbox',
  );
  const outbox = await response.json();
  return outbox.items[0].code;
}

test('log in on the demo court without a keychain, see the case, log out', { timeout: 180_000 }, async () => {
  const dataDir = await makeTempDir('litigant-e2e-account-');
  dirs.push(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  // No Secret Service: the keychain is absent, as on a machine without a desktop session.
  const browser = await launchApp({ dataDir, label: 'account', env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' } });
  await onScreen(browser, 'home');
  const badge = await browser.$(byTestId('court-badge'));
  await browser.waitUntil(async () => (await badge.getAttribute('data-state')) === 'connected', { timeout: 20_000 });
  const url = await textOf(browser, byTestId('court-url'));

  await click(browser, byTestId('nav-account'));
  await onScreen(browser, 'account');
  assert.deepEqual(await accessibilityViolations(browser), []);
  await (await browser.$('#account-mobile')).setValue('13800138000');
  await click(browser, byTestId('account-send-code'));
  await shown(browser, byTestId('account-code-sent'));
  assert.match(await textOf(browser, byTestId('account-code-sent')), /138\*\*\*\*8000/);

  // The keychain is asked first, before the code is used, and its absence is explained.
  await (await browser.$('#account-code')).setValue('000000');
  await click(browser, byTestId('account-log-in'));
  await shown(browser, '#account-error');
  assert.equal(await (await browser.$('#account-error')).getAttribute('data-code'), 'accounts.keychain_unavailable');
  assert.match(await textOf(browser, '#account-error'), /无法使用系统钥匙串/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'account-no-keychain-zh-CN');

  // A wrong code is refused in plain words.
  await click(browser, byTestId('account-log-in-without-keeping'));
  await browser.waitUntil(async () => /验证码不正确/.test(await textOf(browser, '#account-error')), { timeout: 20_000 });

  await (await browser.$('#account-code')).setValue(await smsCode(dataDir, url));
  await click(browser, byTestId('account-log-in-without-keeping'));
  await shown(browser, byTestId('account-card'));
  assert.match(await textOf(browser, byTestId('account-name')), /王小明 · 1101\*\*\*\*\*\*\*\*\*\*002X/);
  await shown(browser, byTestId('cases'));
  assert.match(await textOf(browser, byTestId('cases')), /\(2026\)演0101民初1000号/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'account-signed-in-zh-CN');
  assert.equal(existsSync(path.join(dataDir, 'accounts.json')), false, 'a login that keeps nothing is not listed');

  await click(browser, byTestId('account-logout'));
  await shown(browser, byTestId('account-send-code'));
});
