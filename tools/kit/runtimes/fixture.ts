// What the scenario (run on every runtime) and its loopback server (mock.ts, on Node) agree on.
export const SCENARIO_TOKEN = 'runtime-scenario-token';
/** Incident ids: a normal one, and ids the server answers with a fault instead. */
export const SCENARIO_IDS = { incident: 8508, notFound: 404, rateLimited: 429, neverAnswered: 408 } as const;
/** The Retry-After of the 429, in seconds (the header's unit); the client must wait it out. */
export const RETRY_AFTER_S = 1;
