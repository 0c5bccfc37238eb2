// Accounts with a REAL Secret Service (gnome-keyring on a private D-Bus): register with the ID
// number checked as it is typed and a face photo taken with the camera (GStreamer's test
// pattern), log in to a second account and keep both, restart the app and still be signed in
// from the keychain, switch, re-verify, log out (its keychain entry goes), remove the other.
// Afterwards no refresh token and no full ID number is in the data folder or the app's log.
// Each screen is checked with axe and photographed in Chinese and English.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { appInfo, closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import { filesContaining, filesUnder, idNumbers, smsCode } from './support/accounts.mjs';
import { startKeyring } from './support/keyring.mjs';
import { accessibilityViolations, byTestId, enhancedContrastViolations, click, onScreen, shown, textOf } from './support/page.mjs';

const dirs = [];
let keyring;
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  keyring?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const NEW_MOBILE = '13700137000';
const DEMO_MOBILE = '13800138000';
// The demo court's seeded plaintiff (王小明).
const DEMO_ID_NUMBER = '11010519491231002X';

async function typeInto(browser, selector, value) {
  const input = await shown(browser, selector);
  await input.clearValue();
  await input.setValue(value);
}

async function connectedCourt(browser) {
  await onScreen(browser, 'home');
  const badge = await browser.$(byTestId('court-badge'));
  await browser.waitUntil(async () => (await badge.getAttribute('data-state')) === 'connected', { timeout: 20_000 });
  return textOf(browser, byTestId('court-url'));
}

/** The id of the listed account whose line names `name`. */
async function listedAccount(browser, name) {
  await shown(browser, byTestId('account-switcher'));
  const id = await browser.execute(
    (who) => [...document.querySelectorAll('[data-testid="saved-account"]')].find((li) => li.textContent.includes(who))?.dataset.account ?? null,
    name,
  );
  assert.ok(id, `${name} is listed`);
  return id;
}

async function noViolations(browser) {
  assert.deepEqual(await accessibilityViolations(browser), []);
}

async function toggleLanguage(browser, lang) {
  await click(browser, byTestId('toggle-language'));
  await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === lang, { timeout: 10_000 });
}

test('register, keep two accounts in the keychain, restart, switch, re-verify, log out, remove', { timeout: 480_000 }, async () => {
  keyring = await startKeyring();
  const dataDir = await makeTempDir('litigant-e2e-keychain-');
  dirs.push(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  const { right, wrong } = idNumbers('44030619900101123');
  const logs = [];
  const secrets = new Set();

  let browser = await launchApp({ dataDir, label: 'keychain', env: { ...keyring.env, LITIGANT_CAMERA: 'test' } });
  let url = await connectedCourt(browser);

  // Registration: the number is checked as it is typed.
  await click(browser, byTestId('nav-account'));
  await onScreen(browser, 'account');
  await click(browser, byTestId('account-register'));
  await onScreen(browser, 'register');
  await typeInto(browser, '#register-name', '李四');
  await typeInto(browser, '#register-number', wrong);
  const status = byTestId('register-number-status');
  await browser.waitUntil(async () => (await (await browser.$(status)).getAttribute('data-code')) === 'id_number.check_character_mismatch', { timeout: 10_000 });
  assert.match(await textOf(browser, status), /第 18 位校验码是“.”，按前面各位算出应为“.”/);
  assert.equal(await (await browser.$('#register-number')).getAttribute('aria-invalid'), 'true');
  await noViolations(browser);
  await screenshot(browser, 'register-id-error-zh-CN');
  await toggleLanguage(browser, 'en');
  assert.match(await textOf(browser, status), /The check character at position 18 is/);
  await screenshot(browser, 'register-id-error-en');
  await toggleLanguage(browser, 'zh-CN');
  // Large text and high contrast: still no violation, the error still readable.
  await click(browser, byTestId('toggle-elder'));
  await click(browser, byTestId('toggle-contrast'));
  await browser.waitUntil(async () => browser.execute(() => document.documentElement.classList.contains('contrast')), { timeout: 10_000 });
  await noViolations(browser);
  assert.deepEqual(await enhancedContrastViolations(browser), []);
  await screenshot(browser, 'register-id-error-elder-contrast-zh-CN');
  await click(browser, byTestId('toggle-elder'));
  await click(browser, byTestId('toggle-contrast'));

  await typeInto(browser, '#register-number', right);
  await browser.waitUntil(async () => (await (await browser.$(status)).getAttribute('data-code')) === 'ok', { timeout: 10_000 });
  assert.match(await textOf(browser, status), /号码格式正确（4403\*+1234?.?）：出生日期 1990-01-01，签发地 广东省/);
  await typeInto(browser, '#register-mobile', NEW_MOBILE);
  await click(browser, byTestId('register-send-code'));
  await shown(browser, byTestId('register-code-sent'));
  await typeInto(browser, '#register-code', await smsCode(dataDir, url, NEW_MOBILE, 'register'));
  await noViolations(browser);
  await click(browser, byTestId('register-submit'));

  // A photo file that is not there: refused in plain words.
  await shown(browser, byTestId('register-done'));
  await typeInto(browser, '#register-photo', path.join(dataDir, 'missing.png'));
  await click(browser, byTestId('register-send-photo'));
  await shown(browser, '#register-error');
  assert.equal(await (await browser.$('#register-error')).getAttribute('data-code'), 'face.file');
  await noViolations(browser);
  await screenshot(browser, 'register-face-zh-CN');
  // The camera (GStreamer's test pattern here, chosen with LITIGANT_CAMERA) takes the photo.
  await click(browser, byTestId('register-camera'));
  await shown(browser, byTestId('face-result'));
  assert.equal(await (await browser.$(byTestId('face-result'))).getAttribute('data-verified'), 'true');
  await noViolations(browser);
  await screenshot(browser, 'register-verified-zh-CN');

  // A second account: the demo plaintiff, logged in by SMS and kept.
  await click(browser, byTestId('nav-account'));
  await onScreen(browser, 'account');
  assert.match(await textOf(browser, byTestId('account-name')), /李四/);
  await click(browser, byTestId('account-add'));
  await typeInto(browser, '#account-mobile', DEMO_MOBILE);
  await click(browser, byTestId('account-send-code'));
  await shown(browser, byTestId('account-code-sent'));
  await typeInto(browser, '#account-code', '000000');
  await click(browser, byTestId('account-log-in'));
  await browser.waitUntil(async () => /验证码不正确/.test(await textOf(browser, '#account-error')), { timeout: 20_000 });
  await typeInto(browser, '#account-code', await smsCode(dataDir, url, DEMO_MOBILE, 'login'));
  await click(browser, byTestId('account-log-in'));
  await browser.waitUntil(async () => /王小明/.test(await textOf(browser, byTestId('account-name'))), { timeout: 20_000 });
  await listedAccount(browser, '李四');
  await listedAccount(browser, '王小明');
  await noViolations(browser);
  await screenshot(browser, 'account-switcher-zh-CN');
  await toggleLanguage(browser, 'en');
  await screenshot(browser, 'account-switcher-en');
  await toggleLanguage(browser, 'zh-CN');
  let kept = await keyring.entries();
  assert.equal(kept.length, 2, 'both accounts are in the keychain');
  for (const entry of kept) secrets.add(entry.secret);

  // A new process: the login comes back from the keychain.
  logs.push(appInfo().logs.driver);
  await closeApp();
  browser = await launchApp({ dataDir, label: 'keychain', env: keyring.env });
  url = await connectedCourt(browser);
  await click(browser, byTestId('nav-account'));
  await onScreen(browser, 'account');
  await browser.waitUntil(async () => /王小明/.test(await textOf(browser, byTestId('account-name'))), { timeout: 20_000 });
  for (const entry of await keyring.entries()) secrets.add(entry.secret);

  // Switch to the registered account, from its keychain entry.
  const registeredId = await listedAccount(browser, '李四');
  await click(browser, `[data-account="${registeredId}"] ${byTestId('switch-account')}`);
  await browser.waitUntil(async () => /李四/.test(await textOf(browser, byTestId('account-name'))), { timeout: 20_000 });
  assert.match(await textOf(browser, byTestId('account-verified')), /已核验/);

  // Re-verification: the assurance time, a wrong code, then a right one.
  await click(browser, byTestId('account-reverify'));
  await onScreen(browser, 'reverify');
  await browser.waitUntil(async () => /身份核验有效至 \d\d:\d\d/.test(await textOf(browser, byTestId('assurance'))), { timeout: 20_000 });
  await typeInto(browser, '#reverify-mobile', NEW_MOBILE);
  await click(browser, byTestId('reverify-send-code'));
  await shown(browser, byTestId('reverify-code-sent'));
  await typeInto(browser, '#reverify-code', '000000');
  await click(browser, byTestId('reverify-submit'));
  await browser.waitUntil(async () => /验证码不正确/.test(await textOf(browser, '#reverify-error')), { timeout: 20_000 });
  await typeInto(browser, '#reverify-code', await smsCode(dataDir, url, NEW_MOBILE, 'reverify'));
  await click(browser, byTestId('reverify-submit'));
  await browser.waitUntil(async () => (await browser.$('#reverify-error').isExisting()) === false, { timeout: 20_000 });
  assert.match(await textOf(browser, byTestId('assurance')), /身份核验有效至 \d\d:\d\d/);
  await noViolations(browser);
  await screenshot(browser, 'reverify-zh-CN');
  await toggleLanguage(browser, 'en');
  assert.match(await textOf(browser, byTestId('assurance')), /Verified until \d\d:\d\d/);
  await screenshot(browser, 'reverify-en');
  await toggleLanguage(browser, 'zh-CN');
  for (const entry of await keyring.entries()) secrets.add(entry.secret);

  // Log out: that account's keychain entry is gone, the other's stays.
  await click(browser, byTestId('nav-account'));
  await onScreen(browser, 'account');
  await click(browser, byTestId('account-logout'));
  await shown(browser, byTestId('account-send-code'));
  kept = await keyring.entries();
  assert.deepEqual(kept.map((e) => e.username.includes(registeredId)), [false], 'only the other account is kept');

  // The logged-out account stays listed, but its login is no longer kept: switching says so.
  await click(browser, `[data-account="${registeredId}"] ${byTestId('switch-account')}`);
  await shown(browser, '#switcher-error');
  assert.equal(await (await browser.$('#switcher-error')).getAttribute('data-code'), 'accounts.session_not_kept');
  assert.match(await textOf(browser, '#switcher-error'), /请用短信验证码重新登录/);

  // Remove both: the other's entry and both lines go.
  const demoId = await listedAccount(browser, '王小明');
  await click(browser, `[data-account="${demoId}"] ${byTestId('remove-account')}`);
  await browser.waitUntil(async () => !(await browser.$(`[data-account="${demoId}"]`).isExisting()), { timeout: 20_000 });
  assert.deepEqual(await keyring.entries(), []);
  await click(browser, `[data-account="${registeredId}"] ${byTestId('remove-account')}`);
  await browser.waitUntil(async () => !(await browser.$(byTestId('account-switcher')).isExisting()), { timeout: 20_000 });
  await noViolations(browser);
  logs.push(appInfo().logs.driver);
  await closeApp();

  // Nothing secret on disk or in the log: not the refresh tokens the keychain held, not a full
  // ID number. The demo court's own folder is the court's storage, not the app's.
  const dataFiles = filesUnder(dataDir, ['demo-court']).map((f) => path.join(dataDir, f));
  assert.ok(dataFiles.some((f) => f.endsWith('accounts.json')));
  assert.ok(secrets.size >= 3, `refresh tokens seen: ${secrets.size}`);
  const needles = [...secrets, right, DEMO_ID_NUMBER];
  assert.deepEqual(filesContaining([...dataFiles, ...logs], needles), []);
  // Nor any access token: the platform's tokens are 43 characters of URL-safe base64, and
  // nothing else the app writes to its data folder looks like that.
  const tokenShaped = dataFiles.filter((f) => /(^|[^A-Za-z0-9_-])[A-Za-z0-9_-]{43}([^A-Za-z0-9_-]|$)/.test(readFileSync(f, 'latin1')));
  assert.deepEqual(tokenShaped, []);
});
