// The flake this reproduces: `mutations.test.ts > the control` failed under load with undici
// UND_ERR_SOCKET "other side closed". A test made requests to the mock, then blocked its event loop
// (spawnSync of `verify:proxy`) for longer than the 5 s after which Node's HTTP server, and so
// Prism, closes an idle keep-alive socket. undici's pool timer (about 4 s, from the server's
// `Keep-Alive: timeout=5`) could not run meanwhile, so the next request went out on the socket the
// mock had closed. The mock now never closes idle connections (scripts/lib/prism-preload.cjs).
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, inject, it } from 'vitest';

const mockUrl = inject('mockUrl');
const headers = { Authorization: 'Bearer keep-alive-token', Accept: 'application/json' };

it('reuses a pooled connection after the event loop was blocked past the server default of 5 s', async () => {
  const first = await fetch(`${mockUrl}/folders/`, { headers });
  expect(first.status).toBe(200);
  await first.arrayBuffer(); // the socket goes back to undici's pool
  await sleep(1_000); // undici's idle timer for that socket is now running
  spawnSync('sleep', ['5.5']); // what a long synchronous step (or a starved CPU) does to this process
  const second = await fetch(`${mockUrl}/folders/`, { headers });
  expect(second.status).toBe(200);
  await second.arrayBuffer();
}, 15_000);
