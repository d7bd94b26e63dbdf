// What `npm run reconcile` does: compares a tenant's own API reference (OpenAPI 3.0/3.1 or Swagger
// 2.0, JSON or YAML, as drf-spectacular or Swagger UI serve it) with ours, and proposes the spec/
// edits that would make ours agree (a patch).
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { type Document, isScalar, type Pair, parse, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { UsageError } from '../cli.js';
import { bundleDescription } from '../processes.js';
import { root } from '../repo.js';
import { type Json, OPERATION_METHODS, OpenApiDocument } from '../spec.js';
import {
  type ComparedOperation,
  type Field,
  fieldDifferences,
  loadOurSpec,
  objectFields,
  operationsOf,
  type TableRow,
  typesOf,
} from './drf.js';

/** Larger than any real reference (a tenant's is a few MB); beyond it we refuse rather than stall. */
export const MAX_REFERENCE_BYTES = 25 * 1024 * 1024;

export type ReconcileVerdict = 'confirmed' | 'differs' | 'only-ours' | 'only-theirs';
export type Edit =
  | { kind: 'operationId'; to: string }
  | { kind: 'renameStatus'; from: string; to: string }
  | { kind: 'addField'; where: 'request' | 'response'; name: string; field: Field }
  | { kind: 'removeField'; where: 'request' | 'response'; name: string };
export interface ReconcileEntry extends TableRow {
  theirs: string | null;
  verdict: ReconcileVerdict;
  edits: Edit[];
}
export interface ReconcileReport {
  summary: Record<'operations' | ReconcileVerdict, number>;
  operations: ReconcileEntry[];
}
interface Body {
  fields: Map<string, Field>;
  paginated: boolean;
}
type Operation = ComparedOperation & { successes: Record<string, Body> };

const normalise = (path: string) => path.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '');

/** Reads and parses a reference; every way it can be wrong is a one-line UsageError. */
export async function loadReference(file: string): Promise<Json> {
  let size: number;
  try {
    ({ size } = await stat(file));
  } catch (error) {
    throw new UsageError(
      `reference ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  if (size > MAX_REFERENCE_BYTES)
    throw new UsageError(
      `reference ${file}: ${(size / 1024 / 1024).toFixed(1)} MB is more than the ${MAX_REFERENCE_BYTES / 1024 / 1024} MB a tenant's reference could be; is it the right file?`,
    );
  const text = await readFile(file, 'utf8');
  let document: Json;
  try {
    document = /^\s*[{[]/.test(text) ? JSON.parse(text) : parse(text, { maxAliasCount: 1000 });
  } catch (error) {
    throw new UsageError(
      `reference ${file}: neither JSON nor YAML (${String((error as Error).message).split('\n')[0]})`,
    );
  }
  if (!document || typeof document !== 'object' || Array.isArray(document))
    throw new UsageError(`reference ${file}: not an OpenAPI document (the top level is not an object)`);
  const version = String(document.openapi ?? document.swagger ?? '');
  if (!/^(3\.[01]\.\d+|2\.0)$/.test(version))
    throw new UsageError(
      `reference ${file}: not OpenAPI 3.0/3.1 or Swagger 2.0 (no "openapi: 3.x" or "swagger: 2.0" at the top)`,
    );
  if (!document.paths || typeof document.paths !== 'object' || Object.keys(document.paths).length === 0)
    throw new UsageError(`reference ${file}: has no paths to compare`);
  return document;
}

/** The operations of a reference in the shape `operationsOf` gives ours; Swagger 2.0 read as such. */
function theirOperations(spec: OpenApiDocument): Operation[] {
  const document = spec.document;
  if (!String(document.swagger ?? '').startsWith('2'))
    return operationsOf(spec).map((operation) => ({ ...operation, ...responsesOf(spec, operation.operation, false) }));
  const operations: Operation[] = [];
  for (const { path, method, item, operation } of spec.operations()) {
    if (!OPERATION_METHODS.includes(method)) continue;
    const parameters = spec.parameters(item, operation);
    const body = parameters.find((parameter) => parameter.in === 'body');
    const form = parameters.filter((parameter) => parameter.in === 'formData');
    const fields = body
      ? objectFields(spec, body.schema)
      : new Map(
          form.map((parameter) => [
            parameter.name as string,
            { types: typesOf(spec, parameter), required: Boolean(parameter.required) },
          ]),
        );
    operations.push({
      operationId: operation.operationId ?? null,
      method: method.toUpperCase(),
      path,
      mediaTypes: body || form.length > 0 ? (operation.consumes ?? document.consumes ?? ['application/json']) : [],
      fields,
      hasBody: Boolean(body) || form.length > 0,
      operation,
      item,
      ...responsesOf(spec, operation, true),
    });
  }
  return operations;
}

/** Query parameter names, success statuses and the success body's fields (a Paginated… wrapper unwrapped). */
function responsesOf(spec: OpenApiDocument, operation: Json, swagger: boolean): { successes: Record<string, Body> } {
  const successes: Record<string, Body> = {};
  for (const [status, resolved] of Object.entries(spec.responses(operation))) {
    if (!/^2\d\d$/.test(status)) continue;
    const schema = swagger
      ? resolved?.schema
      : (resolved?.content?.['application/json'] ?? Object.values<Json>(resolved?.content ?? {})[0])?.schema;
    successes[status] = schema ? bodyFields(spec, schema) : { fields: new Map(), paginated: false };
  }
  return { successes };
}

function bodyFields(spec: OpenApiDocument, schema: Json): Body {
  let resolved = spec.deref(schema);
  const properties = resolved?.properties ?? {};
  const paginated = Boolean(properties.results && (properties.count || properties.next));
  if (paginated) resolved = spec.deref(properties.results);
  if (typesOf(spec, resolved).has('array')) resolved = spec.deref(resolved.items);
  return { fields: resolved ? objectFields(spec, resolved) : new Map(), paginated };
}

function queryNames(spec: OpenApiDocument, operation: ComparedOperation): string[] {
  return spec
    .parameters(operation.item, operation.operation)
    .filter((parameter) => parameter?.in === 'query')
    .map((parameter) => parameter.name);
}

/** Compares two documents; returns the report and the edits a patch would make. */
export async function reconcile(ourDocument: Json, theirDocument: Json): Promise<ReconcileReport> {
  const ours = await OpenApiDocument.open(ourDocument);
  const mine: Operation[] = operationsOf(ours).map((operation) => ({
    ...operation,
    ...responsesOf(ours, operation.operation, false),
  }));
  let their: Operation[];
  let theirs: OpenApiDocument;
  try {
    theirs = await OpenApiDocument.open(theirDocument);
    their = theirOperations(theirs);
  } catch (error) {
    throw new UsageError(`reference: ${String((error as Error).message).split('\n')[0]}`);
  }
  const matched = new Set<Operation>();
  // The same spelling first (ours has /webhook and /webhook/), then parameter names and slash aside.
  const partner = (operation: Operation) =>
    their.find((other) => !matched.has(other) && other.method === operation.method && other.path === operation.path) ??
    their.find(
      (other) =>
        !matched.has(other) &&
        other.method === operation.method &&
        normalise(other.path) === normalise(operation.path) &&
        !mine.some((same) => same !== operation && same.method === other.method && same.path === other.path),
    );
  const entries: ReconcileEntry[] = [];
  for (const operation of mine) {
    const other = partner(operation);
    const base = { operationId: operation.operationId, method: operation.method, path: operation.path };
    if (!other) {
      entries.push({ ...base, theirs: null, verdict: 'only-ours', differences: [], edits: [] });
      continue;
    }
    matched.add(other);
    const differences: string[] = [];
    const edits: Edit[] = [];
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
      for (const [name, field] of other.fields)
        if (!operation.fields.has(name)) edits.push({ kind: 'addField', where: 'request', name, field });
      for (const name of operation.fields.keys())
        if (!other.fields.has(name)) edits.push({ kind: 'removeField', where: 'request', name });
    }
    const ourCodes = Object.keys(operation.successes);
    const theirCodes = Object.keys(other.successes);
    for (const code of theirCodes) if (!ourCodes.includes(code)) differences.push(`response ${code}: theirs, not ours`);
    for (const code of ourCodes) if (!theirCodes.includes(code)) differences.push(`response ${code}: ours, not theirs`);
    if (ourCodes.length === 1 && theirCodes.length === 1 && ourCodes[0] !== theirCodes[0])
      edits.push({ kind: 'renameStatus', from: ourCodes[0]!, to: theirCodes[0]! });
    const code =
      theirCodes.find((status) => ourCodes.includes(status)) ??
      (ourCodes.length === 1 && theirCodes.length === 1 ? theirCodes[0] : undefined);
    if (code) {
      const ourBody = operation.successes[ourCodes.includes(code) ? code : ourCodes[0]!]!;
      const theirBody = other.successes[code]!;
      if (theirBody.paginated && !ourBody.paginated)
        differences.push(`response ${code}: theirs is a Paginated… page (count, next, previous, results), ours is not`);
      for (const [name] of theirBody.fields)
        if (!ourBody.fields.has(name)) {
          differences.push(`response field ${name}: theirs, not ours`);
          edits.push({ kind: 'addField', where: 'response', name, field: theirBody.fields.get(name)! });
        }
      for (const name of ourBody.fields.keys())
        if (!theirBody.fields.has(name) && theirBody.fields.size > 0)
          differences.push(`response field ${name}: ours, not theirs`);
    }
    entries.push({
      ...base,
      theirs: other.operationId,
      verdict: differences.length > 0 ? 'differs' : 'confirmed',
      differences,
      edits,
    });
  }
  for (const operation of their) {
    if (!matched.has(operation))
      entries.push({
        operationId: null,
        method: operation.method,
        path: operation.path,
        theirs: operation.operationId,
        verdict: 'only-theirs',
        differences: [],
        edits: [],
      });
  }
  const count = (verdict: ReconcileVerdict) => entries.filter((entry) => entry.verdict === verdict).length;
  return {
    summary: {
      operations: entries.length,
      confirmed: count('confirmed'),
      differs: count('differs'),
      'only-ours': count('only-ours'),
      'only-theirs': count('only-theirs'),
    },
    operations: entries,
  };
}

/** A YAML file of spec/ as an editable document (comments and anchors kept). */
async function editable(files: Map<string, Document>, file: string): Promise<Document> {
  if (!files.has(file)) files.set(file, parseDocument(await readFile(file, 'utf8')));
  return files.get(file)!;
}

/** A map key or sequence item as text. */
const textOf = (node: unknown): string => String(isScalar(node) ? node.value : node);

function refTarget(fromFile: string, node: unknown): string | undefined {
  const ref = (node as YAMLMap | undefined)?.get?.('$ref');
  return typeof ref === 'string' && !ref.startsWith('#') ? resolve(dirname(fromFile), ref) : undefined;
}

/**
 * Applies the report's edits to the spec/ directory `specDir` (a copy). Returns what it could not
 * do, for a maintainer. New fields get a placeholder description and example to be filled in.
 */
export async function applyEdits(report: ReconcileReport, specDir: string): Promise<string[]> {
  const rootFile = join(specDir, 'openapi.yaml');
  const rootDocument = parse(await readFile(rootFile, 'utf8'));
  const files = new Map<string, Document>();
  const leftOver: string[] = [];
  for (const entry of report.operations) {
    if (entry.verdict === 'only-theirs')
      leftOver.push(
        `${entry.method} ${entry.path} (${entry.theirs}): only in their reference; describe it by hand with its evidence`,
      );
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
        const responses = pathDocument.getIn([method, 'responses']) as YAMLMap;
        const pair = responses.items.find((item) => textOf(item.key) === edit.from) as Pair;
        pair.key = pathDocument.createNode(edit.to);
      } else {
        const success = (pathDocument.getIn([method, 'responses']) as YAMLMap).items
          .map((item) => textOf(item.key))
          .find((status) => /^2/.test(status));
        const content = (
          edit.where === 'request'
            ? pathDocument.getIn([method, 'requestBody', 'content'])
            : pathDocument.getIn([method, 'responses', success, 'content'])
        ) as YAMLMap | undefined;
        const media = content?.get?.('application/json') as YAMLMap | undefined;
        const schemaFile = refTarget(pathFile, media?.get?.('schema'));
        if (!schemaFile) {
          leftOver.push(
            `${entry.operationId}: ${edit.where} field ${edit.name}: the schema is not a file under components/schemas/`,
          );
          continue;
        }
        let schemaDocument = await editable(files, schemaFile);
        // A list answer (`type: array`) holds its rows' schema in `items`.
        const itemsFile =
          schemaDocument.get('type') === 'array' ? refTarget(schemaFile, schemaDocument.get('items')) : undefined;
        const targetFile = itemsFile ?? schemaFile;
        schemaDocument = await editable(files, targetFile);
        if (edit.kind === 'addField') {
          const type =
            [...(edit.field.types ?? [])].find(
              (candidate) => candidate !== 'number' || !edit.field.types.has('integer'),
            ) ?? 'string';
          const example = ({ string: 'TODO', integer: 0, number: 0, boolean: false } as Record<string, unknown>)[type];
          const property: Json = {
            type,
            description: 'In the tenant reference (npm run reconcile); describe it and give its evidence.',
          };
          if (example !== undefined) property.examples = [example];
          if (type === 'array') property.items = {};
          schemaDocument.setIn(['properties', edit.name], schemaDocument.createNode(property));
          if (edit.field.required && edit.where === 'request') {
            const required = (schemaDocument.get('required') ?? schemaDocument.createNode([])) as YAMLSeq;
            required.add(edit.name);
            schemaDocument.set('required', required);
          }
        } else if (edit.kind === 'removeField') {
          schemaDocument.deleteIn(['properties', edit.name]);
          const required = schemaDocument.get('required') as YAMLSeq | undefined;
          if (required?.items) required.items = required.items.filter((item) => textOf(item) !== edit.name);
          // The operation's examples must not keep the field either.
          for (const example of (media?.get('examples') as YAMLMap | undefined)?.items ?? []) {
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
export async function proposePatch(
  report: ReconcileReport,
  specDir = join(root, 'spec'),
): Promise<{ patch: string; leftOver: string[] }> {
  const work = await mkdtemp(join(tmpdir(), 'cloudsoar-reconcile-'));
  try {
    await cp(specDir, join(work, 'a', 'spec'), { recursive: true });
    await cp(specDir, join(work, 'b', 'spec'), { recursive: true });
    const leftOver = await applyEdits(report, join(work, 'b', 'spec'));
    // Exit code 1: there are differences. The directories are a/spec and b/spec: git apply's usual -p1.
    const diff = await execa('git', ['diff', '--no-index', '--no-color', '--no-prefix', 'a/spec', 'b/spec'], {
      cwd: work,
      reject: false,
      stripFinalNewline: false,
    });
    if (diff.exitCode !== 0 && diff.exitCode !== 1) throw new Error(`git diff failed: ${diff.stderr}`);
    return { patch: diff.stdout, leftOver };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Our description: the bundled one, or `file` (bundled with Redocly first when it is multi-file). */
export async function loadOurs(file?: string): Promise<Json> {
  if (!file) return loadOurSpec();
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--spec ${file}: cannot read it (${error.code ?? error.message})`);
  });
  if (!/\$ref:\s*['"]?[^'"#\s]/.test(text)) return parse(text);
  // A multi-file spec: bundle it with Redocly, as npm run generate does.
  return bundleDescription(file);
}
