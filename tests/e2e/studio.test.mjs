// The scan studio with real corpus pages: three files added (pages show as they finish, with
// progress), the low-resolution photo's warning and its fix on its own page, a page moved by
// keyboard (Alt + arrows, announced) and one dragged by its grip, one turned, one re-cropped by
// dragging a corner and by the arrow keys, one deleted after a confirmation, a damaged file
// refused alone, and the PDF built with a text layer and checked with pdfinfo and pdftotext. Chinese, then English in elder mode.
// Then the other inputs: a SANE scanner (test backend), the document camera (GStreamer test
// pattern) and a network scanner (a bare eSCL flatbed served here on loopback), by its address
// and found by its multicast DNS announcement.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { REPO_ROOT, TIMEOUTS, closeApp, launchApp, makeTempDir, screenshot, screenshotOnFailure, withTimeout } from './support/app.mjs';
import { startNetworkScanner } from './support/escl.mjs';
import { KEY, accessibilityViolations, byTestId, click, documentState, enhancedContrastViolations, focused, onScreen, press, shown, spokenText, tabTo, textOf } from './support/page.mjs';

const CORPUS = path.resolve(REPO_ROOT, '../shared/corpus');
const CLEAR_SCAN = 'scan_linn_300dpi_2col.png';
const PHONE_PHOTO = 'photo_page_sparse_wood.png';
const LOW_RES = 'photo_letter_signature_shadow.jpg';
const ALT = '\uE00A';
const ARROW_UP = '\uE013';
const ARROW_DOWN = '\uE015';
const ENTER = '\uE007';

const dirs = [];
afterEach(screenshotOnFailure);
after(async () => {
  await closeApp();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const card = (file, rest = '') => `${byTestId('studio-page')}[data-file="${file}"] ${rest}`.trim();

/** The files of the page cards, in order. */
function order(browser) {
  return withTimeout(
    browser.execute(() => [...document.querySelectorAll('[data-testid="studio-page"]')].map((c) => c.dataset.file)),
    TIMEOUTS.command,
    'read the page order',
  );
}

async function pagesAre(browser, expected, what) {
  await browser.waitUntil(async () => JSON.stringify(await order(browser)) === JSON.stringify(expected), {
    timeout: 60_000,
    timeoutMsg: `${what}: pages are ${JSON.stringify(await order(browser))}`,
  });
}

async function addPaths(browser, paths) {
  const field = await shown(browser, byTestId('studio-paths'));
  // One path a line; a newline in setValue's text is dropped, so Enter is pressed between.
  await withTimeout(field.setValue(paths[0]), TIMEOUTS.command, 'type a path');
  for (const p of paths.slice(1)) {
    await withTimeout(field.addValue(ENTER), TIMEOUTS.command, 'press Enter');
    await withTimeout(field.addValue(p), TIMEOUTS.command, 'type a path');
  }
  await click(browser, byTestId('studio-add'));
}

/** Holds Alt and presses `key` on what has focus. */
async function altKey(browser, key) {
  await withTimeout(
    browser.action('key').down(ALT).down(key).up(key).up(ALT).perform(),
    TIMEOUTS.command,
    'press Alt + an arrow',
  );
}

const thumbSize = (browser, file) =>
  withTimeout(
    browser.execute((sel) => {
      const img = document.querySelector(sel);
      return img ? [img.naturalWidth, img.naturalHeight] : null;
    }, card(file, 'img')),
    TIMEOUTS.command,
    'read a thumbnail size',
  );

const cornerLabel = async (browser, i) => (await shown(browser, byTestId(`studio-corner-${i}`))).getAttribute('aria-label');

/** Scrolls the page grid to the top of the window, for a screenshot of it. */
const showPages = (browser) =>
  withTimeout(
    browser.execute(() => document.querySelector('[data-testid="studio-pages"]').scrollIntoView({ block: 'start' })),
    TIMEOUTS.command,
    'scroll to the pages',
  );

function pdfPages(file) {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

test('add, warn, reorder by keyboard and drag, turn, re-crop, delete, refuse a damaged file, build', { timeout: 420_000 }, async () => {
  const dataDir = await makeTempDir('litigant-e2e-studio-');
  const outDir = await makeTempDir('litigant-e2e-studio-out-');
  dirs.push(dataDir, outDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  const browser = await launchApp({ dataDir, label: 'studio' });
  await onScreen(browser, 'home');
  await click(browser, byTestId('nav-studio'));
  await onScreen(browser, 'studio');
  await shown(browser, byTestId('studio-empty'));
  assert.deepEqual(await accessibilityViolations(browser), []);

  // Pages appear as each file finishes, with the progress said; the large scan comes last.
  // Watched inside the page on every change of the document: polling over WebDriver (two round
  // trips a look) can miss the moment between the first pages and the last when files are quick.
  await withTimeout(
    browser.execute(() => {
      const seen = { progress: false, partial: false };
      window.studioSeen = seen;
      const look = () => {
        const progress = document.querySelector('[data-testid="studio-progress"]')?.textContent.trim() ?? '';
        const pages = document.querySelectorAll('[data-testid="studio-page"]').length;
        if (progress) seen.progress = true;
        if (progress && pages > 0 && pages < 3) seen.partial = true;
      };
      new MutationObserver(look).observe(document.body, { childList: true, subtree: true, characterData: true });
    }),
    TIMEOUTS.command,
    'watch the studio',
  );
  await addPaths(browser, [PHONE_PHOTO, LOW_RES, CLEAR_SCAN].map((f) => path.join(CORPUS, f)));
  await browser.waitUntil(
    async () => (await order(browser)).length === 3 && !(await spokenText(browser, byTestId('studio-progress'))),
    { timeout: 120_000, interval: 50, timeoutMsg: 'the three files were not added' },
  );
  const { progress: sawProgress, partial: sawPartial } = await withTimeout(
    browser.execute(() => window.studioSeen),
    TIMEOUTS.command,
    'read what the studio showed',
  );
  assert.ok(sawProgress, 'progress was shown while the files were added');
  assert.ok(sawPartial, 'the first pages showed before the last file was done');
  assert.deepEqual(await order(browser), [PHONE_PHOTO, LOW_RES, CLEAR_SCAN]);
  assert.match(await spokenText(browser, byTestId('announcer')), /已加入 3 页/);

  // The low-resolution photo's warning and its fix are on its page, and only there.
  const warning = await textOf(browser, card(LOW_RES, '[data-code="paper.quality.low_resolution"]'));
  assert.match(warning, /清晰度不够/);
  assert.match(warning, /怎么改：.*300 dpi/);
  assert.equal(await (await browser.$(card(CLEAR_SCAN, byTestId('studio-warnings')))).isExisting(), false);
  assert.match(await textOf(browser, card(LOW_RES, 'h3')), /第 2 页/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await showPages(browser);
  await screenshot(browser, 'studio-pages-zh-CN');

  // Move the low-resolution page by keyboard, down then to the front; each move is announced
  // and the page keeps the focus.
  await withTimeout(browser.execute((sel) => document.querySelector(sel).focus(), card(LOW_RES)), TIMEOUTS.command, 'focus a page');
  await altKey(browser, ARROW_DOWN);
  await pagesAre(browser, [PHONE_PHOTO, CLEAR_SCAN, LOW_RES], 'after Alt+Down');
  await browser.waitUntil(async () => (await focused(browser)) === 'studio-page', { timeout: 10_000, timeoutMsg: 'the moved page lost the focus' });
  await altKey(browser, ARROW_UP);
  await pagesAre(browser, [PHONE_PHOTO, LOW_RES, CLEAR_SCAN], 'after one Alt+Up');
  await browser.waitUntil(async () => (await focused(browser)) === 'studio-page', { timeout: 10_000, timeoutMsg: 'the moved page lost the focus' });
  await altKey(browser, ARROW_UP);
  await pagesAre(browser, [LOW_RES, PHONE_PHOTO, CLEAR_SCAN], 'after two Alt+Up');
  await browser.waitUntil(async () => /已移到第 1 页/.test(await spokenText(browser, byTestId('announcer'))), {
    timeout: 10_000,
    timeoutMsg: 'the move was not announced',
  });
  assert.match(await textOf(browser, card(LOW_RES, 'h3')), /第 1 页/);

  // Drag the clear scan by its grip onto the first page: it takes that place.
  await showPages(browser);
  const grip = await browser.$(card(CLEAR_SCAN, byTestId('studio-grip')));
  const first = await browser.$(card(LOW_RES, 'img'));
  await withTimeout(
    browser.action('pointer').move({ origin: grip }).down().move({ origin: first, duration: 300 }).up().perform(),
    TIMEOUTS.command,
    'drag a page',
  );
  await pagesAre(browser, [CLEAR_SCAN, LOW_RES, PHONE_PHOTO], 'after the drag');

  // Turn the clear scan a quarter turn: its thumbnail turns on its side.
  const [w, h] = await thumbSize(browser, CLEAR_SCAN);
  await click(browser, card(CLEAR_SCAN, byTestId('studio-right')));
  await browser.waitUntil(async () => JSON.stringify(await thumbSize(browser, CLEAR_SCAN)) === JSON.stringify([h, w]), {
    timeout: 60_000,
    timeoutMsg: 'the turned thumbnail did not change shape',
  });
  // And back by keyboard alone, so its text can be recognised upright; the focus stays put.
  await withTimeout(browser.execute((sel) => document.querySelector(sel).focus(), card(CLEAR_SCAN)), TIMEOUTS.command, 'focus a page');
  await tabTo(browser, 'studio-left', 5);
  await press(browser, KEY.Enter);
  await browser.waitUntil(async () => JSON.stringify(await thumbSize(browser, CLEAR_SCAN)) === JSON.stringify([w, h]), {
    timeout: 60_000,
    timeoutMsg: 'the page did not turn back',
  });
  assert.equal(await focused(browser), 'studio-left');

  // Re-crop the phone photo: drag one corner, move another with the arrow keys.
  await click(browser, card(PHONE_PHOTO, byTestId('studio-crop')));
  await shown(browser, byTestId('studio-crop-editor'));
  assert.deepEqual(await accessibilityViolations(browser), []);
  const before0 = await cornerLabel(browser, 0);
  const handle = await browser.$(byTestId('studio-corner-0'));
  await withTimeout(
    browser.execute(() => document.querySelector('[data-testid="studio-crop-frame"]').scrollIntoView({ block: 'center' })),
    TIMEOUTS.command,
    'show the whole picture',
  );
  await withTimeout(
    browser.action('pointer').move({ origin: handle }).down().move({ origin: 'pointer', x: 40, y: 60, duration: 200 }).up().perform(),
    TIMEOUTS.command,
    'drag a corner',
  );
  assert.notEqual(await cornerLabel(browser, 0), before0, 'dragging moved the top-left corner');
  const before2 = await cornerLabel(browser, 2);
  await withTimeout(browser.execute(() => document.querySelector('[data-testid="studio-corner-2"]').focus()), TIMEOUTS.command, 'focus a corner');
  await press(browser, ARROW_UP, ARROW_UP, ARROW_UP);
  assert.notEqual(await cornerLabel(browser, 2), before2, 'the arrow keys moved the bottom-right corner');
  await screenshot(browser, 'studio-crop-zh-CN');
  await click(browser, byTestId('studio-crop-apply'));
  await shown(browser, card(PHONE_PHOTO, byTestId('studio-cropped')));
  assert.match(await spokenText(browser, byTestId('announcer')), /重新裁剪/);

  // Delete the low-resolution page, after saying yes.
  await click(browser, card(LOW_RES, byTestId('studio-delete')));
  await shown(browser, card(LOW_RES, byTestId('studio-delete-yes')));
  assert.deepEqual(await accessibilityViolations(browser), []);
  await click(browser, card(LOW_RES, byTestId('studio-delete-yes')));
  await pagesAre(browser, [CLEAR_SCAN, PHONE_PHOTO], 'after the delete');

  // A damaged file is refused in plain words, and nothing else is lost.
  const broken = path.join(outDir, '损坏的照片.jpg');
  await writeFile(broken, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(4096)]));
  await addPaths(browser, [broken]);
  const failure = await shown(browser, byTestId('studio-failure'));
  assert.match(await failure.getAttribute('data-code'), /^paper\./);
  const said = await failure.getText();
  assert.match(said, /损坏的照片\.jpg/);
  assert.match(said, /其他页面不受影响/);
  assert.doesNotMatch(said, /paper\.|Error|error:/);
  assert.deepEqual(await order(browser), [CLEAR_SCAN, PHONE_PHOTO]);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await withTimeout(browser.execute(() => document.querySelector('[data-testid="studio-failure"]').scrollIntoView({ block: 'start' })), TIMEOUTS.command, 'scroll');
  await screenshot(browser, 'studio-damaged-zh-CN');

  // Build to a chosen file; the PDF has the two pages.
  const target = path.join(outDir, '证据材料.pdf');
  const targetField = await shown(browser, byTestId('studio-target'));
  await withTimeout(targetField.setValue(target), TIMEOUTS.command, 'type the target');
  await click(browser, byTestId('studio-ocr'));
  await click(browser, byTestId('studio-build'));
  await withTimeout((await browser.$(byTestId('studio-built'))).waitForDisplayed({ timeout: 120_000 }), 125_000, 'the PDF is made');
  assert.equal(await textOf(browser, byTestId('studio-built-pages')), '2');
  assert.equal(await textOf(browser, byTestId('studio-built-path')), target);
  assert.ok((await stat(target)).size > 1000);
  assert.equal(pdfPages(target), 2);
  // Searchable: the clear scan's words come back out of the PDF.
  assert.match(execFileSync('pdftotext', ['-f', '1', '-l', '1', target, '-'], { encoding: 'utf8' }), /LinnSequencer/);
  assert.match(await textOf(browser, byTestId('studio-built-text')), /2 页中有 [12] 页/);
  assert.equal(await (await browser.$(byTestId('studio-ocr-problem'))).isExisting(), false);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await withTimeout(browser.execute(() => document.querySelector('[data-testid="studio-built"]').scrollIntoView({ block: 'start' })), TIMEOUTS.command, 'scroll');
  await screenshot(browser, 'studio-built-zh-CN');

  // English and elder mode.
  await click(browser, byTestId('toggle-language'));
  await click(browser, byTestId('toggle-elder'));
  await browser.waitUntil(async () => (await documentState(browser)).elder, { timeout: 10_000 });
  assert.match(await textOf(browser, card(CLEAR_SCAN, 'h3')), /Page 1/);
  const state = await documentState(browser);
  assert.ok(state.fontSizePx >= 18, `elder text is ${state.fontSizePx}px`);
  assert.ok(state.smallestTargetPx >= 60, `the smallest target is ${state.smallestTargetPx}px`);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await showPages(browser);
  await screenshot(browser, 'studio-elder-en');
  await click(browser, byTestId('toggle-contrast'));
  await browser.waitUntil(async () => (await documentState(browser)).contrast, { timeout: 10_000 });
  assert.deepEqual(await enhancedContrastViolations(browser), []);
  await showPages(browser);
  await screenshot(browser, 'studio-elder-contrast-en');
});

test('pages from a scanner (SANE test backend) join the studio', { timeout: 240_000 }, async () => {
  await closeApp();
  const dataDir = await makeTempDir('litigant-e2e-studio-scan-');
  const saneDir = await makeTempDir('litigant-e2e-sane-');
  dirs.push(dataDir, saneDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  // A SANE configuration whose only backend is `test`, so the machine's scanners play no part.
  await writeFile(path.join(saneDir, 'dll.conf'), 'test\n');
  const browser = await launchApp({ dataDir, label: 'studio-scan', env: { SANE_CONFIG_DIR: saneDir } });
  await onScreen(browser, 'home');
  await click(browser, byTestId('nav-studio'));
  await onScreen(browser, 'studio');
  await click(browser, byTestId('studio-scan-open'));
  // Pressed before any scanner is chosen, "Scan" says what to do rather than nothing.
  await click(browser, byTestId('studio-scan'));
  assert.match(await spokenText(browser, byTestId('studio-no-scanner')), /请先选择扫描仪/);
  await (await browser.$(byTestId('studio-no-scanner'))).scrollIntoView();
  await screenshot(browser, 'studio-no-scanner-zh-CN');
  await click(browser, byTestId('studio-find-scanners'));
  const device = await shown(browser, byTestId('studio-device'));
  assert.equal(await device.getValue(), 'test:0');
  assert.equal(await browser.$(byTestId('studio-no-scanner')).isExisting(), false);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await click(browser, byTestId('studio-scan'));
  await pagesAre(browser, ['scan-0001.png'], 'after scanning');
  assert.match(await spokenText(browser, byTestId('announcer')), /已加入 1 页/);
  // The scan is kept in the data folder, where the studio reads the page from.
  const scans = await readdir(path.join(dataDir, 'scans'));
  assert.equal(scans.length, 1);
  assert.deepEqual(await readdir(path.join(dataDir, 'scans', scans[0])), ['scan-0001.png']);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await showPages(browser);
  await screenshot(browser, 'studio-scanned-zh-CN');
});

test('a page from the document camera (GStreamer test pattern) joins the studio', { timeout: 240_000 }, async () => {
  await closeApp();
  const dataDir = await makeTempDir('litigant-e2e-studio-camera-');
  dirs.push(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  const browser = await launchApp({ dataDir, label: 'studio-camera', env: { LITIGANT_CAMERA: 'test' } });
  await onScreen(browser, 'home');
  await click(browser, byTestId('nav-studio'));
  await onScreen(browser, 'studio');
  // The button shows because there is a camera; the scan form takes a network scanner's address.
  await shown(browser, byTestId('studio-camera'));
  await click(browser, byTestId('studio-scan-open'));
  await shown(browser, byTestId('studio-escl'));
  assert.deepEqual(await accessibilityViolations(browser), []);
  await withTimeout(
    browser.execute(() => document.querySelector('[data-testid="studio-camera"]').scrollIntoView({ block: 'start' })),
    TIMEOUTS.command,
    'scroll to the camera and scanner',
  );
  await screenshot(browser, 'studio-camera-escl-zh-CN');
  await click(browser, byTestId('studio-camera'));
  await pagesAre(browser, ['frame-0001.png'], 'after the camera');
  assert.match(await spokenText(browser, byTestId('announcer')), /已加入 1 页/);
  // The frame is kept in the data folder, where the studio reads the page from.
  assert.deepEqual(await readdir(path.join(dataDir, 'scans', 'camera')), ['frame-0001.png']);
  await showPages(browser);
  await screenshot(browser, 'studio-camera-page-zh-CN');
});

test('a phone photo saved as HEIC joins the studio', { timeout: 240_000 }, async () => {
  await closeApp();
  const dataDir = await makeTempDir('litigant-e2e-studio-heic-');
  dirs.push(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  // Encoded here from a corpus photo, as an iPhone saves it (libheif's encoder).
  const heic = path.join(dataDir, 'form.heic');
  execFileSync('heif-enc', ['-q', '80', '-o', heic, path.join(CORPUS, 'zh_photo_form_handwriting_perspective.jpg')]);
  const browser = await launchApp({ dataDir, label: 'studio-heic' });
  await onScreen(browser, 'home');
  await click(browser, byTestId('nav-studio'));
  await onScreen(browser, 'studio');
  assert.match(await textOf(browser, '#studio-paths-hint'), /HEIC/);
  await addPaths(browser, [heic]);
  await pagesAre(browser, ['form.heic'], 'after adding the HEIC photo');
  assert.match(await spokenText(browser, byTestId('announcer')), /已加入 1 页/);
  assert.deepEqual(await accessibilityViolations(browser), []);
  await showPages(browser);
  await screenshot(browser, 'studio-heic-page-zh-CN');
});

test('a page from a network (eSCL) scanner, by its address, joins the studio', { timeout: 240_000 }, async () => {
  await closeApp();
  const dataDir = await makeTempDir('litigant-e2e-studio-escl-');
  dirs.push(dataDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  const scanner = await startNetworkScanner({ page: path.join(CORPUS, LOW_RES), model: 'E2E Flatbed' });
  try {
    const browser = await launchApp({ dataDir, label: 'studio-escl' });
    await onScreen(browser, 'home');
    await click(browser, byTestId('nav-studio'));
    await onScreen(browser, 'studio');
    await click(browser, byTestId('studio-scan-open'));
    const address = await shown(browser, byTestId('studio-escl'));
    await withTimeout(address.setValue(scanner.url), TIMEOUTS.command, 'type the scanner address');
    await click(browser, byTestId('studio-scan'));
    await pagesAre(browser, ['escl-0001.jpg'], 'after the network scan');
    const scans = await readdir(path.join(dataDir, 'scans'));
    assert.deepEqual(await readdir(path.join(dataDir, 'scans', scans[0])), ['escl-0001.jpg']);
    assert.deepEqual(await accessibilityViolations(browser), []);
  } finally {
    await scanner.stop();
  }
});

test('a network scanner that announces itself is listed and scans', { timeout: 240_000 }, async () => {
  await closeApp();
  const dataDir = await makeTempDir('litigant-e2e-studio-found-');
  const saneDir = await makeTempDir('litigant-e2e-sane-none-');
  dirs.push(dataDir, saneDir);
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ useMode: 'personal' }));
  // SANE with no backend at all, so the only scanner is the one on the network.
  await writeFile(path.join(saneDir, 'dll.conf'), '');
  const scanner = await startNetworkScanner({
    page: path.join(CORPUS, 'zh_scan_vat_invoice_testsample_redseal.jpg'),
    model: '前台扫描仪 E2E Flatbed',
    announceAs: 'Front desk scanner',
  });
  try {
    const browser = await launchApp({ dataDir, label: 'studio-found', env: { SANE_CONFIG_DIR: saneDir } });
    await onScreen(browser, 'home');
    await click(browser, byTestId('nav-studio'));
    await onScreen(browser, 'studio');
    await click(browser, byTestId('studio-scan-open'));
    await click(browser, byTestId('studio-find-scanners'));
    const device = await shown(browser, byTestId('studio-device'));
    assert.equal(await device.getValue(), `escl:${scanner.url}`);
    const listed = await withTimeout(
      browser.execute(() => document.querySelector('[data-testid="studio-device"]').selectedOptions[0].textContent),
      TIMEOUTS.command,
      'read the chosen scanner',
    );
    assert.match(listed, /前台扫描仪 E2E Flatbed（网络扫描仪）/);
    assert.deepEqual(await accessibilityViolations(browser), []);
    await (await browser.$(byTestId('studio-device'))).scrollIntoView();
    await screenshot(browser, 'studio-network-scanner-zh-CN');
    await click(browser, byTestId('studio-scan'));
    await pagesAre(browser, ['escl-0001.jpg'], 'after scanning from the listed network scanner');
    assert.equal(scanner.jobs, 1);
    assert.match(await spokenText(browser, byTestId('announcer')), /已加入 1 页/);
  } finally {
    await scanner.stop();
  }
});
