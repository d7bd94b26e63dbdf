// Makes sure Debian's Chromium is installed for the browser test. On a fresh machine (CI runs the
// test command as root) it installs the `chromium` package with apt-get; where that is impossible
// it stops with a message that says what to do. It never downloads a browser of its own.
import { aptInstall, canInstallWithApt } from '../tools/kit/apt.js';
import { findChromium } from '../tools/kit/chromium.js';

const found = findChromium();
if (found) {
  console.log(`chromium: ${found}`);
  process.exit(0);
}
if (process.env.CHROMIUM_PATH) {
  console.error(
    `CHROMIUM_PATH is ${process.env.CHROMIUM_PATH}, which does not exist. Point it at a Chromium or Chrome binary, or unset it to use Debian's chromium package.`,
  );
  process.exit(1);
}
if (!canInstallWithApt()) {
  console.error(
    'The browser test needs Chromium and none was found.\n' +
      '  Install it once as root:  apt-get update && apt-get install -y chromium  (or your system package manager)\n' +
      '  Or point CHROMIUM_PATH at an existing Chromium or Chrome binary.',
  );
  process.exit(1);
}
console.log('chromium: not found; installing Debian package "chromium" with apt-get (one-time)…');
const failed = aptInstall(['chromium']);
if (failed) {
  console.error(`${failed}; the browser test cannot run without Chromium.`);
  process.exit(1);
}
const installed = findChromium();
if (!installed) {
  console.error('apt-get reported success but no chromium binary was found at /usr/bin/chromium.');
  process.exit(1);
}
console.log(`chromium: installed at ${installed}`);
