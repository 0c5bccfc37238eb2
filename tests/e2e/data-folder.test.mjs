// The data folder on the settings screen: shown, movable through the native folder picker
// unless LITIGANT_DATA_DIR fixes it. (The move itself is tested on the crate and on the mock
// runtime; GTK's chooser cannot be steered to a folder reliably from outside under Xvfb, so
// here the picker is opened for real and cancelled.)
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import {
  appInfo,
  closeApp,
  launchApp,
  makeTempDir,
  screenshot,
  screenshotOnFailure,
} from './support/app.mjs';
import {
  accessibilityViolations,
  byTestId,
  click,
  nativeKey,
  nativeWindows,
  onScreen,
  textOf,
} from './support/page.mjs';

const dirs = [];
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function toSettings(browser) {
  await onScreen(browser, 'home');
  await click(browser, byTestId('nav-settings'));
  await onScreen(browser, 'settings');
}

test('a data folder fixed by LITIGANT_DATA_DIR is shown and cannot be moved', { timeout: 120_000 }, async () => {
  const dataDir = await makeTempDir('litigant-e2e-fixed-');
  dirs.push(dataDir);
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'lawyer' }));
  const browser = await launchApp({ dataDir, label: 'data-folder-fixed' });
  await toSettings(browser);
  assert.equal(await textOf(browser, byTestId('data-folder')), dataDir);
  assert.match(await textOf(browser, byTestId('data-folder-fixed')), /LITIGANT_DATA_DIR/);
  assert.equal(await (await browser.$(byTestId('data-folder-move'))).isExisting(), false);
  await closeApp();
});

test('the move button opens the native folder picker; cancelling changes nothing', { timeout: 120_000 }, async () => {
  const home = await makeTempDir('litigant-e2e-home-');
  dirs.push(home);
  // Where the platform puts app data under this HOME (XDG_DATA_HOME/<identifier>).
  const dataDir = path.join(home, 'data', 'org.litigant.desktop');
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));

  const browser = await launchApp({ dataDir: null, home, label: 'data-folder-picker' });
  await toSettings(browser);
  assert.equal(await textOf(browser, byTestId('data-folder')), dataDir);
  assert.deepEqual(await accessibilityViolations(browser), []);

  await click(browser, byTestId('data-folder-move'));
  const { display } = appInfo();
  let picker = [];
  await browser.waitUntil(async () => (picker = nativeWindows(display, '选择新的数据文件夹')).length > 0, {
    timeout: 10_000,
    timeoutMsg: 'no folder picker titled in Chinese appeared',
  });
  await screenshot(browser, 'settings-data-folder-picker-open-zh-CN');
  nativeKey(display, picker[0], 'Escape');
  await browser.waitUntil(async () => nativeWindows(display, '选择新的数据文件夹').length === 0, {
    timeout: 10_000,
    timeoutMsg: 'the picker did not close on Escape',
  });

  const button = await browser.$(byTestId('data-folder-move'));
  await browser.waitUntil(async () => (await button.getAttribute('aria-busy')) === 'false', { timeout: 10_000 });
  assert.equal(await (await browser.$('main [role="alert"]')).isExisting(), false, 'cancelling is not an error');
  assert.equal(await textOf(browser, byTestId('data-folder')), dataDir);
  assert.equal(JSON.parse(await readFile(path.join(dataDir, 'settings.json'), 'utf8')).useMode, 'personal');
});
