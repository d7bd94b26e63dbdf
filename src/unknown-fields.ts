// The escape hatch of the argument checks (src/exact.ts, src/guard.ts), in the core entry: the
// guard itself and its table load with the first call (see createCloudSoarClient).
import { CloudSoarArgumentError } from './errors.js';
import type { UnknownFieldsAllowed } from './exact.js';

const unchecked = new WeakSet<object>();

/**
 * For a field the description does not know yet: returns `value` itself, marked so that neither the
 * types nor the run-time guard check its keys (or those of anything inside it). Please tell us
 * about the field (README, "Help us grade the API": `npm run reconcile`), so the description learns it.
 */
export function withUnknownFields<T extends object>(value: T): T & UnknownFieldsAllowed {
  if (typeof value !== 'object' || value === null)
    throw new CloudSoarArgumentError('withUnknownFields', 'takes an object (a body, or params.query)');
  unchecked.add(value);
  return value as T & UnknownFieldsAllowed;
}

/** Whether `value` was passed through withUnknownFields. */
export function isUnchecked(value: object): boolean {
  return unchecked.has(value);
}
