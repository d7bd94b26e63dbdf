// `npm run package -- <folder>`: the one way this package's tarball is made (after `npm run build`);
// the work is tools/kit/pack.ts (packTarball, also used by the package tests and `npm run runtimes`).
import { packTarball } from '../tools/kit/pack.js';

const destination = process.argv[2];
if (!destination) {
  console.error(
    'usage: npm run package -- <folder>   (writes cloudsoar-v3-<version>.tgz there; run `npm run build` first)',
  );
  process.exit(2);
}
console.log(await packTarball(destination));
