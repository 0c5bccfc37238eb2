// Every screen in both languages and every display mode: rendered, accessible (axe-core, WCAG
// 2.2 AA), screenshotted; elder and high-contrast modes meet their promised sizes and contrast.
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import {
  accessibilityViolations,
  byTestId,
  click,
  documentState,
  enhancedContrastViolations,
  onScreen,
  spokenText,
  textOf,
} from './support/page.mjs';

const SCREENS = ['home', 'settings', 'about'];
let dataDir;

afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A data folder whose first start is already done, so the specs begin at home. */
async function startedDataDir(extra = {}) {
  const dir = await makeTempDir('litigant-e2e-screens-');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ useMode: 'personal', ...extra }));
  return dir;
}

async function visitEveryScreen(browser, suffix) {
  for (const screen of SCREENS) {
    await click(browser, byTestId(`nav-${screen}`));
    await onScreen(browser, screen);
    assert.deepEqual(await accessibilityViolations(browser), [], `${screen} (${suffix})`);
    await screenshot(browser, `${screen}-${suffix}`);
  }
}

test('every screen in Chinese and English, then elder and high-contrast modes', { timeout: 300_000 }, async () => {
  dataDir = await startedDataDir();
  const browser = await launchApp({ dataDir, label: 'screens' });
  await onScreen(browser, 'home');
  // Screenshots show the demo court as it settles, not as it starts.
  await browser.waitUntil(
    async () => (await (await browser.$(byTestId('court-badge'))).getAttribute('data-connected')) === 'true',
    { timeout: 20_000, timeoutMsg: 'the demo court did not connect' },
  );

  await visitEveryScreen(browser, 'zh-CN');
  assert.match(await textOf(browser, 'main h1'), /关于/);

  await click(browser, byTestId('toggle-language'));
  await browser.waitUntil(async () => (await documentState(browser)).lang === 'en', { timeout: 10_000 });
  assert.equal((await documentState(browser)).title, 'Litigant');
  await visitEveryScreen(browser, 'en');
  assert.match(await textOf(browser, 'main h1'), /About/);
  assert.match(await textOf(browser, byTestId('about-version')), /^\d+\.\d+\.\d+/);

  // Elder mode: text of at least 18 px with a line height of at least 1.3, targets of 60 px.
  await click(browser, byTestId('toggle-elder'));
  await browser.waitUntil(async () => (await documentState(browser)).elder, { timeout: 10_000 });
  for (const screen of SCREENS) {
    await click(browser, byTestId(`nav-${screen}`));
    await onScreen(browser, screen);
    const state = await documentState(browser);
    assert.ok(state.fontSizePx >= 18, `${screen}: body text ${state.fontSizePx}px`);
    assert.ok(state.lineHeightRatio >= 1.3, `${screen}: line height ${state.lineHeightRatio}`);
    assert.ok(state.smallestTargetPx >= 60, `${screen}: smallest target ${state.smallestTargetPx}px`);
    assert.deepEqual(await accessibilityViolations(browser), [], `${screen} (elder)`);
    await screenshot(browser, `${screen}-elder-en`);
  }

  // High contrast: everything at 7:1 or more.
  await click(browser, byTestId('toggle-contrast'));
  await browser.waitUntil(async () => (await documentState(browser)).contrast, { timeout: 10_000 });
  for (const screen of SCREENS) {
    await click(browser, byTestId(`nav-${screen}`));
    await onScreen(browser, screen);
    assert.deepEqual(await accessibilityViolations(browser), [], `${screen} (contrast)`);
    assert.deepEqual(await enhancedContrastViolations(browser), [], `${screen} (contrast 7:1)`);
    await screenshot(browser, `${screen}-elder-contrast-en`);
  }

  const saved = JSON.parse(await readFile(path.join(dataDir, 'settings.json'), 'utf8'));
  assert.equal(saved.language, 'en');
  assert.equal(saved.elderMode, true);
  assert.equal(saved.highContrast, true);

  // The choices are still there after a restart.
  await closeApp();
  const again = await launchApp({ dataDir, label: 'screens-restart' });
  await onScreen(again, 'home');
  const state = await documentState(again);
  assert.deepEqual([state.lang, state.elder, state.contrast], ['en', true, true]);
});

test('a damaged settings file is kept and the person is told where', { timeout: 120_000 }, async () => {
  await closeApp();
  const dir = await makeTempDir('litigant-e2e-damaged-');
  try {
    await writeFile(path.join(dir, 'settings.json'), '{"language": "en", "elderMo');
    const browser = await launchApp({ dataDir: dir, label: 'damaged' });
    await onScreen(browser, 'welcome');
    const notice = await textOf(browser, byTestId('kept-damaged-settings'));
    assert.match(notice, /设置文件已损坏/);
    const kept = notice.match(/(\/\S+settings\.json\.damaged-\d+)/)?.[1];
    assert.ok(kept, `the notice names the kept file: ${notice}`);
    assert.equal(await readFile(kept, 'utf8'), '{"language": "en", "elderMo');
    assert.deepEqual(await accessibilityViolations(browser), []);
    await screenshot(browser, 'welcome-damaged-settings-zh-CN');
  } finally {
    await closeApp();
    await rm(dir, { recursive: true, force: true });
  }
});

test('an insecure platform address is refused in English on the settings screen', { timeout: 120_000 }, async () => {
  await closeApp();
  const dir = await startedDataDir({ language: 'en' });
  try {
    const browser = await launchApp({ dataDir: dir, label: 'platform' });
    await onScreen(browser, 'home');
    await click(browser, byTestId('nav-settings'));
    await onScreen(browser, 'settings');
    await click(browser, 'input[name="platform"][value="remote"]');
    await (await browser.$('#platform-url')).setValue('ftp://court.example.cn');
    await click(browser, byTestId('platform-save'));
    assert.match(await textOf(browser, '#platform-error'), /is not a web address/);
    await (await browser.$('#platform-url')).setValue('court.example.cn');
    await click(browser, byTestId('platform-save'));
    await browser.waitUntil(
      async () => /court\.example\.cn/.test(await textOf(browser, byTestId('court-badge'))),
      { timeout: 10_000 },
    );
    await browser.waitUntil(
      async () => /court platform was saved/.test(await spokenText(browser, byTestId('announcer'))),
      { timeout: 10_000, timeoutMsg: 'the save was not announced to screen readers' },
    );
    await screenshot(browser, 'settings-remote-platform-en');
    const saved = JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'));
    assert.deepEqual(saved.platform, { kind: 'remote', url: 'https://court.example.cn' });
  } finally {
    await closeApp();
    await rm(dir, { recursive: true, force: true });
  }
});
