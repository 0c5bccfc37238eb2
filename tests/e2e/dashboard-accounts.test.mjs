// The cases dashboard of every kept account, with a REAL Secret Service (gnome-keyring on a
// private D-Bus): the demo plaintiff and defendant both kept, the Cases screen lists both
// accounts' cases and one deadline list across them, with the identity verification the
// defendant's summons asked for first. Acting on the other account's deadline switches to it.
// Then the defendant's sessions are ended on the platform (as a logout on another computer
// would): its row says plainly that its login ended, and the plaintiff's cases still show.
// Keyboard only (Tab and Enter; text set on the focused field); axe on every state; Chinese
// and English, and large text.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import { smsCode } from './support/accounts.mjs';
import { demoCourtUrl } from './support/demo-court.mjs';
import { startKeyring } from './support/keyring.mjs';
import { KEY, accessibilityViolations, byTestId, documentState, focused, onScreen, press, shown, tabTo, textOf } from './support/page.mjs';

const dirs = [];
let keyring;
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  keyring?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const PLAINTIFF = { mobile: '13800138000', id: 'acc_demo_plaintiff', name: '王小明' };
const DEFENDANT = { mobile: '13900139000', id: 'acc_demo_defendant', name: '李华' };

async function activate(browser, target) {
  await tabTo(browser, target, 80);
  await press(browser, KEY.Enter);
}

/** Types into the field that has focus (WebDriver's global keys drop characters). */
async function typeFocused(browser, id, value) {
  await tabTo(browser, id, 40);
  assert.equal(await focused(browser), id);
  const input = await browser.$(`#${id}`);
  await input.clearValue();
  await input.setValue(value);
}

/** Logs `who` in by SMS code and keeps the session (the keychain works here). */
async function logIn(browser, dataDir, url, who, another) {
  await activate(browser, 'nav-account');
  await onScreen(browser, 'account');
  if (another) await activate(browser, 'account-add');
  await typeFocused(browser, 'account-mobile', who.mobile);
  await activate(browser, 'account-send-code');
  await shown(browser, byTestId('account-code-sent'));
  await typeFocused(browser, 'account-code', await smsCode(dataDir, url, who.mobile, 'login'));
  await activate(browser, 'account-log-in');
  await browser.waitUntil(async () => (await textOf(browser, byTestId('account-name'))).includes(who.name), {
    timeout: 20_000,
    timeoutMsg: `${who.name} was not signed in`,
  });
}

/** The deadlines on screen, in order. */
function deadlines(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="deadlines"] li')].map((li) => ({
      kind: li.dataset.kind,
      account: li.dataset.account,
      subject: li.dataset.subject,
      overdue: li.dataset.overdue === 'true',
      stale: li.dataset.stale === 'true',
    })),
  );
}

/** The accounts on the dashboard, with the code of their problem ('' when none). */
function accountRows(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="dashboard-accounts"] li')].map((li) => ({
      account: li.dataset.account,
      problem: li.dataset.problem,
    })),
  );
}

function caseOwners(browser) {
  return browser.execute(() => [...document.querySelectorAll('[data-testid="dashboard-cases"] li')].map((li) => li.dataset.account));
}

/** The accounts whose cases on screen are marked as last known. */
function staleCaseOwners(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="dashboard-cases"] li[data-stale="true"]')].map((li) => li.dataset.account),
  );
}

async function noViolations(browser) {
  assert.deepEqual(await accessibilityViolations(browser), []);
}

async function toggleLanguage(browser, lang) {
  await activate(browser, 'toggle-language');
  await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === lang, { timeout: 10_000 });
}

/** Ends every session of `who` on the platform, as logging out on another computer does. */
async function endSessionsElsewhere(dataDir, url, who) {
  const post = (route, body, token) =>
    fetch(`${url}/api/v1${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  assert.equal((await post('/identity/sms-codes', { mobile: who.mobile, purpose: 'login' })).status, 202);
  const login = await post('/auth/login', { mobile: who.mobile, smsCode: await smsCode(dataDir, url, who.mobile, 'login') });
  assert.equal(login.status, 200);
  const { accessToken } = await login.json();
  assert.equal((await post('/auth/logout', null, accessToken)).status, 204);
}

test('every kept account on one dashboard; one whose login ended says so and hides nothing', { timeout: 480_000 }, async () => {
  keyring = await startKeyring();
  const dataDir = await makeTempDir('litigant-e2e-dashboard-');
  dirs.push(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'lawyer' }));
  const browser = await launchApp({ dataDir, label: 'dashboard-accounts', env: keyring.env });
  await onScreen(browser, 'home');
  const url = await demoCourtUrl(browser);

  await logIn(browser, dataDir, url, PLAINTIFF, false);
  await logIn(browser, dataDir, url, DEFENDANT, true);
  assert.equal((await keyring.entries()).length, 2, 'both accounts are kept');

  // Both accounts' cases, one deadline list: the defendant's identity verification (due two
  // days after the summons' third day began) is the most urgent.
  await activate(browser, 'nav-cases');
  await onScreen(browser, 'cases');
  await browser.waitUntil(async () => (await accountRows(browser)).length === 2, {
    timeout: 30_000,
    timeoutMsg: 'the two kept accounts are not listed',
  });
  assert.deepEqual(await accountRows(browser), [
    { account: DEFENDANT.id, problem: '' },
    { account: PLAINTIFF.id, problem: '' },
  ]);
  assert.deepEqual(await caseOwners(browser), [DEFENDANT.id, PLAINTIFF.id]);
  const list = await deadlines(browser);
  assert.deepEqual(list[0].kind, 'identity_verification');
  assert.equal(list[0].account, DEFENDANT.id);
  assert.deepEqual(
    list.map((d) => `${d.account}:${d.subject}`).slice(1),
    [
      `${DEFENDANT.id}:hrg_demo`,
      `${PLAINTIFF.id}:hrg_demo`,
      `${PLAINTIFF.id}:fil_demo_sales`,
      `${DEFENDANT.id}:exw_demo`,
      `${PLAINTIFF.id}:exw_demo`,
    ],
  );
  // Reading the other account again uses the session restored for the first reading: its
  // refresh token, renewed once by that restore, is not renewed (and written) on every refresh.
  const keptBefore = await keyring.entries();
  for (let i = 0; i < 3; i++) {
    await activate(browser, 'cases-refresh');
    await browser.waitUntil(async () => (await (await browser.$(byTestId('cases-refresh'))).getAttribute('aria-busy')) !== 'true', {
      timeout: 30_000,
      timeoutMsg: 'the refresh did not finish',
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.deepEqual(await keyring.entries(), keptBefore, 'no refresh token renewed by refreshing the dashboard');
  assert.deepEqual(await accountRows(browser), [
    { account: DEFENDANT.id, problem: '' },
    { account: PLAINTIFF.id, problem: '' },
  ]);
  const zh = await textOf(browser, byTestId('deadlines'));
  assert.match(zh, /身份核验（收到通知后 3 日内完成）/);
  assert.match(zh, /李华（4403\*+0035）/);
  assert.match(zh, /王小明（1101\*+002X）/);
  assert.doesNotMatch(await textOf(browser, '[aria-labelledby="cases-heading"]'), /11010519491231002X|440304198506120035/);
  await noViolations(browser);
  await screenshot(browser, 'dashboard-accounts-zh-CN');
  await toggleLanguage(browser, 'en');
  assert.match(await textOf(browser, byTestId('deadlines')), /Identity verification \(within 3 days of the notice\)/);
  assert.match(await textOf(browser, byTestId('dashboard-accounts')), /signed in/);
  await noViolations(browser);
  await screenshot(browser, 'dashboard-accounts-en');
  await toggleLanguage(browser, 'zh-CN');

  // The identity verification leads to the re-verification screen.
  await activate(browser, `deadline-verify-${list[0].subject}`);
  await onScreen(browser, 'reverify');

  // The plaintiff's corrections: acting on them switches to the plaintiff first.
  await activate(browser, 'nav-cases');
  await onScreen(browser, 'cases');
  await shown(browser, byTestId('deadline-filing-fil_demo_sales'));
  await activate(browser, 'deadline-filing-fil_demo_sales');
  await onScreen(browser, 'filings');
  await activate(browser, 'nav-account');
  await onScreen(browser, 'account');
  assert.match(await textOf(browser, byTestId('account-name')), /王小明/);

  // The defendant's sessions end on the platform: its row says so; the plaintiff's stay.
  await endSessionsElsewhere(dataDir, url, DEFENDANT);
  await activate(browser, 'nav-cases');
  await onScreen(browser, 'cases');
  await activate(browser, 'cases-refresh');
  await browser.waitUntil(
    async () => (await accountRows(browser)).some((row) => row.account === DEFENDANT.id && row.problem !== ''),
    { timeout: 30_000, timeoutMsg: 'the ended session is not reported' },
  );
  assert.deepEqual(await accountRows(browser), [
    { account: PLAINTIFF.id, problem: '' },
    { account: DEFENDANT.id, problem: 'platform.token_invalid' },
  ]);
  assert.match(await textOf(browser, byTestId(`account-problem-${DEFENDANT.id}`)), /该账户的登录已失效.*请用短信验证码重新登录/);
  // The defendant's cases and deadlines stay as last known, marked so; none vanishes.
  assert.deepEqual(await caseOwners(browser), [PLAINTIFF.id, DEFENDANT.id]);
  assert.deepEqual(await staleCaseOwners(browser), [DEFENDANT.id]);
  const left = await deadlines(browser);
  const mine = left.filter((d) => d.account === PLAINTIFF.id);
  assert.deepEqual(mine.map((d) => d.subject), ['hrg_demo', 'fil_demo_sales', 'exw_demo']);
  assert.ok(mine.every((d) => !d.stale));
  const kept = left.filter((d) => d.account === DEFENDANT.id);
  assert.deepEqual(kept.filter((d) => d.kind !== 'identity_verification').map((d) => d.subject), ['hrg_demo', 'exw_demo']);
  assert.ok(kept.every((d) => d.stale));
  assert.match(await textOf(browser, `[data-account="${DEFENDANT.id}"][data-subject="exw_demo"]`), /上次所知/);
  await noViolations(browser);
  await (await browser.$(byTestId('dashboard-accounts'))).scrollIntoView();
  await screenshot(browser, 'dashboard-account-ended-zh-CN');
  await toggleLanguage(browser, 'en');
  assert.match(await textOf(browser, byTestId(`account-problem-${DEFENDANT.id}`)), /This account's login has ended/);
  await noViolations(browser);
  await screenshot(browser, 'dashboard-account-ended-en');

  // Large text: the problem and its button are as usable as the rest.
  await activate(browser, 'toggle-elder');
  await browser.waitUntil(async () => (await documentState(browser)).elder, { timeout: 10_000 });
  const state = await documentState(browser);
  assert.ok(state.fontSizePx >= 18, `elder text is ${state.fontSizePx}px`);
  assert.ok(state.smallestTargetPx >= 60, `the smallest target is ${state.smallestTargetPx}px`);
  await noViolations(browser);
  await (await browser.$(byTestId(`account-sign-in-${DEFENDANT.id}`))).scrollIntoView();
  await screenshot(browser, 'dashboard-account-ended-elder-en');

  // Signing in again starts at the account screen.
  await activate(browser, `account-sign-in-${DEFENDANT.id}`);
  await onScreen(browser, 'account');
});
