// `npm run reconcile -- <reference>`: compares a tenant's own API reference (OpenAPI 3.0/3.1 or
// Swagger 2.0, JSON or YAML, as drf-spectacular or Swagger UI serve it) with ours, and proposes the
// spec/ edits that would make ours agree (a patch). See `npm run reconcile -- --help`.
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseCliArgs, runCli, UsageError } from '../tools/kit/cli.js';
import { writeRecord } from '../tools/kit/evidence-records.js';
import { table } from '../tools/kit/probe/drf.js';
import { loadOurs, loadReference, proposePatch, reconcile } from '../tools/kit/probe/reconcile.js';
import { impactOfPatch } from '../tools/kit/release/patch-impact.js';
import { root } from '../tools/kit/repo.js';

const HELP = `npm run reconcile -- <reference> [--json] [--record FILE] [--patch FILE] [--spec FILE]

Compares a tenant's own API reference with this project's description. <reference> is the file the
tenant's API documentation page serves (OpenAPI 3.0/3.1 or Swagger 2.0, JSON or YAML; e.g. save
.../api/schema/ or the Swagger UI's JSON). Operations are matched by method and path template
(parameter names and a missing trailing slash do not matter); then operationId, query parameters,
request fields, success status codes and response fields are compared. Verdicts:
  confirmed    both describe it alike      differs      both have it, details differ
  only-ours    not in their reference       only-theirs  not in ours

Options:
  --json         print {"summary": {...}, "operations": [{..., "theirs": <their operationId>}]}
  --patch FILE   write the proposed change set: a patch of spec/ (git apply FILE) that renames
                 operationIds, adds/removes request and response fields and renames success codes
                 as their reference has them; the rest is listed for a maintainer. Also says
                 which version bump applying it implies (the release gate's classification)
  --record FILE  write an anonymised observation record (see spec/evidence/README.md)
  --spec FILE    our description to compare (default generated/openapi.yaml; a multi-file
                 spec/openapi.yaml is bundled first)
  --help         this text

Exit codes: 0 nothing differs, 1 differences found, 2 bad input (one line on stderr).`;

async function main(argv: string[]): Promise<number> {
  const { values: options, positionals } = parseCliArgs(
    {
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        record: { type: 'string' },
        patch: { type: 'string' },
        spec: { type: 'string' },
        help: { type: 'boolean' },
      },
    },
    'reconcile',
  );
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError('reconcile needs exactly one <reference> file. See npm run reconcile -- --help');
  const theirs = await loadReference(positionals[0]!);
  const report = await reconcile(await loadOurs(options.spec), theirs);
  const printable = {
    summary: report.summary,
    operations: report.operations.map(({ edits: _edits, ...entry }) => entry),
  };
  console.log(options.json ? JSON.stringify(printable, null, 2) : table(printable));
  if (options.patch) {
    const specDir = options.spec ? dirname(resolve(options.spec)) : join(root, 'spec');
    const { patch, leftOver } = await proposePatch(report, specDir);
    await writeFile(options.patch, patch);
    console.error(
      `wrote ${options.patch}: ${patch === '' ? 'no edits' : 'git apply it, then npm run generate'}${leftOver.length ? `; left for a maintainer:\n  ${leftOver.join('\n  ')}` : ''}`,
    );
    // The gate's classification of the same edits: which version bump applying them implies.
    if (patch !== '') console.error((await impactOfPatch(patch, specDir)).summary);
  }
  if (options.record) await writeRecord(options.record, 'reconcile', printable.operations);
  return report.summary.differs + report.summary['only-ours'] + report.summary['only-theirs'] > 0 ? 1 : 0;
}

await runCli(main);
