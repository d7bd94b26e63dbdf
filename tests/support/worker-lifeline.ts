// Runs in every test worker. A worker talks to the vitest process over an IPC channel; when that
// process dies without shutting the pool down (SIGKILL, a crashed runner), the worker would carry
// on as an orphan, holding the helpers it started (a Prism of its own, Chromium). It exits instead,
// and its helpers follow it (Prism by its stdin lifeline, Chromium by its closed pipe).
const installed = Symbol.for('cloudsoar.worker-lifeline');
const registry = globalThis as { [installed]?: true };
if (!registry[installed]) {
  registry[installed] = true; // once per process, however many test files it runs
  process.once('disconnect', () => process.exit(1));
}
