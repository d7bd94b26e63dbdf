// What an application bundling the core entry (`cloudsoar-v3`) carries: bundle it as an app would
// and check that the XML module, the middleware runner and the helpers are not in what loads with
// it, that the lazy chunks stand alone (no shared third chunk), and that it stays within its budget.
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outdir = `/tmp/cloudsoar-bundle-test-${process.pid}`;
/** The budget for the core entry's own code, minified and gzipped (`npm run bench` reports it). */
const CORE_BUDGET_BYTES = 5_000;

let outputs: Metafile['outputs'];
let entry: string;
const staticClosure = new Set<string>();

beforeAll(async () => {
  // Dependencies external: the budget is this package's own code (openapi-fetch is its dependency).
  const { metafile } = await build({ entryPoints: [`${root}src/index.ts`], bundle: true, splitting: true, format: 'esm', minify: true, platform: 'browser', outdir, metafile: true, packages: 'external', logLevel: 'silent' });
  outputs = metafile.outputs;
  entry = Object.keys(outputs).find((file) => outputs[file]!.entryPoint?.endsWith('src/index.ts'))!;
  const visit = (file: string) => {
    if (staticClosure.has(file) || !outputs[file]) return;
    staticClosure.add(file);
    for (const imported of outputs[file]!.imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const inputsOf = (files: Iterable<string>) => [...files].flatMap((file) => Object.keys(outputs[file]!.inputs));

describe('the core entry', () => {
  it('loads without the XML module, the middleware runner or the helpers', () => {
    const lazy = ['src/xml/codec.ts', 'generated/xml-schemas.ts', 'src/middleware.ts'];
    const elsewhere = ['src/paginate.ts', 'src/dates.ts', 'src/uploads.ts', 'src/wrapped.ts'];
    const loaded = inputsOf(staticClosure);
    for (const part of [...lazy, ...elsewhere]) expect(loaded.filter((input) => input.endsWith(part)), part).toEqual([]);
    for (const part of lazy) expect(inputsOf(Object.keys(outputs)).some((input) => input.endsWith(part)), `${part} is a lazy chunk`).toBe(true);
    expect(outputs[entry]!.imports.filter((imported) => imported.kind === 'dynamic-import')).toHaveLength(2);
  });

  it('is one file, and each lazy chunk stands alone (no code moved into a shared chunk)', () => {
    expect([...staticClosure]).toEqual([entry]);
    for (const file of Object.keys(outputs).filter((output) => output.endsWith('.js') && output !== entry)) {
      expect(outputs[file]!.imports.filter((imported) => !imported.external && imported.kind === 'import-statement'), file).toEqual([]);
    }
  });

  it(`stays within ${CORE_BUDGET_BYTES} bytes minified and gzipped`, () => {
    const bytes = gzipSync(readFileSync(entry), { level: 9 }).length;
    expect(bytes).toBeGreaterThan(1_000); // a broken build would pass a budget trivially
    expect(bytes).toBeLessThanOrEqual(CORE_BUDGET_BYTES);
  });
});
