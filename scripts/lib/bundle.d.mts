import type { Metafile } from 'esbuild';

export declare function bundleEntry(
  file: string,
  options: { external: boolean },
): Promise<{ outputs: Metafile['outputs']; entry: string; loaded: string[]; gzipBytes: number; withLazyChunksGzipBytes: number }>;
