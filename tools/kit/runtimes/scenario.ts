// The consumer scenario every runtime runs (scripts/runtimes.ts): Node 20/22/24, Deno, Bun, Chromium
// and workerd, against the loopback server of mock.ts. It imports the package as a user does — the
// runner maps these src/ imports to `cloudsoar-v3`, `cloudsoar-v3/helpers` and `cloudsoar-v3/xml`
// of the installed tarball — and uses nothing but web APIs, so it runs unchanged everywhere.
import { paginate, unwrapFields, uploadAttachment } from '../../../src/helpers.js';
import {
  CloudSoarError,
  CloudSoarTimeoutError,
  createCloudSoarClient,
  errorOf,
  type operations,
  orThrow,
} from '../../../src/index.js';
import { xml } from '../../../src/xml.js';
import { SCENARIO_IDS as IDS, RETRY_AFTER_S, SCENARIO_TOKEN as TOKEN } from './fixture.js';

const ACCESS_KEY = 'runtime-scenario-access-key';
const RETRY_AFTER_MS = RETRY_AFTER_S * 1_000;

function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(what);
}

/** Runs every step against `baseUrl`; returns the names of the steps passed, or throws naming the one that failed. */
export async function runScenario(baseUrl: string): Promise<string[]> {
  // A fast limit rather than none, so the limiter's timers run too; retries back off briefly.
  const options = {
    baseUrl,
    rateLimit: { requestsPerSecond: 50, burst: 5 },
    retry: { baseDelayMs: 10, maxDelayMs: 5_000 },
  };
  const soar = createCloudSoarClient({ ...options, token: TOKEN });
  const errors: unknown[] = [];
  const passed: string[] = [];
  const step = async (name: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      throw new Error(
        `step "${name}" failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        { cause: error },
      );
    }
    passed.push(name);
  };

  await step('typed GET', async () => {
    const incident = unwrapFields(
      await orThrow(soar.GET('/incidents/{id}/', { params: { path: { id: IDS.incident } } })),
    );
    check(
      incident.id === IDS.incident && (incident.incidentid as unknown) === 'INSIGHT-26022',
      `unexpected incident ${JSON.stringify(incident).slice(0, 200)}`,
    );
  });

  await step('POST', async () => {
    const note = await orThrow(
      soar.POST('/incidents/{id}/notes/', {
        params: { path: { id: IDS.incident } },
        body: {
          title: 'Runtime check',
          additional_info: '<p>sent from every runtime</p>',
          created_on: new Date(0).toISOString(),
        },
      }),
    );
    check((note as { title?: unknown }).title === 'Runtime check', `the note came back as ${JSON.stringify(note)}`);
  });

  await step('paginate', async () => {
    const ids: number[] = [];
    for await (const row of paginate(soar, '/incidents/search/', { body: { filter: 'Status: Open' }, pageSize: 2 }))
      ids.push(row.id);
    check(JSON.stringify(ids) === '[8508,8507]', `rows ${JSON.stringify(ids)} (a full page, then an empty one)`);
  });

  await step('upload', async () => {
    const uploaded = (await orThrow(
      uploadAttachment(soar, '/incidents/{id}/attachments/', {
        params: { path: { id: IDS.incident } },
        file: new Blob(['bytes from a runtime']),
        fileName: 'report.txt',
        reference: '00',
      }),
    )) as unknown as { file_name: string; size: number; content: string };
    check(
      uploaded.file_name === 'report.txt' && uploaded.content === 'bytes from a runtime',
      `the server read ${JSON.stringify(uploaded)}`,
    );
  });

  await step('typed 404', async () => {
    const result = await soar.GET('/incidents/{id}/', { params: { path: { id: IDS.notFound } } });
    const status = errorOf<operations['incidents_retrieve']>(result)?.status;
    check(status === 404, `status ${status}`);
    // The same with Basic credentials and the throwing style, so both secrets meet an error.
    const basic = createCloudSoarClient({ ...options, accessId: 'runtimeScenarioId', accessKey: ACCESS_KEY });
    const thrown = await orThrow(basic.GET('/incidents/{id}/', { params: { path: { id: IDS.notFound } } })).catch(
      (error: unknown) => error,
    );
    errors.push(thrown);
    check(
      thrown instanceof CloudSoarError && thrown.status === 404 && thrown.operationId === 'incidents_retrieve',
      `thrown ${String(thrown)}`,
    );
  });

  await step('XML middleware', async () => {
    const inXml = createCloudSoarClient({ ...options, token: TOKEN });
    inXml.use(xml);
    const folders = await orThrow(inXml.GET('/folders/'));
    check(
      JSON.stringify(folders) === '[{"id":1,"name":"Incidents"},{"id":4,"name":"CSE-Pending"}]',
      `folders ${JSON.stringify(folders)}`,
    );
  });

  await step('429 with Retry-After waited out', async () => {
    const { data, response } = await soar.GET('/incidents/{id}/', { params: { path: { id: IDS.rateLimited } } });
    check(data?.id === IDS.incident, `status ${response.status}`);
    // Measured by the server; a lower bound only (a loaded machine makes it longer, never shorter). 5 ms for timer rounding.
    const waited = Number(response.headers.get('x-waited-ms'));
    check(
      waited >= RETRY_AFTER_MS - 5,
      `the retry came ${waited} ms after the 429, before its Retry-After of ${RETRY_AFTER_MS} ms`,
    );
  });

  await step('timeout', async () => {
    const impatient = createCloudSoarClient({ ...options, token: TOKEN, timeoutMs: 200, retry: false });
    const error = await impatient
      .GET('/incidents/{id}/', { params: { path: { id: IDS.neverAnswered } } })
      .catch((caught: unknown) => caught);
    errors.push(error);
    check(error instanceof CloudSoarTimeoutError && error.attempts === 1, `got ${String(error)}`);
  });

  await step('no secret in any error', async () => {
    check(errors.length === 2, `${errors.length} errors collected`);
    const basic = btoa(`runtimeScenarioId:${ACCESS_KEY}`);
    for (const error of errors) {
      const shown = [
        String(error),
        (error as Error).stack ?? '',
        JSON.stringify(error),
        JSON.stringify(Object.entries(error as object)),
      ].join('\n');
      for (const secret of [TOKEN, ACCESS_KEY, basic])
        check(!shown.includes(secret), `${(error as Error).name} shows a secret`);
    }
  });
  return passed;
}
