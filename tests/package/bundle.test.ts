// JSON users must not carry the XML codec, parser or schema table: bundle the entry as an app would
// and check that they are reachable only through the dynamic import.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('keeps the XML module out of the entry chunk (loaded only when format is xml)', async () => {
  const { metafile } = await build({ entryPoints: [`${root}src/index.ts`], bundle: true, splitting: true, format: 'esm', platform: 'browser', outdir: '/tmp/cloudsoar-bundle-test', write: false, metafile: true, logLevel: 'silent' });
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((file) => outputs[file]!.entryPoint?.endsWith('src/index.ts'))!;
  const staticClosure = new Set<string>();
  const visit = (file: string) => {
    if (staticClosure.has(file)) return;
    staticClosure.add(file);
    for (const imported of outputs[file]!.imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  const staticInputs = [...staticClosure].flatMap((file) => Object.keys(outputs[file]!.inputs));
  const allInputs = Object.values(outputs).flatMap((output) => Object.keys(output.inputs));
  for (const xmlPart of ['src/xml/codec.ts', 'generated/xml-schemas.ts', 'fast-xml-parser']) {
    expect(allInputs.some((input) => input.includes(xmlPart)), `${xmlPart} is bundled somewhere`).toBe(true);
    expect(staticInputs.filter((input) => input.includes(xmlPart))).toEqual([]);
  }
  expect(outputs[entry]!.imports.some((imported) => imported.kind === 'dynamic-import')).toBe(true);
});
