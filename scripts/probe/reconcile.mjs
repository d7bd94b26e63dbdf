#!/usr/bin/env node
// `npm run reconcile -- <reference>`: compares a tenant's own API reference (OpenAPI 3.0/3.1 or
// Swagger 2.0, JSON or YAML, as drf-spectacular or Swagger UI serve it) with ours, and proposes the
// spec/ edits that would make ours agree (a patch). See `npm run reconcile -- --help`.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parse, parseDocument } from 'yaml';
import { deref } from '../lib/spec.ts';
import { root, runTool } from '../lib/tools.mjs';
import { fieldDifferences, loadOurSpec, objectFields, operationsOf, runCli, table, typesOf, UsageError, writeRecord } from './shared.mjs';

/** Larger than any real reference (a tenant's is a few MB); beyond it we refuse rather than stall. */
export const MAX_REFERENCE_BYTES = 25 * 1024 * 1024;

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

const normalise = (path) => path.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '');

/** Reads and parses a reference; every way it can be wrong is a one-line UsageError. */
export async function loadReference(file) {
  let size;
  try {
    ({ size } = await stat(file));
  } catch (error) {
    throw new UsageError(`reference ${file}: cannot read it (${error.code ?? error.message})`);
  }
  if (size > MAX_REFERENCE_BYTES) throw new UsageError(`reference ${file}: ${(size / 1024 / 1024).toFixed(1)} MB is more than the ${MAX_REFERENCE_BYTES / 1024 / 1024} MB a tenant's reference could be; is it the right file?`);
  const text = await readFile(file, 'utf8');
  let document;
  try {
    document = /^\s*[{[]/.test(text) ? JSON.parse(text) : parse(text, { maxAliasCount: 1000 });
  } catch (error) {
    throw new UsageError(`reference ${file}: neither JSON nor YAML (${String(error.message).split('\n')[0]})`);
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) throw new UsageError(`reference ${file}: not an OpenAPI document (the top level is not an object)`);
  const version = String(document.openapi ?? document.swagger ?? '');
  if (!/^(3\.[01]\.\d+|2\.0)$/.test(version)) throw new UsageError(`reference ${file}: not OpenAPI 3.0/3.1 or Swagger 2.0 (no "openapi: 3.x" or "swagger: 2.0" at the top)`);
  if (!document.paths || typeof document.paths !== 'object' || Object.keys(document.paths).length === 0) throw new UsageError(`reference ${file}: has no paths to compare`);
  return document;
}

/** The operations of a reference in the shape `operationsOf` gives ours; Swagger 2.0 read as such. */
function theirOperations(document) {
  if (!String(document.swagger ?? '').startsWith('2')) return operationsOf(document).map((operation) => ({ ...operation, ...responsesOf(document, operation.operation, false) }));
  const operations = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((parameter) => deref(document, parameter));
      const body = parameters.find((parameter) => parameter.in === 'body');
      const form = parameters.filter((parameter) => parameter.in === 'formData');
      const fields = body ? objectFields(document, body.schema) : new Map(form.map((parameter) => [parameter.name, { types: typesOf(document, parameter), required: Boolean(parameter.required) }]));
      operations.push({
        operationId: operation.operationId ?? null,
        method: method.toUpperCase(),
        path,
        mediaTypes: body || form.length > 0 ? (operation.consumes ?? document.consumes ?? ['application/json']) : [],
        fields,
        hasBody: Boolean(body) || form.length > 0,
        operation,
        item,
        ...responsesOf(document, operation, true),
      });
    }
  }
  return operations;
}

/** Query parameter names, success statuses and the success body's fields (a Paginated… wrapper unwrapped). */
function responsesOf(document, operation, swagger) {
  const successes = {};
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    if (!/^2\d\d$/.test(status)) continue;
    const resolved = deref(document, response);
    const schema = swagger ? resolved?.schema : (resolved?.content?.['application/json'] ?? Object.values(resolved?.content ?? {})[0])?.schema;
    successes[status] = schema ? bodyFields(document, schema) : { fields: new Map(), paginated: false };
  }
  return { successes };
}

function bodyFields(document, schema) {
  let resolved = deref(document, schema);
  const properties = resolved?.properties ?? {};
  const paginated = Boolean(properties.results && (properties.count || properties.next));
  if (paginated) resolved = deref(document, properties.results);
  if (typesOf(document, resolved).has('array')) resolved = deref(document, resolved.items);
  return { fields: resolved ? objectFields(document, resolved) : new Map(), paginated };
}

function queryNames(document, operation) {
  return [...(operation.item.parameters ?? []), ...(operation.operation.parameters ?? [])]
    .map((parameter) => deref(document, parameter))
    .filter((parameter) => parameter?.in === 'query')
    .map((parameter) => parameter.name);
}

/** Compares two documents; returns the report and the edits a patch would make. */
export function reconcile(ours, theirs) {
  const mine = operationsOf(ours).map((operation) => ({ ...operation, ...responsesOf(ours, operation.operation, false) }));
  let their;
  try {
    their = theirOperations(theirs);
  } catch (error) {
    throw new UsageError(`reference: ${String(error.message).split('\n')[0]}`);
  }
  const matched = new Set();
  // The same spelling first (ours has /webhook and /webhook/), then parameter names and slash aside.
  const partner = (operation) =>
    their.find((other) => !matched.has(other) && other.method === operation.method && other.path === operation.path) ??
    their.find((other) => !matched.has(other) && other.method === operation.method && normalise(other.path) === normalise(operation.path) && !mine.some((same) => same !== operation && same.method === other.method && same.path === other.path));
  const entries = [];
  for (const operation of mine) {
    const other = partner(operation);
    const base = { operationId: operation.operationId, method: operation.method, path: operation.path };
    if (!other) {
      entries.push({ ...base, theirs: null, verdict: 'only-ours', differences: [], edits: [] });
      continue;
    }
    matched.add(other);
    const differences = [];
    const edits = [];
    if (other.operationId && other.operationId !== operation.operationId) {
      differences.push(`operationId: ${other.operationId} theirs, ${operation.operationId} ours`);
      edits.push({ kind: 'operationId', to: other.operationId });
    }
    const ourQuery = queryNames(ours, operation);
    const theirQuery = queryNames(theirs, other);
    for (const name of theirQuery) if (!ourQuery.includes(name)) differences.push(`query ${name}: theirs, not ours`);
    for (const name of ourQuery) if (!theirQuery.includes(name)) differences.push(`query ${name}: ours, not theirs`);
    if (operation.hasBody || other.hasBody) {
      const found = fieldDifferences(operation.fields, other.fields);
      differences.push(...found);
      for (const [name, field] of other.fields) if (!operation.fields.has(name)) edits.push({ kind: 'addField', where: 'request', name, field });
      for (const name of operation.fields.keys()) if (!other.fields.has(name)) edits.push({ kind: 'removeField', where: 'request', name });
    }
    const ourCodes = Object.keys(operation.successes);
    const theirCodes = Object.keys(other.successes);
    for (const code of theirCodes) if (!ourCodes.includes(code)) differences.push(`response ${code}: theirs, not ours`);
    for (const code of ourCodes) if (!theirCodes.includes(code)) differences.push(`response ${code}: ours, not theirs`);
    if (ourCodes.length === 1 && theirCodes.length === 1 && ourCodes[0] !== theirCodes[0]) edits.push({ kind: 'renameStatus', from: ourCodes[0], to: theirCodes[0] });
    const code = theirCodes.find((status) => ourCodes.includes(status)) ?? (ourCodes.length === 1 && theirCodes.length === 1 ? theirCodes[0] : undefined);
    if (code) {
      const ourBody = operation.successes[ourCodes.includes(code) ? code : ourCodes[0]];
      const theirBody = other.successes[code];
      if (theirBody.paginated && !ourBody.paginated) differences.push(`response ${code}: theirs is a Paginated… page (count, next, previous, results), ours is not`);
      for (const [name] of theirBody.fields) if (!ourBody.fields.has(name)) {
        differences.push(`response field ${name}: theirs, not ours`);
        edits.push({ kind: 'addField', where: 'response', name, field: theirBody.fields.get(name) });
      }
      for (const name of ourBody.fields.keys()) if (!theirBody.fields.has(name) && theirBody.fields.size > 0) differences.push(`response field ${name}: ours, not theirs`);
    }
    entries.push({ ...base, theirs: other.operationId, verdict: differences.length > 0 ? 'differs' : 'confirmed', differences, edits });
  }
  for (const operation of their) {
    if (!matched.has(operation)) entries.push({ operationId: null, method: operation.method, path: operation.path, theirs: operation.operationId, verdict: 'only-theirs', differences: [], edits: [] });
  }
  const count = (verdict) => entries.filter((entry) => entry.verdict === verdict).length;
  return {
    summary: { operations: entries.length, confirmed: count('confirmed'), differs: count('differs'), 'only-ours': count('only-ours'), 'only-theirs': count('only-theirs') },
    operations: entries,
  };
}

/** A YAML file of spec/ as an editable document (comments and anchors kept). */
async function editable(files, file) {
  if (!files.has(file)) files.set(file, parseDocument(await readFile(file, 'utf8')));
  return files.get(file);
}

function refTarget(fromFile, node) {
  const ref = node?.get?.('$ref');
  return typeof ref === 'string' && !ref.startsWith('#') ? resolve(dirname(fromFile), ref) : undefined;
}

/**
 * Applies the report's edits to the spec/ directory `specDir` (a copy). Returns what it could not
 * do, for a maintainer. New fields get a placeholder description and example to be filled in.
 */
export async function applyEdits(report, specDir) {
  const rootFile = join(specDir, 'openapi.yaml');
  const rootDocument = parse(await readFile(rootFile, 'utf8'));
  const files = new Map();
  const leftOver = [];
  for (const entry of report.operations) {
    if (entry.verdict === 'only-theirs') leftOver.push(`${entry.method} ${entry.path} (${entry.theirs}): only in their reference; describe it by hand with its evidence`);
    if (!entry.edits?.length) continue;
    const itemRef = rootDocument.paths?.[entry.path]?.$ref;
    if (!itemRef) {
      leftOver.push(`${entry.operationId}: its path item is not a file under paths/`);
      continue;
    }
    const pathFile = resolve(specDir, itemRef);
    const pathDocument = await editable(files, pathFile);
    const method = entry.method.toLowerCase();
    for (const edit of entry.edits) {
      if (edit.kind === 'operationId') pathDocument.setIn([method, 'operationId'], edit.to);
      else if (edit.kind === 'renameStatus') {
        const responses = pathDocument.getIn([method, 'responses']);
        const pair = responses.items.find((item) => String(item.key.value ?? item.key) === edit.from);
        pair.key = pathDocument.createNode(edit.to);
      } else {
        const content = edit.where === 'request' ? pathDocument.getIn([method, 'requestBody', 'content']) : pathDocument.getIn([method, 'responses', ...[...pathDocument.getIn([method, 'responses']).items].filter((item) => /^2/.test(String(item.key.value ?? item.key))).slice(0, 1).map((item) => String(item.key.value ?? item.key)), 'content']);
        const media = content?.get?.('application/json');
        const schemaFile = refTarget(pathFile, media?.get?.('schema'));
        if (!schemaFile) {
          leftOver.push(`${entry.operationId}: ${edit.where} field ${edit.name}: the schema is not a file under components/schemas/`);
          continue;
        }
        let schemaDocument = await editable(files, schemaFile);
        // A list answer (`type: array`) holds its rows' schema in `items`.
        const itemsFile = schemaDocument.get('type') === 'array' ? refTarget(schemaFile, schemaDocument.get('items')) : undefined;
        const targetFile = itemsFile ?? schemaFile;
        schemaDocument = await editable(files, targetFile);
        if (edit.kind === 'addField') {
          const type = [...(edit.field.types ?? [])].find((candidate) => candidate !== 'number' || !edit.field.types.has('integer')) ?? 'string';
          const example = { string: 'TODO', integer: 0, number: 0, boolean: false }[type];
          const property = { type, description: 'In the tenant reference (npm run reconcile); describe it and give its evidence.' };
          if (example !== undefined) property.examples = [example];
          if (type === 'array') property.items = {};
          schemaDocument.setIn(['properties', edit.name], schemaDocument.createNode(property));
          if (edit.field.required && edit.where === 'request') {
            const required = schemaDocument.get('required') ?? schemaDocument.createNode([]);
            required.add?.(edit.name);
            schemaDocument.set('required', required);
          }
        } else if (edit.kind === 'removeField') {
          schemaDocument.deleteIn(['properties', edit.name]);
          const required = schemaDocument.get('required');
          if (required?.items) required.items = required.items.filter((item) => String(item.value ?? item) !== edit.name);
          // The operation's examples must not keep the field either.
          for (const example of media.get('examples')?.items ?? []) {
            const exampleFile = refTarget(pathFile, example.value);
            if (exampleFile) (await editable(files, exampleFile)).deleteIn(['value', edit.name]);
          }
        }
      }
    }
  }
  for (const [file, document] of files) await writeFile(file, document.toString({ lineWidth: 0 }));
  return leftOver;
}

/** The change set as a patch of spec/ (`git apply` in the repository root). */
export async function proposePatch(report, specDir = join(root, 'spec')) {
  const work = await mkdtemp(join(tmpdir(), 'cloudsoar-reconcile-'));
  try {
    await cp(specDir, join(work, 'a', 'spec'), { recursive: true });
    await cp(specDir, join(work, 'b', 'spec'), { recursive: true });
    const leftOver = await applyEdits(report, join(work, 'b', 'spec'));
    let patch = '';
    try {
      await promisify(execFile)('git', ['diff', '--no-index', '--no-color', '--no-prefix', 'a/spec', 'b/spec'], { cwd: work, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      if (error.code !== 1) throw error; // 1: there are differences
      patch = error.stdout; // the directories are a/spec and b/spec: git apply's usual -p1
    }
    return { patch, leftOver };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Our description: the bundled one, or `file` (bundled with Redocly first when it is multi-file). */
export async function loadOurs(file) {
  if (!file) return loadOurSpec();
  const text = await readFile(file, 'utf8').catch((error) => {
    throw new UsageError(`--spec ${file}: cannot read it (${error.code ?? error.message})`);
  });
  if (!/\$ref:\s*['"]?[^'"#\s]/.test(text)) return parse(text);
  // A multi-file spec: bundle it with Redocly, as npm run generate does.
  const work = await mkdtemp(join(tmpdir(), 'cloudsoar-reconcile-'));
  try {
    const out = join(work, 'openapi.yaml');
    await runTool('redocly', ['bundle', resolve(file), '--output', out, '--lint-config', 'off']);
    return parse(await readFile(out, 'utf8'));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' }, record: { type: 'string' }, patch: { type: 'string' }, spec: { type: 'string' }, help: { type: 'boolean' } } });
  } catch (error) {
    throw new UsageError(`${error.message}. See npm run reconcile -- --help`);
  }
  const { values: options, positionals } = parsed;
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('reconcile needs exactly one <reference> file. See npm run reconcile -- --help');
  const theirs = await loadReference(positionals[0]);
  const report = reconcile(await loadOurs(options.spec), theirs);
  const printable = { summary: report.summary, operations: report.operations.map(({ edits: _edits, ...entry }) => entry) };
  console.log(options.json ? JSON.stringify(printable, null, 2) : table(printable));
  if (options.patch) {
    const specDir = options.spec ? dirname(resolve(options.spec)) : join(root, 'spec');
    const { patch, leftOver } = await proposePatch(report, specDir);
    await writeFile(options.patch, patch);
    console.error(`wrote ${options.patch}: ${patch === '' ? 'no edits' : 'git apply it, then npm run generate'}${leftOver.length ? `; left for a maintainer:\n  ${leftOver.join('\n  ')}` : ''}`);
    if (patch !== '') {
      // The gate's classification of the same edits: which version bump applying them implies.
      const { impactOfPatch } = await import('../release/patch-impact.ts');
      console.error((await impactOfPatch(patch, specDir)).summary);
    }
  }
  if (options.record) await writeRecord(options.record, 'reconcile', printable.operations);
  return report.summary.differs + report.summary['only-ours'] + report.summary['only-theirs'] > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runCli(main);
