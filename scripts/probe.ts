// `npm run probe`: asks a real tenant, with OPTIONS only, what each path of the spec allows, which
// request media types it parses and which input fields it takes (Django REST Framework's metadata),
// and compares that with the spec. OPTIONS writes nothing. See `npm run probe -- --help`.
import { parseCliArgs, redact, runCli, UsageError } from '../tools/kit/cli.js';
import { writeRecord } from '../tools/kit/evidence-records.js';
import { loadOurSpec, table } from '../tools/kit/probe/drf.js';
import { type ProbeReport, probe, RefusalError } from '../tools/kit/probe/probe.js';
import { type Tenant, tenantFromEnv } from '../tools/kit/tenant.js';

const HELP = `npm run probe -- [--ids name=value,...] [--json] [--record FILE] [--spec FILE]

Sends only OPTIONS requests (never another method, nothing is written) to every path of the spec,
at most 4 a second, and compares the tenant's answer (Allow, and Django REST Framework's metadata:
"parses" and "actions") with the spec. Verdict per operation:
  confirmed  the method is allowed and media types and input fields match
  differs    allowed, but media types or fields differ (listed below it)
  refuted    the tenant does not allow the method on that path
  unknown    no answer to judge by (404: the path or the id in it may not exist; 405; no Allow;
             no metadata for an operation with a body)

Tenant, as for npm run test:live:
  CLOUDSOAR_BASE_URL  the base up to /v3, e.g. https://api.us2.sumologic.com/api/csoar/v3
  CLOUDSOAR_TOKEN     (Bearer), or CLOUDSOAR_ACCESS_ID and CLOUDSOAR_ACCESS_KEY (Basic)

Options:
  --ids name=value,...  values for path ids (e.g. id=8508,user_id=12); else the spec's examples
  --json                print {"summary": {...}, "operations": [...]} instead of the table
  --record FILE         write an anonymised observation record (no host, ids, token or names)
                        to FILE; commit it under spec/evidence/ to raise the grades it confirms
  --spec FILE           the description to compare (default: generated/openapi.yaml)
  --help                this text

Exit codes: 0 all confirmed or unknown, 1 something differs or is refuted, 2 bad input or refusal.`;

function parseIds(text: string | undefined): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const pair of (text ?? '').split(',').filter(Boolean)) {
    const match = /^(\w+)=([^=]+)$/.exec(pair.trim());
    if (!match)
      throw new UsageError(`--ids: expected name=value pairs separated by commas, got ${JSON.stringify(pair)}`);
    ids[match[1]!] = match[2]!;
  }
  return ids;
}

async function main(argv: string[]): Promise<number> {
  const { values: options } = parseCliArgs(
    {
      args: argv,
      options: {
        ids: { type: 'string' },
        json: { type: 'boolean' },
        record: { type: 'string' },
        spec: { type: 'string' },
        help: { type: 'boolean' },
      },
    },
    'probe',
  );
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  let tenant: Tenant | undefined;
  try {
    tenant = tenantFromEnv();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!tenant)
    throw new UsageError(
      'probe needs CLOUDSOAR_BASE_URL and CLOUDSOAR_TOKEN (or CLOUDSOAR_ACCESS_ID and CLOUDSOAR_ACCESS_KEY). See npm run probe -- --help',
    );
  const { host, hostname } = new URL(tenant.baseUrl);
  const secrets = [
    tenant.authorization,
    tenant.authorization.split(' ')[1],
    host,
    hostname,
    process.env.CLOUDSOAR_TOKEN,
    process.env.CLOUDSOAR_ACCESS_ID,
    process.env.CLOUDSOAR_ACCESS_KEY,
  ];
  const ids = parseIds(options.ids);
  let report: ProbeReport;
  try {
    report = await probe({
      document: await loadOurSpec(options.spec),
      baseUrl: tenant.baseUrl,
      authorization: tenant.authorization,
      ids,
    });
  } catch (error) {
    if (error instanceof RefusalError || error instanceof UsageError)
      throw new UsageError(redact(error.message, secrets));
    // A network failure names the host; say what failed without it.
    const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
    throw new UsageError(
      `probe: the tenant could not be reached (${redact(cause?.code ?? cause?.errors?.[0]?.code ?? (error as Error).message, secrets)})`,
    );
  }
  // Id values never leave: the report names path templates only.
  console.log(redact(options.json ? JSON.stringify(report, null, 2) : table(report), secrets));
  if (options.record) await writeRecord(options.record, 'probe', report.operations);
  return report.summary.differs + report.summary.refuted > 0 ? 1 : 0;
}

await runCli(main);
