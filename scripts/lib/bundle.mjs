// How an application would bundle one of the package's entries (esbuild: ESM, minified), and what
// loads with it. One definition for `npm run bench` (reports the sizes) and
// tests/package/bundle.test.ts (checks what the core entry carries).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { root } from './tools.mjs';

/**
 * Bundles `src/<file>` and returns its esbuild outputs, the entry chunk, the chunks that load with
 * it (static imports) and those that load when used (dynamic imports too), with gzip -9 sizes.
 */
export async function bundleEntry(file, { external }) {
  const outdir = await mkdtemp(join(tmpdir(), 'cloudsoar-bundle-'));
  try {
    const { metafile } = await build({
      entryPoints: [join(root, 'src', file)],
      bundle: true,
      splitting: true,
      format: 'esm',
      minify: true,
      platform: 'browser',
      outdir,
      metafile: true,
      logLevel: 'silent',
      ...(external ? { packages: 'external' } : {}),
    });
    const outputs = metafile.outputs;
    const entry = Object.keys(outputs).find((output) => outputs[output].entryPoint?.endsWith(`src/${file}`));
    const closure = (output, followDynamic, seen = new Set()) => {
      if (seen.has(output) || !outputs[output]) return seen;
      seen.add(output);
      for (const imported of outputs[output].imports) {
        if (!imported.external && (imported.kind === 'import-statement' || (followDynamic && imported.kind === 'dynamic-import'))) closure(imported.path, followDynamic, seen);
      }
      return seen;
    };
    const gzipBytes = async (files) => {
      let total = 0;
      for (const output of files) total += gzipSync(await readFile(output), { level: 9 }).length;
      return total;
    };
    const loaded = [...closure(entry, false)];
    const withLazy = [...closure(entry, true)];
    return { outputs, entry, loaded, gzipBytes: await gzipBytes(loaded), withLazyChunksGzipBytes: await gzipBytes(withLazy) };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
