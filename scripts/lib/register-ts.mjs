// Lets the build scripts import the client's TypeScript modules (the XML codec) on Node 20, which
// cannot strip types itself: `.ts` files are transpiled with the project's own TypeScript.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
