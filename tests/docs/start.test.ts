// `npm start` as a new user meets it: with its default ports taken it still comes up, prints
// working URLs and a curl command, and Ctrl-C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const blockers: Server[] = [];

async function occupy(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  blockers.push(server);
  return (server.address() as { port: number }).port;
}

afterAll(() => {
  for (const server of blockers) server.close();
});

it('serves docs and mock on free ports when the preferred ones are taken, and stops cleanly on SIGINT', async () => {
  const [docsPort, mockPort] = [await occupy(), await occupy()];
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: { ...process.env, DOCS_PORT: String(docsPort), MOCK_PORT: String(mockPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const started = Date.now();
    while (!output.includes('Press Ctrl-C') && Date.now() - started < 150_000 && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('Press Ctrl-C');

    const docsUrl = /Docs \(Redoc, offline\):\s+(\S+)/.exec(output)?.[1];
    const mockUrl = /Mock API \(Prism\):\s+(\S+)/.exec(output)?.[1];
    expect(docsUrl).toBeDefined();
    expect(mockUrl).toBeDefined();
    expect(new URL(docsUrl!).port).not.toBe(String(docsPort));
    expect(new URL(mockUrl!).port).not.toBe(String(mockPort));

    const docs = await fetch(docsUrl!);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('Cloud SOAR');

    // Run the printed curl command itself.
    const curl = /^\s*(curl .+)$/m.exec(output)?.[1];
    expect(curl).toBeDefined();
    const result = spawnSync('sh', ['-c', `${curl} -o /dev/null -w '%{http_code}'`], { encoding: 'utf8' });
    expect(result.stdout).toBe('200');

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(mockUrl!)).rejects.toThrow();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
