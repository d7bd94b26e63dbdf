// `npm run gate`: the breaking-change gate (tools/kit/release/gate.ts) on this tree; exit 1 when the
// version does not say what the changes since the last release need.
import { runGate } from '../../tools/kit/release/gate.js';

const verdict = await runGate();
console.log(verdict.report);
process.exitCode = verdict.ok ? 0 : 1;
