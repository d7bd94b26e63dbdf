// What an application bundling the core entry (`cloudsoar-v3`) carries: bundle it as an app would
// and check that the XML entry (codec, parser, schema table), the helpers and the argument guard's
// table stay out of what loads with it.
// Sizes are reported by `npm run bench`, not held to a budget here.
import { describe, expect, it } from 'vitest';
import { bundleEntry } from '../../scripts/lib/bundle.js';

describe('the core entry', () => {
  it('loads without the XML entry or the helpers', async () => {
    const { outputs, loaded } = await bundleEntry('index.ts', { external: true });
    const inputs = loaded.flatMap((file) => Object.keys(outputs[file]!.inputs));
    expect(inputs.some((input) => input.endsWith('src/client.ts'))).toBe(true); // a broken build would pass trivially
    // The argument guard and its table load with the first call (a dynamic import), not with the entry.
    for (const part of ['src/guard.ts', 'generated/arguments.ts', 'src/xml.ts', 'src/xml/codec.ts', 'generated/xml-schemas.ts', 'src/paginate.ts', 'src/dates.ts', 'src/uploads.ts', 'src/wrapped.ts']) {
      expect(inputs.filter((input) => input.endsWith(part)), part).toEqual([]);
    }
  });
});
