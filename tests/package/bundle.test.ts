// What an application bundling the core entry (`cloudsoar-v3`) carries: bundle it as an app would
// and check that the XML module, the middleware runner and the helpers are not in what loads with
// it, that the lazy chunks stand alone (no shared third chunk), and that it stays within its budget.
import type { Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleEntry, CORE_BUDGET_BYTES } from '../../scripts/lib/bundle.mjs';

let outputs: Metafile['outputs'];
let entry: string;
let staticClosure: string[];
let coreBytes: number;

beforeAll(async () => {
  // Dependencies external: the budget is this package's own code (openapi-fetch is its dependency).
  ({ outputs, entry, loaded: staticClosure, gzipBytes: coreBytes } = await bundleEntry('index.ts', { external: true }));
});

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
    expect(staticClosure).toEqual([entry]);
    for (const file of Object.keys(outputs).filter((output) => output.endsWith('.js') && output !== entry)) {
      expect(outputs[file]!.imports.filter((imported) => !imported.external && imported.kind === 'import-statement'), file).toEqual([]);
    }
  });

  it(`stays within ${CORE_BUDGET_BYTES} bytes minified and gzipped`, () => {
    expect(coreBytes).toBeGreaterThan(1_000); // a broken build would pass a budget trivially
    expect(coreBytes).toBeLessThanOrEqual(CORE_BUDGET_BYTES);
  });
});
