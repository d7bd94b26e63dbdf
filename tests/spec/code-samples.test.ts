// The TypeScript code samples in the docs are generated from the spec; here they are compiled
// against the generated types and the real client, so a sample that would not compile cannot ship.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const spec = await loadBundledSpec();
const dir = mkdtempSync(join(tmpdir(), 'cloudsoar-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const samples = [...spec.operations.values()].map(({ operationId, operation }) => ({
  operationId,
  file: join(dir, `${operationId}.ts`),
  source: operation['x-codeSamples'].find((sample: { lang: string }) => sample.lang === 'TypeScript').source as string,
}));
// The README's TypeScript blocks are samples too.
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const readmeBlocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match, index) => ({
  operationId: `readme_${index}`,
  file: join(dir, `readme_${index}.ts`),
  source: `${match[1]}\nexport {};\n`,
}));
samples.push(...readmeBlocks);
// A deliberately wrong sample (a string id) proves the check can fail.
const wrong = {
  file: join(dir, 'wrong_sample.ts'),
  source:
    "import { createCloudSoarClient } from 'cloudsoar-v3';\nconst soar = createCloudSoarClient({ baseUrl: 'https://x.example', token: 't' });\nawait soar.GET('/incidents/{id}/', { params: { path: { id: 'INSIGHT-1' } } });\nexport {};\n",
};
for (const { file, source } of [...samples, wrong]) writeFileSync(file, source);

const program = ts.createProgram([...samples.map(({ file }) => file), wrong.file], {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
  typeRoots: [join(root, 'node_modules', '@types')],
  skipLibCheck: true,
  baseUrl: root,
  paths: {
    'cloudsoar-v3': [join(root, 'src', 'index.ts')],
    'cloudsoar-v3/helpers': [join(root, 'src', 'helpers.ts')],
    'cloudsoar-v3/redis': [join(root, 'src', 'redis.ts')],
    // The samples live outside the repository: its node_modules are not above them.
    ioredis: [join(root, 'node_modules', 'ioredis')],
  },
});
const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => ({
  file: diagnostic.file?.fileName ?? '',
  text: `${diagnostic.file ? `${diagnostic.file.fileName.replace(dir, 'sample:')}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}` : ''} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
}));

describe('TypeScript code samples', () => {
  it('exist for every operation (and the README has some)', () => {
    expect(samples.filter(({ source }) => !source)).toEqual([]);
    expect(samples.length).toBe(spec.operations.size + readmeBlocks.length);
    expect(readmeBlocks.length).toBeGreaterThan(0);
  });

  it('type-check against the generated types and the client', () => {
    expect(diagnostics.filter(({ file }) => file !== wrong.file).map(({ text }) => text)).toEqual([]);
  });

  it('would catch a sample that passes a wrong type', () => {
    expect(
      diagnostics
        .filter(({ file }) => file === wrong.file)
        .map(({ text }) => text)
        .join('\n'),
    ).toMatch(/not assignable to type 'number'/);
  });
});
