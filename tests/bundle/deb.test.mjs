// The Debian package that `tauri build --bundles deb` makes: what it is called, what it needs,
// and that it installs the binary, a menu entry and icons.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEB_DIR = path.join(ROOT, 'target', process.env.LITIGANT_BUNDLE_PROFILE ?? 'debug', 'bundle', 'deb');

function theDeb() {
  let names = [];
  try {
    names = readdirSync(DEB_DIR).filter((n) => n.endsWith('.deb'));
  } catch {
    // reported below
  }
  assert.equal(names.length, 1, `expected one .deb in ${DEB_DIR}; build it: npx tauri build --debug --bundles deb`);
  return path.join(DEB_DIR, names[0]);
}

const dpkgDeb = (...args) => execFileSync('dpkg-deb', args, { encoding: 'utf8' });

test('the .deb names the package and its dependencies once each', () => {
  const deb = theDeb();
  const field = (name) => dpkgDeb('-f', deb, name).trim();
  assert.equal(field('Package'), 'litigant');
  assert.match(field('Version'), /^\d+\.\d+\.\d+$/);
  const depends = field('Depends').split(/,\s*/);
  assert.deepEqual([...new Set(depends)], depends, `duplicate dependencies: ${depends}`);
  for (const needed of ['libwebkit2gtk-4.1-0', 'libgtk-3-0', 'fonts-noto-cjk']) {
    assert.ok(depends.includes(needed), `Depends lacks ${needed}: ${depends}`);
  }
});

test('the .deb installs the binary, a menu entry that starts it, and icons', () => {
  const deb = theDeb();
  const files = dpkgDeb('-c', deb)
    .split('\n')
    .map((line) => line.split(/\s+/).pop().replace(/^\.\//, ''));
  assert.ok(files.includes('usr/bin/litigant-desktop'), 'no usr/bin/litigant-desktop');
  const icons = files.filter((f) => f.startsWith('usr/share/icons/hicolor/') && f.endsWith('.png'));
  assert.ok(icons.length >= 3, `icons: ${icons}`);

  const desktopFile = files.find((f) => f.startsWith('usr/share/applications/') && f.endsWith('.desktop'));
  assert.ok(desktopFile, 'no .desktop file');
  const desktop = execFileSync('sh', ['-c', `dpkg-deb --fsys-tarfile "$1" | tar -xO "$2"`, 'sh', deb, desktopFile], {
    encoding: 'utf8',
  });
  assert.match(desktop, /^Exec=litigant-desktop\b/m);
  assert.match(desktop, /^Name=Litigant$/m);
  assert.match(desktop, /^Icon=litigant-desktop$/m);
});
