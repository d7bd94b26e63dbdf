// Makes sure Debian's Chromium is installed for the browser test. On a fresh machine (CI runs the
// test command as root) it installs the `chromium` package with apt-get; where that is impossible
// it stops with a message that says what to do. It never downloads a browser of its own.
import { spawnSync } from 'node:child_process';
import { findChromium } from '../tools/kit/chromium.js';

const found = findChromium();
if (found) {
  console.log(`chromium: ${found}`);
  process.exit(0);
}
if (process.env.CHROMIUM_PATH) {
  console.error(`CHROMIUM_PATH is ${process.env.CHROMIUM_PATH}, which does not exist. Point it at a Chromium or Chrome binary, or unset it to use Debian's chromium package.`);
  process.exit(1);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt) {
  console.error(
    'The browser test needs Chromium and none was found.\n' +
      (hasApt ? '  Install it once as root:  apt-get update && apt-get install -y chromium\n' : '  Install Chromium with your system package manager.\n') +
      '  Or point CHROMIUM_PATH at an existing Chromium or Chrome binary.',
  );
  process.exit(1);
}
console.log('chromium: not found; installing Debian package "chromium" with apt-get (one-time)…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
  const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`apt-get ${args.join(' ')} failed (exit ${result.status}); the browser test cannot run without Chromium.`);
    process.exit(1);
  }
}
const installed = findChromium();
if (!installed) {
  console.error('apt-get reported success but no chromium binary was found at /usr/bin/chromium.');
  process.exit(1);
}
console.log(`chromium: installed at ${installed}`);
