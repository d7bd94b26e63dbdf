// The loopback server the runtime scenario (scenario.ts) talks to: a few operations answered with
// the spec's own examples, and the faults Prism cannot script — a 429 whose Retry-After must be
// waited out, an answer that never comes. One server per runtime, so each keeps its own state. It
// also serves the files a browser page needs from the same origin (see README, "In a browser").
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';
import { BUNDLED_SPEC } from '../repo.js';
import { OpenApiDocument } from '../spec.js';
import { RETRY_AFTER_S, SCENARIO_IDS, SCENARIO_TOKEN } from './fixture.js';

const spec = await OpenApiDocument.open(parse(await readFile(BUNDLED_SPEC, 'utf8')));

/** The first named example of an operation's answer with this status and media type. */
function exampleOf(path: string, method: string, status: string, mediaType = 'application/json'): unknown {
  const response = spec.responses(spec.document.paths[path][method])[status]!;
  if (mediaType === 'application/json') return spec.examples(response.content[mediaType])[0]![1];
  return Object.values<{ value: unknown }>(response['x-examples'][mediaType])[0]!.value; // XML examples live in x-examples (README, Decisions)
}

export interface ScenarioMock {
  url: string;
  stop(): Promise<void>;
}

const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response
    .writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'application/xml' : 'application/json',
      ...headers,
    })
    .end(text);
};

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts one server on a free loopback port; `files` are served as they are (path → [content type, body]). */
export async function startScenarioMock(files: Record<string, [string, string]> = {}): Promise<ScenarioMock> {
  let firstRateLimitedAt: number | undefined;
  const held = new Set<ServerResponse>();

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname } = new URL(request.url ?? '/', 'http://loopback');
    const file = files[pathname];
    if (file) return void response.writeHead(200, { 'Content-Type': file[0] }).end(file[1]);
    if (
      request.headers.authorization !== `Bearer ${SCENARIO_TOKEN}` &&
      !request.headers.authorization?.startsWith('Basic ')
    )
      return send(response, 401, { error: 'no credentials' });
    const route = `${request.method} ${pathname.replace(/\/\d+\//, '/{id}/')}`;
    const id = Number(/\/(\d+)\//.exec(pathname)?.[1]);
    switch (route) {
      case 'GET /incidents/{id}/':
        if (id === SCENARIO_IDS.notFound) return send(response, 404, exampleOf('/incidents/{id}/', 'get', '404'));
        if (id === SCENARIO_IDS.neverAnswered) return void held.add(response); // answered by stop(), if ever
        if (id === SCENARIO_IDS.rateLimited) {
          if (firstRateLimitedAt === undefined) {
            firstRateLimitedAt = performance.now();
            return send(response, 429, { error: 'Too many requests' }, { 'Retry-After': String(RETRY_AFTER_S) });
          }
          // How long the client waited, measured here, so every runtime's clock is out of it.
          return send(response, 200, exampleOf('/incidents/{id}/', 'get', '200'), {
            'X-Waited-Ms': String(Math.round(performance.now() - firstRateLimitedAt)),
          });
        }
        return send(response, 200, exampleOf('/incidents/{id}/', 'get', '200'));
      case 'POST /incidents/{id}/notes/': {
        const note = JSON.parse((await bodyOf(request)).toString('utf8')) as { title?: unknown };
        return send(response, 200, {
          ...(exampleOf('/incidents/{id}/notes/', 'post', '200') as object),
          title: note.title,
        });
      }
      case 'POST /incidents/search/': {
        const { page_number: page } = JSON.parse((await bodyOf(request)).toString('utf8')) as { page_number: number };
        return send(response, 200, page === 1 ? exampleOf('/incidents/search/', 'post', '200') : []);
      }
      case 'POST /incidents/{id}/attachments/': {
        // Read the multipart body as a server would, and answer with what arrived.
        const form = await new Request('http://loopback/', {
          method: 'POST',
          headers: { 'content-type': request.headers['content-type'] ?? '' },
          body: new Uint8Array(await bodyOf(request)),
        }).formData();
        const file = form.get('attachment');
        if (!(file instanceof Blob)) return send(response, 400, { error: 'no attachment part' });
        return send(response, 200, {
          ...(exampleOf('/incidents/{id}/attachments/', 'post', '200') as object),
          file_name: form.get('file_name'),
          size: file.size,
          content: await file.text(),
        });
      }
      case 'GET /folders/':
        if (request.headers.accept === 'application/xml')
          return send(response, 200, exampleOf('/folders/', 'get', '200', 'application/xml') as string);
        return send(response, 200, exampleOf('/folders/', 'get', '200'));
      default:
        return send(response, 404, { error: `not scripted: ${route}` });
    }
  }

  const server = createServer((request, response) => {
    answer(request, response).catch((error: Error) => send(response, 500, { error: error.message }));
  });
  server.keepAliveTimeout = 0; // never close a socket a client may be about to reuse (README, "Under load")
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
