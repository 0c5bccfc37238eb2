// When the data folder cannot be used, the window still opens and says why, and the e2e
// helpers treat that as a failed command rather than a rendered screen.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure } from './support/app.mjs';
import { accessibilityViolations, byTestId, onScreen, shown } from './support/page.mjs';

let dir;
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('an unusable data folder is explained on screen and nothing is overwritten', { timeout: 120_000 }, async () => {
  dir = await makeTempDir('litigant-e2e-unusable-');
  const notAFolder = path.join(dir, 'data');
  await writeFile(notAFolder, 'a file where the data folder should be');
  const browser = await launchApp({ dataDir: notAFolder, label: 'start-failure' });

  await assert.rejects(onScreen(browser, 'home'), /failed command: settings\.data_folder_is_a_file/);
  const error = await shown(browser, byTestId('start-error'));
  const text = await error.getText();
  assert.match(text, /是一个文件，不是文件夹/);
  assert.ok(text.includes(notAFolder), text);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await screenshot(browser, 'start-failure-zh-CN');
  assert.equal(await readFile(notAFolder, 'utf8'), 'a file where the data folder should be');
});
