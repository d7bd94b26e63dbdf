// The Prism mock as the suite and `npm start` run it (tools/kit/prism.ts): it survives anything,
// and it never closes a connection a client may be about to reuse.
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, inject, it } from 'vitest';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';
import { exampleRequests } from '../../tools/kit/contract/requests.js';
import { type RawRequest, rawRequest } from '../support/raw-http.js';

const mockUrl = inject('mockUrl');
const spec = await loadBundledSpec();
const auth = { Authorization: 'Bearer malformed-input-token' };
const BOUNDARY = 'sweep-boundary';
const multipart = (type: string) => `multipart/form-data; boundary=${BOUNDARY}`.replace('multipart/form-data', type);
const part = (disposition: string, content: string, extra = '') =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; ${disposition}\r\n${extra}\r\n${content}\r\n`;
/** Over Prism's 10 MB body limit: declared to every operation (cheap), sent in full to one. */
const OVERSIZE = 11 * 1024 * 1024;

/** A multipart/form-data part with a filename and no Content-Type: valid (RFC 7578 §4.4 makes it text/plain). */
const FILE_PART_WITHOUT_TYPE =
  part('name="attachment"; filename="report.txt"', 'hello') + part('name="reference"', '00') + `--${BOUNDARY}--\r\n`;

/** The malformed and edge-case requests, by label, for one operation's concrete path. */
function badRequests(method: string, path: string): Record<string, RawRequest> {
  const base = { method, target: path, headers: { ...auth, Accept: 'application/json' } };
  const withBody = (contentType: string, body: string, declaredLength?: number): RawRequest => ({
    ...base,
    headers: { ...base.headers, 'Content-Type': contentType },
    body,
    declaredLength,
  });
  return {
    'invalid JSON': withBody('application/json', '{"title": "unterminated'),
    'JSON that is not an object': withBody('application/json', '"just a string"'),
    'truncated multipart': withBody(
      multipart('multipart/form-data'),
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="refer`,
    ),
    'boundary-less multipart': withBody('multipart/form-data', part('name="reference"', '00') + `--${BOUNDARY}--\r\n`),
    'multipart part with a filename and no Content-Type': withBody(
      multipart('multipart/form-data'),
      FILE_PART_WITHOUT_TYPE,
    ),
    'multipart part without a name': withBody(
      multipart('multipart/form-data'),
      part('filename="a.txt"', 'x', 'Content-Type: text/plain\r\n') + `--${BOUNDARY}--\r\n`,
    ),
    'multipart part with an unquoted filename': withBody(
      multipart('multipart/form-data'),
      part('name="attachment"; filename=a.txt', 'x', 'Content-Type: text/plain\r\n') + `--${BOUNDARY}--\r\n`,
    ),
    'XML body': withBody('application/xml', '<?xml version="1.0"?><incident><title>x</title></incident>'),
    'oversize body': withBody('application/json', '{"title":"', OVERSIZE),
    'wrong Content-Type': withBody('text/plain', 'hello'),
    'percent-encoded NUL in the path': { ...base, target: `${path}%00` },
    'raw NUL in the path': { ...base, target: `${path}\0` },
  };
}

/** Each operation's path with its documented example parameters filled in. */
const targets = [...spec.operations.values()].map((operation) => {
  const [example] = exampleRequests(spec, operation);
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String(example!.params.path?.[name])),
  );
  return { operationId: operation.operationId, method: operation.method.toUpperCase(), path };
});

/** Runs `tasks` with at most `limit` in flight: enough to be quick without queueing hundreds of sockets. */
async function inBatches<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}

describe.concurrent('the mock', () => {
  // Every operation gets malformed and edge-case requests, each must get an HTTP answer that is not a
  // server error, and the mock must still answer a normal request after. One bad request used to stop
  // Prism for everyone (the rest of the suite, a user's `npm start`): see patches/README.md.
  it('answers every malformed request to every operation without a server error, and still answers after', async () => {
    const tasks = targets.flatMap(({ operationId, method, path }) =>
      Object.entries(badRequests(method, path)).map(([label, request]) => async () => {
        const where = `${operationId} ${method} ${path}: ${label}`;
        try {
          const { status } = await rawRequest(mockUrl, request);
          return status < 500 ? null : `${where} → ${status}`;
        } catch (error) {
          return `${where} → no answer (${(error as Error).message})`;
        }
      }),
    );
    expect(tasks.length).toBeGreaterThanOrEqual(spec.operations.size * 12);
    // The whole oversize body, chunked, so Prism has to read up to its limit to refuse it.
    tasks.push(async () => {
      const chunk = Buffer.alloc(OVERSIZE, 'a');
      const body = Buffer.concat([
        Buffer.from(`${chunk.length.toString(16)}\r\n`),
        chunk,
        Buffer.from('\r\n0\r\n\r\n'),
      ]);
      const request = {
        method: 'POST',
        target: '/incidents/',
        headers: { ...auth, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        body,
      };
      const { status } = await rawRequest(mockUrl, request).catch((error: Error) => ({
        status: `no answer (${error.message})`,
      }));
      return typeof status === 'number' && status < 500
        ? null
        : `incidents_create POST /incidents/: a chunked 11 MB body → ${status}`;
    });
    const problems = (await inBatches(tasks, 8)).filter((problem) => problem !== null);
    expect(problems).toEqual([]);

    const after = await fetch(`${mockUrl}/incidents/8508/`, { headers: { ...auth, Accept: 'application/json' } });
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ id: 8508 });
  }, 60_000);

  // The regression test for the crash that started this: Prism 5.14.2's multipart parser threw a
  // TypeError on this valid part, which ended the Prism process.
  it('accepts an attachment part with a filename and no Content-Type, and keeps serving', async () => {
    for (const operationId of ['incidents_attachments_create', 'triage_attachments_create']) {
      const target = targets.find((candidate) => candidate.operationId === operationId);
      expect(target, operationId).toBeDefined();
      const answer = await rawRequest(mockUrl, {
        method: 'POST',
        target: target!.path,
        headers: { ...auth, Accept: 'application/json', 'Content-Type': multipart('multipart/form-data') },
        body: FILE_PART_WITHOUT_TYPE,
      });
      expect(answer.status, `${operationId}: ${answer.body}`).toBeLessThan(300);
    }
    const after = await fetch(`${mockUrl}/folders/`, { headers: { ...auth, Accept: 'application/json' } });
    expect(after.status).toBe(200);
  });

  // The flake this guards against: `mutations.test.ts > the control` failed under load with undici
  // UND_ERR_SOCKET "other side closed". Node's HTTP server (so Prism) closes an idle keep-alive socket
  // after 5 s and advertises `Keep-Alive: timeout=5`; undici keeps it pooled about 4 s, by a timer
  // that runs only when its event loop does. A test that blocked its loop past 5 s (a spawnSync, or a
  // starved CPU) then sent its next request on a socket the mock had closed. The mock now has no idle
  // timeout and the client's timer closes its sockets (tools/kit/prism-preload.cjs).
  //
  // Node states its idle timeout in that header, so its absence is checked rather than waiting the
  // ~6 s it takes Node to close a socket (that slower check was red before the fix too). The first
  // answer of the mock's life is written before the preload's hook runs, so two are sent.
  it('declares no keep-alive timeout, so only the client closes idle connections', async () => {
    const { hostname, port } = new URL(mockUrl);
    const socket = connect(Number(port), hostname);
    let received = '';
    let closed = false;
    socket.on('data', (chunk) => (received += chunk));
    socket.on('close', () => (closed = true));
    socket.on('error', () => (closed = true));
    const request = `GET /folders/ HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: ${auth.Authorization}\r\nAccept: application/json\r\n\r\n`;
    const answers = () => received.split(/(?=HTTP\/1\.1 )/).filter((answer) => answer.startsWith('HTTP/1.1 200 '));
    try {
      for (const count of [1, 2]) {
        socket.write(request);
        while (answers().length < count && !closed) await sleep(10);
      }
      expect(answers()).toHaveLength(2);
      expect(answers()[1]).toMatch(/\r\nConnection: keep-alive\r\n/i);
      expect(answers()[1]).not.toMatch(/\r\nKeep-Alive: timeout=/i);
    } finally {
      socket.destroy();
    }
  });
});
