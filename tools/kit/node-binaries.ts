// The Node binaries the package is tested on: the lowest release of each line `engines` admits,
// from tools/portability (installed by `npm ci`). Used by the portability check (the client's tests
// on each) and the package test (the installed package run on each).
import { join } from 'node:path';
import { root } from './repo.js';

export const NODE_MAJORS = [20, 22, 24] as const;

export function nodeBinary(major: number): string {
  return join(root, 'tools', 'portability', 'node_modules', `node${major}`, 'bin', 'node');
}
