// How an application would bundle one of the package's entries (esbuild: ESM, minified), and what
// loads with it. One definition for `npm run bench` (reports the sizes) and
// tests/package/bundle.test.ts (checks what the core entry carries).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { root } from './repo.js';

export interface BundledEntry {
  outputs: Metafile['outputs'];
  /** The entry's own output file. */
  entry: string;
  /** The output files that load with the entry (static imports). */
  loaded: string[];
  /** gzip -9 bytes of `loaded`. */
  gzipBytes: number;
}

/** Bundles `src/<file>` as an application would and says what loads with it, and its size. */
export async function bundleEntry(file: string, { external }: { external: boolean }): Promise<BundledEntry> {
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
    const entry = Object.keys(outputs).find((output) => outputs[output]!.entryPoint?.endsWith(`src/${file}`));
    if (!entry) throw new Error(`esbuild made no output for src/${file}`);
    const closure = (output: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(output) || !outputs[output]) return seen;
      seen.add(output);
      for (const imported of outputs[output].imports) if (!imported.external && imported.kind === 'import-statement') closure(imported.path, seen);
      return seen;
    };
    const loaded = [...closure(entry)];
    let gzipBytes = 0;
    for (const output of loaded) gzipBytes += gzipSync(await readFile(output), { level: 9 }).length;
    return { outputs, entry, loaded, gzipBytes };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
