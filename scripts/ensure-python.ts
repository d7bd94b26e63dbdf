// Makes sure Debian's python3 with python3-requests is there for the Python samples test
// (tests/spec/python-samples.test.ts), installing both with apt-get when missing, as
// scripts/ensure-chromium.ts does for the browser. PYTHON names another interpreter to use.
import { spawnSync } from 'node:child_process';
import { aptInstall, canInstallWithApt } from '../tools/kit/apt.js';
import { PYTHON_PACKAGES as PACKAGES, samplePython as python } from '../tools/kit/python.js';

/** The interpreter's version when it can import requests, else undefined. */
function found(): string | undefined {
  const result = spawnSync(
    python(),
    ['-c', 'import sys, requests; print(sys.version.split()[0], "requests", requests.__version__)'],
    { encoding: 'utf8' },
  );
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const present = found();
if (present) {
  console.log(`python: ${python()} ${present}`);
  process.exit(0);
}
if (process.env.PYTHON || !canInstallWithApt()) {
  console.error(
    `The Python samples test needs ${python()} with the requests module, and it is not there.\n` +
      `  Install them once as root:  apt-get update && apt-get install -y ${PACKAGES.join(' ')}\n` +
      '  Or point PYTHON at an interpreter that has requests.',
  );
  process.exit(1);
}
console.log(
  `python: not found with requests; installing Debian packages ${PACKAGES.join(', ')} with apt-get (one-time)…`,
);
const failed = aptInstall(PACKAGES);
const installed = failed ? undefined : found();
if (!installed) {
  console.error(
    `${failed ?? 'apt-get reported success but python3 cannot import requests'}; the Python samples test cannot run.`,
  );
  process.exit(1);
}
console.log(`python: installed, ${installed}`);
