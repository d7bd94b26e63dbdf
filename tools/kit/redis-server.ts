// A throwaway redis-server on a free loopback port, for the shared-limit tests and bench. Debian's
// `redis-server` package is installed with apt-get when missing and we are root (as on a fresh CI
// machine, like scripts/ensure-chromium.ts does for Chromium); otherwise a clear message says what
// to do. The server keeps nothing on disk and dies with the process that started it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { aptInstall, canInstallWithApt } from './apt.js';
import { freePort } from './static-server.js';

const CANDIDATES = [process.env.REDIS_SERVER_PATH, '/usr/bin/redis-server', '/usr/local/bin/redis-server'];

function findRedisServer(): string | undefined {
  for (const path of CANDIDATES) if (path && existsSync(path)) return path;
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

/** The path of redis-server, installing Debian's package first when it is missing and we may. */
export function ensureRedisServer(): string {
  const found = findRedisServer();
  if (found) return found;
  if (!canInstallWithApt()) {
    throw new Error(
      'The shared-limit tests need redis-server and none was found.\n' +
        '  Install it once as root:  apt-get update && apt-get install -y redis-server  (or Redis or Valkey with your system package manager)\n' +
        '  Or point REDIS_SERVER_PATH at a redis-server (or valkey-server) binary.',
    );
  }
  console.log('redis-server: not found; installing Debian package "redis-server" with apt-get (one-time)…');
  const failed = aptInstall(['redis-server']);
  if (failed) throw new Error(`${failed}; the shared-limit tests cannot run without redis-server.`);
  const installed = findRedisServer();
  if (!installed) throw new Error('apt-get reported success but no redis-server binary was found.');
  return installed;
}

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL, as a crash would; resolves when the process is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

/** Starts redis-server on a free loopback port, without persistence; the caller must stop it. */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = ensureRedisServer();
  const port = await freePort(0); // redis-server cannot be told to pick its own
  // The shell is the lifeline: when this process dies, its stdin closes and redis-server is killed.
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
  const child = spawn(
    'sh',
    ['-c', '"$0" "$@" & pid=$!; trap \'kill -9 $pid 2>/dev/null\' EXIT; cat >/dev/null; exit 0', binary, ...args],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let dead = false;
  void exited.then(() => {
    dead = true;
  });
  for (let i = 0; i < 100 && !dead && !(await answersPing(port)); i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const stop = async () => {
    if (!dead) child.stdin?.end();
    await exited;
  };
  if (dead || !(await answersPing(port))) {
    await stop();
    throw new Error(`redis-server did not start on port ${port}`);
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop, kill: stop };
}
