// Prints the closing line of `npm test`: the size of the contract matrix and its gaps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../tools/kit/repo.js';

const summary = JSON.parse(readFileSync(join(root, 'dist', 'contract-summary.json'), 'utf8'));
console.log(
  `contract: ${summary.operations} operations × ${summary.checks} checks, ${summary.gaps} gaps (${summary.notApplicable} not applicable, ${summary.requests} requests to the mock)`,
);
process.exit(summary.gaps === 0 ? 0 : 1);
