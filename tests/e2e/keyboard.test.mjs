// Every litigant flow with the keyboard alone, in the real app on the demo court (WCAG 2.1.1,
// 2.4.3, 2.4.7, 4.1.3): first start, registration with a wrong ID number read from its live
// region, a face photo, log in, switch, re-verify, log out; the scan studio (add, move, turn,
// re-crop by arrow keys, delete, build); a complete new filing with the studio's PDF, a problem
// fixed from the check, its review result and a supplement; evidence opinions; the service
// inbox; settings; and every screen's Tab order. Nothing is clicked: focus moves with Tab and
// Shift+Tab, controls are pressed with Enter, Space and the arrow keys, text goes into whatever
// has focus. After each press that replaces a control, the test checks where focus went, so a
// keyboard user is never dropped at the top of the page.
//
// One app for the whole walk (one keychain, one demo court): the tests run in order and each
// starts where the one before ended, which keeps the file to a few minutes.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { smsCode, idNumbers } from './support/accounts.mjs';
import { REPO_ROOT, closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import { clerk, demoCourtUrl } from './support/demo-court.mjs';
import { MOD, activate, activeControl, chord, describe, expectFocusVisible, tabOrder, tabTo, typeHere } from './support/keyboard.mjs';
import { startKeyring } from './support/keyring.mjs';
import { KEY, accessibilityViolations, byTestId, documentState, onScreen, press, shown, spokenText, textOf } from './support/page.mjs';

const CORPUS = path.resolve(REPO_ROOT, '../shared/corpus');
const CLEAR_SCAN = 'scan_linn_300dpi_2col.png';
const PHONE_PHOTO = 'photo_page_sparse_wood.png';
const LOW_RES = 'photo_letter_signature_shadow.jpg';
const DEMO_MOBILE = '13800138000';
const NEW_MOBILE = '13700137000';
const KEY_LEFT = '\uE012';
const KEY_RIGHT = '\uE014';
const KEY_ESCAPE = '\uE00C';

let keyring;
let browser;
let dataDir;
let url;
let bundle;
const dirs = [];

before(async () => {
  keyring = await startKeyring();
  dataDir = await makeTempDir('litigant-e2e-keyboard-');
  dirs.push(dataDir);
  // The face photo comes from GStreamer's test pattern.
  browser = await launchApp({ dataDir, label: 'keyboard', env: { ...keyring.env, LITIGANT_CAMERA: 'test' } });
});
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  keyring?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** What `focused` names: the test id, else the id. */
async function focusIs(expected, what) {
  const control = await activeControl(browser);
  const got = control.testid ?? control.id ?? control.tag;
  if (expected instanceof RegExp) assert.match(got, expected, what);
  else assert.equal(got, expected, what);
}

/** Back up into the navigation with Shift+Tab and open `screen`; focus lands on its heading. */
async function goTo(screen) {
  await activate(browser, `nav-${screen}`, { back: true });
  await onScreen(browser, screen);
  const control = await activeControl(browser);
  assert.equal(control.tag, 'h1', `opening ${screen} puts focus on its heading, not on ${control.testid ?? control.tag}`);
}

async function noViolations(what) {
  assert.deepEqual(await accessibilityViolations(browser), [], what);
}

const waitFor = (fn, timeoutMsg, timeout = 20_000) => browser.waitUntil(fn, { timeout, timeoutMsg });

test('first start: personal use and the demo court', { timeout: 90_000 }, async () => {
  await onScreen(browser, 'welcome');
  await tabTo(browser, (c) => c.type === 'radio');
  await press(browser, KEY.Space);
  assert.equal((await activeControl(browser)).value, 'personal');
  await expectFocusVisible(browser);
  await screenshot(browser, 'keyboard-welcome-radio-zh-CN');
  await activate(browser, 'welcome-next');
  await waitFor(async () => /第 2 步/.test(await textOf(browser, byTestId('welcome-step'))), 'step 2 did not come');
  await focusIs('welcome-heading', 'the next step starts at the heading');
  await activate(browser, 'platform-save');
  await onScreen(browser, 'home');
  await focusIs('home-heading');
  url = await demoCourtUrl(browser);
});

test('accounts: register (a wrong ID number first), log in, switch, re-verify, log out', { timeout: 180_000 }, async () => {
  const { right, wrong } = idNumbers('44030619900101123');
  await goTo('account');
  await activate(browser, 'account-register');
  await onScreen(browser, 'register');
  await tabTo(browser, 'register-name');
  await typeHere(browser, '李四');
  await tabTo(browser, 'register-number');
  await typeHere(browser, wrong);
  // The check is read out from the field's live region, and the field says it is wrong.
  const status = byTestId('register-number-status');
  await waitFor(async () => (await (await browser.$(status)).getAttribute('data-code')) === 'id_number.check_character_mismatch', 'no check-digit error');
  assert.equal(await (await browser.$(status)).getAttribute('aria-live'), 'polite');
  assert.match(await spokenText(browser, status), /第 18 位校验码/);
  await focusIs('register-number', 'typing keeps focus in the field');
  await expectFocusVisible(browser);
  await screenshot(browser, 'keyboard-register-wrong-id-zh-CN');
  await typeHere(browser, right);
  await waitFor(async () => (await (await browser.$(status)).getAttribute('data-code')) === 'ok', 'the right number is not accepted');
  await tabTo(browser, 'register-mobile');
  await typeHere(browser, NEW_MOBILE);
  await activate(browser, 'register-send-code');
  await shown(browser, byTestId('register-code-sent'));
  await tabTo(browser, 'register-code');
  await typeHere(browser, await smsCode(dataDir, url, NEW_MOBILE, 'register'));
  await activate(browser, 'register-submit');
  await shown(browser, byTestId('register-done'));
  await focusIs('register-done', 'after registering, focus is on what happened');
  await noViolations('registered');
  await activate(browser, 'register-camera');
  await shown(browser, byTestId('face-result'), 'the face check verdict');
  await focusIs('face-result', 'after the photo, focus is on the verdict');

  // A second account: the demo court's party, kept in the keychain too.
  await goTo('account');
  await activate(browser, 'account-add');
  await focusIs('account-mobile', 'adding an account starts at its first field');
  await typeHere(browser, DEMO_MOBILE);
  await activate(browser, 'account-send-code');
  await shown(browser, byTestId('account-code-sent'));
  await tabTo(browser, 'account-code');
  await typeHere(browser, await smsCode(dataDir, url, DEMO_MOBILE, 'login'));
  await press(browser, KEY.Enter);
  await waitFor(async () => /王小明/.test(await textOf(browser, byTestId('account-name'))), 'not signed in as 王小明');
  await focusIs('account-signed-in', 'after logging in, focus is on who is signed in');
  await noViolations('account, two accounts');

  // Switch to 李四 and back: focus follows to who is signed in now.
  await activate(browser, /切换到 李四/, { back: true });
  await waitFor(async () => /李四/.test(await textOf(browser, byTestId('account-name'))), 'not switched to 李四');
  await focusIs('account-signed-in', 'after a switch, focus is on who is signed in');
  await activate(browser, /切换到 王小明/, { back: true });
  await waitFor(async () => /王小明/.test(await textOf(browser, byTestId('account-name'))), 'not switched back');
  await screenshot(browser, 'keyboard-account-switched-zh-CN');

  // Re-verify the demo party (needed for the evidence exchange below).
  await activate(browser, 'account-reverify');
  await onScreen(browser, 'reverify');
  await tabTo(browser, 'reverify-mobile');
  await typeHere(browser, DEMO_MOBILE);
  await activate(browser, 'reverify-send-code');
  await shown(browser, byTestId('reverify-code-sent'));
  await tabTo(browser, 'reverify-code');
  await typeHere(browser, await smsCode(dataDir, url, DEMO_MOBILE, 'reverify'));
  await press(browser, KEY.Enter);
  await waitFor(async () => (await (await browser.$(byTestId('assurance'))).getAttribute('data-needed')) === 'false', 're-verification did not count');
  await focusIs('assurance', 'after re-verifying, focus is on the result');
  await noViolations('re-verified');

  // Log 李四 out, then come back to the demo party from the list.
  await goTo('account');
  await activate(browser, /切换到 李四/);
  await waitFor(async () => /李四/.test(await textOf(browser, byTestId('account-name'))), 'not switched to 李四');
  await activate(browser, 'account-logout');
  await shown(browser, byTestId('account-send-code'));
  await focusIs('account-mobile', 'after logging out, focus is on the login form');
  await activate(browser, /切换到 王小明/, { back: true });
  await waitFor(async () => /王小明/.test(await textOf(browser, byTestId('account-name'))), 'not back to 王小明');
});

const cards = () => browser.execute(() => [...document.querySelectorAll('[data-testid="studio-page"]')].map((c) => c.dataset.file));

test('scan studio: add, move, turn, re-crop with arrow keys, delete, build', { timeout: 240_000 }, async () => {
  await goTo('studio');
  await tabTo(browser, 'studio-paths');
  // One path a line: Enter between lines goes to the focused text area itself.
  const field = await browser.$(await browser.getActiveElement());
  await field.setValue(path.join(CORPUS, CLEAR_SCAN));
  for (const file of [PHONE_PHOTO, LOW_RES]) {
    await field.addValue(KEY.Enter);
    await field.addValue(path.join(CORPUS, file));
  }
  await activate(browser, 'studio-add');
  await waitFor(async () => (await cards()).length === 3, 'three pages did not arrive', 120_000);
  await focusIs('studio-add', 'focus stays on Add while and after pages are added');

  // Move the first page down with Alt+Down: announced, focus stays on the moved page.
  await tabTo(browser, 'studio-page');
  await expectFocusVisible(browser);
  await chord(browser, MOD.Alt, KEY.ArrowDown);
  await waitFor(async () => (await cards())[1] === CLEAR_SCAN, 'the page did not move');
  assert.match(await spokenText(browser, byTestId('announcer')), /第 2 页/);
  await focusIs('studio-page');

  // Turn it right, then re-crop it with the keyboard.
  await activate(browser, 'studio-right');
  await waitFor(async () => /向右转/.test(await spokenText(browser, byTestId('announcer'))), 'the turn was not announced');
  await focusIs('studio-right', 'focus stays on the turn button');
  await activate(browser, 'studio-crop');
  await shown(browser, byTestId('studio-crop-editor'));
  await focusIs('crop-heading', 'the crop editor starts at its heading');
  await tabTo(browser, 'studio-corner-0');
  await expectFocusVisible(browser);
  const before = (await activeControl(browser)).name;
  await press(browser, KEY_RIGHT, KEY_RIGHT);
  await chord(browser, MOD.Shift, KEY.ArrowDown);
  const moved = await activeControl(browser);
  assert.notEqual(moved.name, before, 'the arrow keys moved the corner');
  assert.match(await spokenText(browser, byTestId('crop-announcer')), /左上角已移到/);
  // Pushed against the picture's edge, the key that no longer moves it is explained.
  for (let i = 0; i < 6; i++) await chord(browser, MOD.Shift, KEY_LEFT);
  await press(browser, KEY_LEFT);
  assert.match(await spokenText(browser, byTestId('crop-announcer')), /左上角已到图片边缘/);
  await screenshot(browser, 'keyboard-studio-corner-zh-CN');
  await noViolations('crop editor');
  await activate(browser, 'studio-crop-apply');
  await waitFor(async () => /重新裁剪/.test(await spokenText(browser, byTestId('announcer'))), 'the crop was not announced');
  await focusIs('studio-page', 'after the crop, focus is back on the page');
  // Esc leaves the editor without a change, back on the same page.
  const cropped = (await activeControl(browser)).key;
  await activate(browser, 'studio-crop');
  await shown(browser, byTestId('studio-crop-editor'));
  await tabTo(browser, 'studio-corner-1');
  await press(browser, KEY.ArrowDown);
  await press(browser, KEY_ESCAPE);
  await waitFor(async () => !(await browser.$(byTestId('studio-crop-editor')).isExisting()), 'Esc did not leave the editor');
  assert.equal((await activeControl(browser)).key, cropped, 'after Esc, focus is back on the same page');

  // Delete the low-resolution page after saying yes.
  await tabTo(browser, (c) => c.testid === 'studio-page' && c.name.includes('3'));
  await activate(browser, 'studio-delete');
  await focusIs('studio-delete-no', 'the question starts on the safe answer');
  await activate(browser, 'studio-delete-yes', { back: true });
  await waitFor(async () => (await cards()).length === 2, 'the page was not deleted');
  await focusIs('studio-page', 'after deleting, focus is on a remaining page');

  bundle = path.join(dataDir, '证据材料.pdf');
  await tabTo(browser, 'studio-target');
  await typeHere(browser, bundle);
  await activate(browser, 'studio-build');
  await shown(browser, byTestId('studio-built'));
  await waitFor(async () => (await textOf(browser, byTestId('studio-built-pages'))) === '2', 'the PDF is not two pages', 120_000);
  await focusIs('studio-built-heading', 'after building, focus is on the result');
  await noViolations('studio built');
});

test('new filing: complaint, materials, evidence list, check, submit, review result, supplement', { timeout: 180_000 }, async () => {
  await goTo('filings');
  await activate(browser, 'filing-new');
  await onScreen(browser, 'new-filing');
  const title = `买卖合同纠纷 ${Date.now()}`;
  for (const [field, text] of [['filing-party-0-name', '王小明'], ['filing-party-1-name', '某某商贸有限公司']]) {
    await tabTo(browser, field);
    await typeHere(browser, text);
  }
  await activate(browser, 'filing-next');
  await shown(browser, byTestId('filing-step-claims'));
  await focusIs('filing-step-heading');
  await tabTo(browser, 'filing-title');
  await typeHere(browser, title);
  // The claim is left empty on purpose: the check finds it, and its Fix button leads back.
  await activate(browser, 'filing-next');
  await shown(browser, byTestId('filing-step-facts'));
  await tabTo(browser, 'filing-facts');
  await typeHere(browser, '原告向被告供货，被告至今未付货款 10000 元。');
  await activate(browser, 'filing-next');
  await shown(browser, byTestId('filing-step-materials'));
  await activate(browser, 'filing-material-add');
  await focusIs('filing-material-0', 'a new material starts at its path');
  await typeHere(browser, bundle);
  await noViolations('filing materials');
  await activate(browser, 'filing-next');
  await shown(browser, byTestId('filing-step-evidence'));
  await activate(browser, 'filing-evidence-add');
  await focusIs('filing-evidence-0-name', 'a new evidence item starts at its name');
  await typeHere(browser, '买卖合同');
  await tabTo(browser, 'filing-evidence-0-purpose');
  await typeHere(browser, '证明双方的买卖关系');
  await activate(browser, 'filing-next');
  await shown(browser, byTestId('filing-step-check'));
  await activate(browser, 'filing-check');
  await shown(browser, byTestId('filing-problems'));
  await focusIs('filing-check-result', 'the check result takes focus');
  await activate(browser, (c) => c.name === '去修改');
  await shown(browser, byTestId('filing-step-claims'));
  await focusIs('filing-claim-0', 'Fix goes to the field');
  await typeHere(browser, '判令被告支付货款 10000 元');
  for (const following of ['facts', 'materials', 'evidence', 'check']) {
    await activate(browser, 'filing-next');
    await shown(browser, byTestId(`filing-step-${following}`));
  }
  await activate(browser, 'filing-check');
  await waitFor(async () => (await (await browser.$(byTestId('filing-check-result'))).getAttribute('data-acceptable')) === 'true', 'the check found problems');
  await focusIs('filing-check-result');
  await activate(browser, 'filing-submit');
  await shown(browser, byTestId('filing-filed'));
  await focusIs('filing-filed', 'after submitting, focus is on the result');
  await noViolations('filed');
  const filingId = await (await browser.$(byTestId('filing-filed'))).getAttribute('data-filing');

  // The clerk asks for corrections; the review result is read from the list.
  await clerk(dataDir, url, 'POST', `/clerk/filings/${filingId}/review`, {
    decision: 'request_corrections',
    deficiencies: [{ description: '请补充被告的统一社会信用代码。', documentId: null }],
    dueAt: new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString(),
  });
  await activate(browser, 'filing-to-list');
  await onScreen(browser, 'filings');
  await shown(browser, byTestId(`filing-open-${filingId}`));
  await activate(browser, `filing-open-${filingId}`);
  await shown(browser, '[data-testid="filing-detail"][data-status="correction_requested"]');
  await focusIs('filing-detail-heading');
  assert.match(await textOf(browser, byTestId('filing-deficiencies')), /统一社会信用代码/);
  await screenshot(browser, 'keyboard-filing-review-zh-CN');

  // The correction is supplemented from the same card.
  await tabTo(browser, 'supplement-note');
  await typeHere(browser, '补充被告的统一社会信用代码');
  await activate(browser, 'supplement-material-add');
  await focusIs('supplement-material-0', 'a new material starts at its path');
  await typeHere(browser, bundle);
  await activate(browser, 'supplement-send');
  await shown(browser, byTestId('filing-supplements'));
  assert.match(await textOf(browser, byTestId('filing-supplements')), /统一社会信用代码/);
  await focusIs('filing-detail-heading', 'after sending, focus is on the filing');
  await noViolations('supplemented');
});

test('evidence opinions, the service inbox, settings', { timeout: 180_000 }, async () => {
  await goTo('cases');
  await shown(browser, byTestId('evidence-case_demo_loan'));
  // What shows first is the dashboard kept from the last visit; the screen's own refresh then
  // brings the deadline the filing test made and re-renders the list while the walk goes
  // through it. The screen gives focus back to the control it was on, so the walk goes on.
  await activate(browser, 'evidence-case_demo_loan');
  await onScreen(browser, 'evidence');
  await shown(browser, byTestId('evidence-evi_demo_transfer'));
  // Radio groups: Tab into each, arrows choose. Authenticity and legality admitted, relevance disputed.
  for (const aspect of ['authenticity', 'legality']) {
    await tabTo(browser, `evi_demo_transfer-${aspect}-admit`);
    await press(browser, KEY.Space);
  }
  await tabTo(browser, 'evi_demo_transfer-relevance-admit');
  await press(browser, KEY.ArrowDown);
  await focusIs('evi_demo_transfer-relevance-dispute');
  await tabTo(browser, 'evi_demo_transfer-relevance-reason');
  await typeHere(browser, '这笔转账与本案借款无关');
  await activate(browser, 'evi_demo_transfer-save');
  await shown(browser, byTestId('evi_demo_transfer-draft'));
  await activate(browser, 'evidence-submit');
  await shown(browser, byTestId('evi_demo_transfer-submitted'));
  await focusIs('evidence-submitted-count', 'after submitting, focus is on the result');
  await noViolations('evidence submitted');

  // The inbox: open (read receipt), confirm, sign.
  const served = (rest) => `${byTestId('served-srv_demo_notice')} ${byTestId(rest)}`;
  await goTo('inbox');
  await activate(browser, 'served-open');
  await waitFor(async () => /阅读时间/.test(await textOf(browser, served('served-opened'))), 'no read receipt');
  await focusIs('served-confirm', 'after opening, focus is on confirming receipt');
  await press(browser, KEY.Enter);
  await waitFor(async () => /确认收到时间/.test(await textOf(browser, served('served-confirmed'))), 'receipt not confirmed');
  await focusIs('served-certificate', 'after confirming, focus is on the next action');
  await activate(browser, 'served-sign');
  await waitFor(async () => /法院已核验签名/.test(await textOf(browser, served('served-signed'))), 'not signed');
  await focusIs('served-sign');
  await noViolations('inbox');

  // Settings: English by arrow key, elder mode by Space.
  await goTo('settings');
  await tabTo(browser, (c) => c.type === 'radio' && c.value === 'zh-CN');
  await press(browser, KEY.ArrowDown);
  await waitFor(async () => (await documentState(browser)).lang === 'en', 'the language did not change');
  await tabTo(browser, 'settings-elder');
  await press(browser, KEY.Space);
  await waitFor(async () => (await documentState(browser)).elder, 'elder mode did not come on');
  await expectFocusVisible(browser);
  await screenshot(browser, 'keyboard-settings-elder-en');
  await noViolations('settings, elder, en');
});

test('on every screen, each control Tab reaches draws its focus and has a name', { timeout: 120_000 }, async (t) => {
  const problems = [];
  for (const screen of ['home', 'account', 'cases', 'filings', 'inbox', 'hearing', 'studio', 'settings', 'about']) {
    await goTo(screen);
    const order = await tabOrder(browser);
    t.diagnostic(`${screen}: ${order.length} controls in the Tab order`);
    // The header and navigation come round again after the screen: the walk saw them all.
    assert.ok(order.some((c) => c.testid === `nav-${screen}`), `${screen}: Tab never came back to the navigation`);
    for (const control of order) {
      if (!control.focusVisible) problems.push(`${screen}: ${describe(control)} draws no focus (${control.outline})`);
      if (!control.name) problems.push(`${screen}: ${describe(control)} has no name`);
    }
  }
  assert.deepEqual(problems, []);
});
