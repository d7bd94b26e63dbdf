// Loaded into the Prism process (`node --require`) by tools/kit/prism.ts; Prism has no options
// for either of these, and both go through documented Node interfaces rather than Prism's code.

// 1. Keep-alive: the client, not the mock, closes idle connections. Node's HTTP server closes an
// idle keep-alive socket after 5 s and advertises `Keep-Alive: timeout=5`; undici then keeps the
// socket pooled for about 4 s by a timer that only runs when its event loop does. A client whose
// loop is busy or blocked past the 5 s (a loaded CI machine, a spawnSync in a test) reuses a socket
// the mock has already closed and gets UND_ERR_SOCKET "other side closed". With no server-side
// timeout that race cannot happen; the client's own idle timer still closes the sockets.
require('node:diagnostics_channel').subscribe('http.server.request.start', ({ server }) => {
  server.keepAliveTimeout = 0;
});

// 2. Lifeline: stdin is a pipe from the process that started Prism; when that process goes away
// by any means (a failed test, Ctrl-C, SIGKILL), the pipe closes and Prism exits too.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
