// How an application would bundle one of the package's entries (esbuild: ESM, minified), and what
// loads with it. One definition for `npm run bench` (reports the sizes) and
// tests/package/bundle.test.ts (checks what the core entry carries, and that the browser-safe
// entries bundle for the web with nothing from Node).
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
      for (const imported of outputs[output].imports)
        if (!imported.external && imported.kind === 'import-statement') closure(imported.path, seen);
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

/**
 * The package's entries (`exports` subpaths, by source file) that must run in browsers, workers,
 * Deno and Bun: nothing from Node (`node:*`, `process`, `Buffer`). A Node-only entry (one that needs
 * a Node driver, say) is listed in `NODE_ONLY_ENTRIES` with its reason; an entry in neither list
 * fails tests/package/bundle.test.ts.
 */
export const BROWSER_SAFE_ENTRIES: Record<string, string> = {
  '.': 'index.ts',
  './helpers': 'helpers.ts',
  './xml': 'xml.ts',
};
export const NODE_ONLY_ENTRIES: Record<string, { file: string; reason: string }> = {
  './redis': {
    file: 'redis.ts',
    reason:
      'the shared Redis limit store: hashes the credential with node:crypto and talks to an ioredis client, which is Node-only',
  },
};

/** Free references to Node's globals, renamed by esbuild's `define` (which leaves strings and locals alone) to be found in the output. */
const NODE_GLOBALS = {
  process: '__NODE_ONLY_GLOBAL_process__',
  Buffer: '__NODE_ONLY_GLOBAL_Buffer__',
  global: '__NODE_ONLY_GLOBAL_global__',
};

/**
 * What keeps `src/<file>` from running outside Node: esbuild's errors bundling it with its
 * dependencies for the browser, with no polyfills (a `node:*` or Node built-in import cannot be
 * resolved there), and each module that uses a Node global without testing for it first (the code
 * path that says it is for Node). Empty when the entry is browser-safe.
 */
export async function nodeOnlyUses(file: string): Promise<string[]> {
  const outdir = await mkdtemp(join(tmpdir(), 'cloudsoar-browser-'));
  try {
    const { outputFiles } = await build({
      entryPoints: [join(root, 'src', file)],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      outdir,
      write: false,
      logLevel: 'silent',
      define: NODE_GLOBALS,
    });
    // esbuild starts each module of an unminified bundle with a `// path` line. A module may use a
    // Node global where it tests for it first (openapi-fetch: `typeof process === "object" && …`).
    const modules = outputFiles
      .map((output) => output.text)
      .join('\n')
      .split(/^(?=\/\/ \S+\.[cm]?[jt]s$)/m);
    const problems: string[] = [];
    for (const module of modules) {
      for (const [name, marker] of Object.entries(NODE_GLOBALS)) {
        if (module.includes(marker) && !module.includes(`typeof ${marker}`))
          problems.push(
            `${module.split('\n', 1)[0]!.slice(3)} uses Node's global \`${name}\` without testing for it (typeof)`,
          );
      }
    }
    return problems;
  } catch (error) {
    const { errors } = error as { errors?: { text: string; location?: { file: string; line: number } | null }[] };
    if (!errors) throw error;
    return errors.map(({ text, location }) => `${location ? `${location.file}:${location.line}: ` : ''}${text}`);
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
