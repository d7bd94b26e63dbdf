// Runs on the Node 24 of this package (type stripping): the tools adopters reached for next, on a
// bundled description (issue 20). Two groups, so `scripts/portability.ts` can run them on both cores:
//   generators: kubb (plugin-oas/ts/zod/client) and openapi-zod-client generate, and one strict
//               TypeScript program compiles both outputs; the zod-client module is imported and
//               parses every JSON example of a body whose schema is a component.
//   readers:    Postman's converter (default options: one request per operation), a YAML 1.1 load
//               (what PyYAML's safe_load reads must equal the YAML 1.2 reading), Scalar's document
//               validation, openapi-backend validating every JSON example answer.
// Usage: check-adopters.ts <openapi.yaml> <work dir inside this package> generators|readers.
// Prints one JSON line: {tool: {ok, detail, seconds}}.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { HTTP_METHODS } from '../../src/operation-ids.ts';

type Verdict = { ok: boolean; detail: string; seconds: number };
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Document = { paths: Record<string, Record<string, Json>>; components: Record<string, Record<string, Json>> };

const [inputArg, workArg, group] = process.argv.slice(2);
if (!inputArg || !workArg || (group !== 'generators' && group !== 'readers')) {
  console.error('usage: check-adopters.ts <openapi.yaml> <work dir> generators|readers');
  process.exit(2);
}
const input = resolve(inputArg);
const work = resolve(workArg);
// kubb writes part of its output relative to the working directory, whatever `root` says.
mkdirSync(work, { recursive: true });
process.chdir(work);
const text = readFileSync(input, 'utf8');
const document = parse(text) as Document;
// The client's method list (Node strips the types of a .ts import as it does this file's).
const METHODS = HTTP_METHODS.map((method) => method.toLowerCase());

const firstLines = (value: unknown, count = 12): string => String(value).split('\n').slice(0, count).join('\n');

async function verdict(run: () => Promise<string | undefined>): Promise<Verdict> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  try {
    return { ok: true, detail: (await run()) ?? '', seconds: seconds() };
  } catch (error) {
    return { ok: false, detail: firstLines(error instanceof Error ? error.message : error), seconds: seconds() };
  }
}

/** Tools that talk on the console (timings, "unknown format" notes) are quiet; what they warn is kept. */
async function quietly<T>(run: () => Promise<T>): Promise<{ result: T; warnings: unknown[][] }> {
  const saved = { log: console.log, info: console.info, warn: console.warn, debug: console.debug };
  const warnings: unknown[][] = [];
  console.log = console.info = console.debug = () => {};
  console.warn = (...args: unknown[]) => warnings.push(args);
  try {
    return { result: await run(), warnings };
  } finally {
    Object.assign(console, saved);
  }
}

function resolveRef(node: Json | undefined): Json | undefined {
  if (node && typeof node === 'object' && !Array.isArray(node) && typeof node.$ref === 'string') {
    return node.$ref
      .split('/')
      .slice(1)
      .reduce<Json | undefined>(
        (at, key) => (at as Record<string, Json> | undefined)?.[key.replaceAll('~1', '/').replaceAll('~0', '~')],
        document as unknown as Json,
      );
  }
  return node;
}

type Operation = { id: string; path: string; method: string; operation: Record<string, Json> };
function operations(): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method] as Record<string, Json>;
      return { id: String(operation.operationId), path, method, operation };
    }),
  );
}

/** Every named JSON example of a request body or response: its value, the schema's component name and where it is. */
function jsonExamples(): { value: Json; component?: string; status?: number; operationId: string; where: string }[] {
  const found: { value: Json; component?: string; status?: number; operationId: string; where: string }[] = [];
  for (const { id, operation } of operations()) {
    const owners: [string, Json | undefined, number | undefined][] = [['request', operation.requestBody, undefined]];
    for (const [status, response] of Object.entries((operation.responses as Record<string, Json>) ?? {}))
      owners.push([status, response, Number(status)]);
    for (const [where, owner, status] of owners) {
      const media = (
        (resolveRef(owner) as Record<string, Json> | undefined)?.content as
          | Record<string, Record<string, Json>>
          | undefined
      )?.['application/json'];
      if (!media) continue;
      const ref = (media.schema as Record<string, Json> | undefined)?.$ref;
      const component =
        typeof ref === 'string' && ref.startsWith('#/components/schemas/')
          ? ref.slice('#/components/schemas/'.length)
          : undefined;
      for (const [name, example] of Object.entries((media.examples as Record<string, Json>) ?? {})) {
        const value = (resolveRef(example) as Record<string, Json>).value;
        if (value !== undefined)
          found.push({ value, component, status, operationId: id, where: `${id} ${where} ${name}` });
      }
    }
  }
  return found;
}

// ---------- generators ----------

async function generators(): Promise<Record<string, Verdict>> {
  const ts = (await import('typescript')).default;
  const kubbOut = join(work, 'kubb');
  const zodClientFile = join(work, 'zod-client', 'client.ts');
  const kubb = await verdict(async () => {
    const { build, defineConfig } = await import('@kubb/core');
    const { pluginOas } = await import('@kubb/plugin-oas');
    const { pluginTs } = await import('@kubb/plugin-ts');
    const { pluginZod } = await import('@kubb/plugin-zod');
    const { pluginClient } = await import('@kubb/plugin-client');
    const config = defineConfig({
      root: work,
      input: { path: input },
      output: { path: kubbOut, clean: true },
      plugins: [pluginOas(), pluginTs(), pluginZod(), pluginClient({ client: 'fetch' })],
    });
    await quietly(() => build({ config } as Parameters<typeof build>[0]));
    return undefined;
  });
  const zodClient = await verdict(async () => {
    const { generateZodClientFromOpenAPI } = await import('openapi-zod-client');
    mkdirSync(join(work, 'zod-client'), { recursive: true });
    await quietly(() =>
      generateZodClientFromOpenAPI({ openApiDoc: structuredClone(document) as never, distPath: zodClientFile }),
    );
    return undefined;
  });
  // One strict program for both outputs: what an adopter's project compiles (skipLibCheck, as most do).
  const kubbFiles = kubb.ok
    ? readdirSync(kubbOut, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .map((file) => join(kubbOut, file))
    : [];
  const started = performance.now();
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    allowImportingTsExtensions: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
  };
  const diagnostics = ts.getPreEmitDiagnostics(
    ts.createProgram([...kubbFiles, ...(zodClient.ok ? [zodClientFile] : [])], options),
  );
  const tscSeconds = Math.round((performance.now() - started) / 100) / 10;
  const format = (list: readonly import('typescript').Diagnostic[]) =>
    ts.formatDiagnostics(list.slice(0, 10), {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => work,
      getNewLine: () => '\n',
    });
  const inKubb = diagnostics.filter((diagnostic) => diagnostic.file?.fileName.startsWith(kubbOut));
  const inZodClient = diagnostics.filter((diagnostic) => !diagnostic.file?.fileName.startsWith(kubbOut));
  const results: Record<string, Verdict> = {};
  results.kubb =
    kubb.ok && inKubb.length === 0
      ? { ok: true, detail: `${kubbFiles.length} files`, seconds: kubb.seconds }
      : { ok: false, detail: kubb.ok ? format(inKubb) : kubb.detail, seconds: kubb.seconds };
  results['openapi-zod-client'] =
    !zodClient.ok || inZodClient.length > 0
      ? { ok: false, detail: zodClient.ok ? format(inZodClient) : zodClient.detail, seconds: zodClient.seconds }
      : await verdict(async () => {
          const javascript = ts.transpileModule(readFileSync(zodClientFile, 'utf8'), {
            compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
          }).outputText;
          const moduleFile = join(work, 'zod-client', 'client.mjs');
          writeFileSync(moduleFile, javascript);
          const { schemas } = (await import(pathToFileURL(moduleFile).href)) as {
            schemas: Record<string, { safeParse(value: unknown): { success: boolean; error?: { message: string } } }>;
          };
          const examples = jsonExamples().filter(
            (example) => example.component !== undefined && schemas[example.component],
          );
          const failed = examples
            .map((example) => ({ example, result: schemas[example.component!]!.safeParse(example.value) }))
            .filter(({ result }) => !result.success);
          if (failed.length > 0)
            throw new Error(
              failed
                .slice(0, 5)
                .map(({ example, result }) => `${example.where}: ${firstLines(result.error?.message, 4)}`)
                .join('\n'),
            );
          return `${examples.length} examples parsed`;
        });
  results['openapi-zod-client'].seconds =
    Math.round((results['openapi-zod-client'].seconds + zodClient.seconds) * 10) / 10;
  results['tsc (both, strict)'] = { ok: true, detail: '', seconds: tscSeconds };
  return results;
}

// ---------- readers ----------

async function readers(): Promise<Record<string, Verdict>> {
  const operationCount = operations().length;
  return {
    postman: await verdict(async () => {
      const { default: Converter } = await import('openapi-to-postmanv2');
      // The CLI's interface (convertV2) with default options, as `openapi2postmanv2 -s` runs it.
      const collection = await new Promise<{ item: Json[] }>((done, fail) =>
        Converter.convertV2({ type: 'string', data: text }, {}, (error, result) =>
          error || !result?.result
            ? fail(new Error(error?.message ?? result?.reason))
            : done(result.output?.[0]?.data as unknown as { item: Json[] }),
        ),
      );
      let requests = 0;
      const walk = (items: Json[]): void => {
        for (const item of items) {
          if (Array.isArray((item as Record<string, Json>).item)) walk((item as Record<string, Json[]>).item!);
          else requests++;
        }
      };
      walk(collection.item);
      if (requests !== operationCount)
        throw new Error(
          `${requests} requests for ${operationCount} operations (paths that differ only by a trailing slash collide)`,
        );
      return `${requests} requests`;
    }),
    'yaml 1.1': await verdict(async () => {
      const yaml11 = parse(text, { version: '1.1' }) as Json;
      const differences: string[] = [];
      const compare = (a: Json, b: Json, at: string) => {
        if (differences.length >= 5 || isDeepStrictEqual(a, b)) return;
        if (a && b && typeof a === 'object' && typeof b === 'object')
          for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
            compare((a as Record<string, Json>)[key]!, (b as Record<string, Json>)[key]!, `${at}/${key}`);
        else
          differences.push(
            `${at}: ${JSON.stringify(a)} read as ${String(b)} (${typeof b}${b instanceof Date ? ', a date' : ''})`,
          );
      };
      compare(document as unknown as Json, yaml11, '#');
      if (differences.length > 0)
        throw new Error(
          `a YAML 1.1 reader (PyYAML safe_load) reads these differently; quote them:\n${differences.join('\n')}`,
        );
      return undefined;
    }),
    scalar: await verdict(async () => {
      const { createWorkspaceStore } = await import('@scalar/workspace-store/client');
      const { warnings } = await quietly(() =>
        createWorkspaceStore().addDocument({ name: 'cloudsoar', document: structuredClone(document) as never }),
      );
      const errors = warnings
        .filter((args) => Array.isArray(args[0]))
        .flatMap((args) => args[0] as { message: string; path: string }[]);
      if (errors.length > 0 || warnings.length > 0)
        throw new Error(
          `document validation errors:\n${errors.map((error) => `${error.message} at ${error.path}`).join('\n') || warnings.map(String).join('\n')}`,
        );
      return undefined;
    }),
    'openapi-backend': await verdict(async () => {
      const { OpenAPIBackend } = await import('openapi-backend');
      // From the file, as `new OpenAPIBackend({ definition: './openapi.yaml' })` reads it (its own ref parser).
      const api = new OpenAPIBackend({ definition: input, quick: true });
      const { result: failures } = await quietly(async () => {
        await api.init();
        const failed: string[] = [];
        for (const example of jsonExamples().filter((candidate) => candidate.status !== undefined)) {
          try {
            const errors = api.validateResponse(example.value, example.operationId, example.status).errors;
            if (errors && errors.length > 0) failed.push(`${example.where}: ${JSON.stringify(errors[0])}`);
          } catch (error) {
            failed.push(`${example.where}: ${firstLines(error instanceof Error ? error.message : error, 2)}`);
          }
        }
        return failed;
      });
      if (failures.length > 0) throw new Error(failures.slice(0, 5).join('\n'));
      return `${jsonExamples().filter((candidate) => candidate.status !== undefined).length} answers`;
    }),
  };
}

console.log(JSON.stringify(group === 'generators' ? await generators() : await readers()));
