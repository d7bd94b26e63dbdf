// What an application bundling the core entry (`cloudsoar-v3`) carries: bundle it as an app would
// and check that the XML entry (codec, parser, schema table), the helpers, the argument guard's
// table and the Redis store (Node only) stay out of what loads with it; and that every browser-safe
// entry bundles for the web with nothing from Node.
// Sizes are reported by `npm run bench`, not held to a budget here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BROWSER_SAFE_ENTRIES, bundleEntry, NODE_ONLY_ENTRIES, nodeOnlyUses } from '../../tools/kit/bundle.js';

describe('the core entry', () => {
  it('loads without the XML entry, the helpers or the Redis store', async () => {
    const { outputs, loaded } = await bundleEntry('index.ts', { external: true });
    const inputs = loaded.flatMap((file) => Object.keys(outputs[file]!.inputs));
    expect(inputs.some((input) => input.endsWith('src/client.ts'))).toBe(true); // a broken build would pass trivially
    // The argument guard and its table load with the first call (a dynamic import), not with the entry.
    for (const part of [
      'src/guard.ts',
      'generated/arguments.ts',
      'src/xml.ts',
      'src/xml/codec.ts',
      'generated/xml-schemas.ts',
      'src/paginate.ts',
      'src/dates.ts',
      'src/uploads.ts',
      'src/wrapped.ts',
      'src/redis.ts',
    ]) {
      expect(
        inputs.filter((input) => input.endsWith(part)),
        part,
      ).toEqual([]);
    }
  });
});

describe('the entries a browser, worker, Deno or Bun loads', () => {
  const { exports } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    exports: Record<string, { import: string }>;
  };

  it('are every entry of package.json, or a Node-only one said to be, with its reason', () => {
    expect(Object.keys(exports).sort()).toEqual(
      [...Object.keys(BROWSER_SAFE_ENTRIES), ...Object.keys(NODE_ONLY_ENTRIES)].sort(),
    );
    for (const [subpath, file] of Object.entries(BROWSER_SAFE_ENTRIES))
      expect(exports[subpath]?.import, subpath).toBe(`./dist/src/${file.replace(/\.ts$/, '.js')}`);
    for (const [subpath, { reason }] of Object.entries(NODE_ONLY_ENTRIES))
      expect(reason.length, `${subpath} needs a reason`).toBeGreaterThan(10);
  });

  it.each(Object.entries(BROWSER_SAFE_ENTRIES))(
    '%s bundles for the browser with no polyfills and no Node global',
    async (_subpath, file) => {
      expect(await nodeOnlyUses(file)).toEqual([]);
    },
  );
});
