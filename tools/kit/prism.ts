// Starts and stops the Prism mock of the bundled description. Used by `npm start` and by the test
// suite's global setup, so both mock the same file the same way.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BUNDLED_SPEC, root, toolEntry } from './repo.js';
import { freePort } from './static-server.js';
import { inlineXmlExamples } from './xml-examples.js';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 120_000; // a hang guard: a start takes ~3 CPU s, far longer in wall time on a loaded machine
/** Keep-alive policy and parent lifeline for the Prism process: see the file. */
const PRELOAD = join(root, 'tools', 'kit', 'prism-preload.cjs');

export interface RunningPrism {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface PrismOptions {
  /** A port to use when it is free (default: any free port). */
  port?: number;
  spec?: string;
  /** Proxy mode: Prism in front of this server, validating what passes. */
  upstream?: string;
  args?: string[];
}

/** Starts `prism mock` (or `prism proxy` in front of `upstream`) on loopback; resolves once it listens. */
export async function startPrism({
  port: preferred = 0,
  spec = BUNDLED_SPEC,
  upstream,
  args = [],
}: PrismOptions = {}): Promise<RunningPrism> {
  // Prism answers a media type's own examples only: give it the XML examples there (see xml-examples.ts).
  const dir = await mkdtemp(join(tmpdir(), 'cloudsoar-prism-'));
  const served = join(dir, 'openapi.json');
  await writeFile(served, JSON.stringify(inlineXmlExamples(parse(await readFile(spec, 'utf8')))));
  const positional = upstream ? ['proxy', served, upstream] : ['mock', served];
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort(preferred, HOST);
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

/**
 * node:child_process rather than execa: the Node 20 client leg starts this launcher (its global
 * setup), and execa needs Node 22.
 */
function launch(port: number, positional: string[], args: string[]): Promise<RunningPrism> {
  const [command, ...rest] = positional;
  const prismArgs = [toolEntry('prism'), command!, '--host', HOST, '--port', String(port), ...args, ...rest];
  return new Promise((resolve, reject) => {
    // stdin is the lifeline the preload watches: Prism exits when this process goes away.
    const child = spawn(process.execPath, ['--require', PRELOAD, ...prismArgs], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let settled = false;
    const exited = new Promise((done) => child.once('exit', done));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(killer);
      }
    };
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${message}\n${output.slice(-2000)}`)));
    };
    const timer = setTimeout(() => fail(`Prism did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      if (settled) return;
      output += chunk;
      if (output.includes('Prism is listening on')) {
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
