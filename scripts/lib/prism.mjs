// Starts and stops the Prism mock of the bundled description. Used by `npm start` and by the test
// suite's global setup, so both mock the same file the same way.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { inlineXmlExamples } from './xml-examples.mjs';
import { root, toolEntry } from './tools.mjs';
import { findFreePort } from './ports.mjs';

export const BUNDLED_SPEC = join(root, 'generated', 'openapi.yaml');
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 120_000; // a hang guard: a start takes ~3 CPU s, far longer in wall time on a loaded machine
/** Keep-alive policy and parent lifeline for the Prism process: see the file. */
const PRELOAD = join(root, 'scripts', 'lib', 'prism-preload.cjs');

/**
 * Starts `prism mock` (or, with `upstream`, `prism proxy` in front of that server) on loopback and
 * resolves once it listens.
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void> }>}
 */
export async function startPrism({ port: preferred = 0, spec = BUNDLED_SPEC, upstream, args = [] } = {}) {
  // Prism answers a media type's own examples only: give it the XML examples there (see xml-examples.mjs).
  const dir = await mkdtemp(join(tmpdir(), 'cloudsoar-prism-'));
  const served = join(dir, 'openapi.json');
  await writeFile(served, JSON.stringify(inlineXmlExamples(parse(await readFile(spec, 'utf8')))));
  const positional = upstream ? ['proxy', served, upstream] : ['mock', served];
  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await findFreePort(preferred, HOST);
    try {
      const prism = await launch(port, positional, args);
      return { ...prism, stop: () => prism.stop().finally(() => rm(dir, { recursive: true, force: true })) };
    } catch (error) {
      lastError = error; // most likely the port was taken between probe and bind: pick another
      preferred = 0;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

function launch(port, positional, args) {
  return new Promise((resolve, reject) => {
    const prismArgs = [toolEntry('prism'), positional[0], '--host', HOST, '--port', String(port), ...args, ...positional.slice(1)];
    // stdin is the lifeline the preload watches: Prism exits when this process goes away.
    const child = spawn(process.execPath, ['--require', PRELOAD, ...prismArgs], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let settled = false;
    const exited = new Promise((done) => child.once('exit', done));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
    };
    const fail = (message) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${message}\n${output.slice(-2000)}`)));
    };
    const timer = setTimeout(() => fail(`Prism did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk;
      if (!settled && output.includes('Prism is listening on')) {
        settled = true;
        clearTimeout(timer);
        resolve({ url: `http://${HOST}:${port}`, port, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => fail(`Prism could not be started: ${error.message}`));
    child.once('exit', (code) => fail(`Prism exited with code ${code} before listening`));
  });
}
