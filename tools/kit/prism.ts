// Starts and stops the Prism mock of the bundled description. Used by `npm start` and by the test
// suite's global setup, so both mock the same file the same way.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { BUNDLED_SPEC, root, toolEntry } from './processes.js';
import { freePort } from './static-server.js';
import { inlineXmlExamples } from './xml-examples.js';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 30_000;
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
export async function startPrism({ port: preferred = 0, spec = BUNDLED_SPEC, upstream, args = [] }: PrismOptions = {}): Promise<RunningPrism> {
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

async function launch(port: number, positional: string[], args: string[]): Promise<RunningPrism> {
  const [command, ...rest] = positional;
  const prismArgs = [toolEntry('prism'), command!, '--host', HOST, '--port', String(port), ...args, ...rest];
  // stdin is the lifeline the preload watches: Prism exits when this process goes away.
  const child = execa(process.execPath, ['--require', PRELOAD, ...prismArgs], {
    cwd: root,
    stdin: 'pipe',
    all: true,
    buffer: false,
    reject: false,
    forceKillAfterDelay: 3000,
  });
  const stop = async () => {
    child.kill('SIGTERM'); // a no-op once it has exited
    await child;
  };
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.all.on('data', (chunk: Buffer) => {
        output += chunk;
        if (output.includes('Prism is listening on')) resolve();
      });
      child.then((result) => reject(new Error(`Prism exited with code ${result.exitCode} before listening`)));
      setTimeout(() => reject(new Error(`Prism did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS).unref();
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output.slice(-2000)}`);
  }
  return { url: `http://${HOST}:${port}`, port, stop };
}
