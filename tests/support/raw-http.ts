// One HTTP/1.1 exchange written byte for byte on a fresh TCP connection: for requests that fetch
// and node:http refuse to send (a NUL in the request line, a Content-Length larger than the body).
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** The request target exactly as written on the request line. */
  target: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Content-Length to declare; defaults to the body's length (none with a Transfer-Encoding header). */
  declaredLength?: number | undefined;
}

export interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/** Sends `request` with `Connection: close` and resolves with the answer; rejects if there is none. */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const headers: Record<string, string> = { Host: `${hostname}:${port}`, Connection: 'close', ...request.headers };
  const chunked = Object.keys(headers).some((name) => name.toLowerCase() === 'transfer-encoding');
  if (!chunked && (body.length > 0 || request.declaredLength !== undefined))
    headers['Content-Length'] = String(request.declaredLength ?? body.length);
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may answer and close before it has read a body it refuses: that is an answer too.
    socket.on('error', (error) => (chunks.length > 0 ? finish() : reject(error)));
    socket.on('end', () => finish());
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
    let done = false;
    function finish() {
      if (done) return;
      done = true;
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (!match)
        return reject(
          new Error(
            `no HTTP answer to ${request.method} ${JSON.stringify(request.target)}: ${JSON.stringify(text.slice(0, 200))}`,
          ),
        );
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(match[1]), head: text.slice(0, split), body: text.slice(split + 4) });
    }
  });
}
