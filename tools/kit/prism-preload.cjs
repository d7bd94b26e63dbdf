// Loaded into the Prism process (`node --require`) by tools/kit/prism.ts; Prism has no options
// for any of these, and all go through documented Node interfaces rather than Prism's code.

// 1. Keep-alive: the client, not the mock, closes idle connections. Node's HTTP server closes an
// idle keep-alive socket after 5 s and advertises `Keep-Alive: timeout=5`; undici then keeps the
// socket pooled for about 4 s by a timer that only runs when its event loop does. A client whose
// loop is busy or blocked past the 5 s (a loaded CI machine, a spawnSync in a test) reuses a socket
// the mock has already closed and gets UND_ERR_SOCKET "other side closed". With no server-side
// timeout that race cannot happen; the client's own idle timer still closes the sockets.
require('node:diagnostics_channel').subscribe('http.server.request.start', ({ server, response }) => {
  server.keepAliveTimeout = 0;
  tellTheTruthOnBadRequest(response);
});

// 2. Lifeline: stdin is a pipe from the process that started Prism; when that process goes away
// by any means (a failed test, Ctrl-C, SIGKILL), the pipe closes and Prism exits too.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

// 3. A 400 names what was wrong. For a request that fails validation Prism answers the spec's 400
// with its static example ("page_number: must be 1 or more." whatever the mistake) and puts the
// real violations in its documented `sl-violations` header. The body is rewritten here, in the
// API's own `{error, description}` shape (spec/components/schemas/CsoarError.yaml), from that
// header. A preload, not a patch-package patch: it reads only Prism's documented output, so it
// survives Prism upgrades, and the API's error shape stays in this project, not in Prism's code.
function tellTheTruthOnBadRequest(response) {
  const end = response.end;
  response.end = function endWithViolations(chunk, ...rest) {
    // Prism answers a failed validation in JSON whatever the Accept header asks for.
    const json = /json/i.test(String(response.getHeader('content-type') ?? ''));
    const violations = response.statusCode === 400 && json && requestViolations(response.getHeader('sl-violations'));
    if (
      violations &&
      violations.length > 0 &&
      !response.headersSent &&
      (typeof chunk === 'string' || Buffer.isBuffer(chunk))
    ) {
      chunk = JSON.stringify({ error: 'Invalid request', description: violations.join('; ') });
      response.setHeader('content-length', Buffer.byteLength(chunk));
    }
    return end.call(this, chunk, ...rest);
  };
}

/** The request's own violations (errors only), as Prism words them, from its `sl-violations` header. */
function requestViolations(header) {
  if (typeof header !== 'string') return undefined;
  try {
    return JSON.parse(header)
      .filter((violation) => violation.severity === 'Error' && violation.location?.[0] === 'request')
      .map((violation) => String(violation.message).replace(/^Request /, ''));
  } catch {
    return undefined;
  }
}
