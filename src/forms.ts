// Form bodies (`application/x-www-form-urlencoded`, `multipart/form-data`), which the spec offers on
// every request body as an inference from the backend's Django REST Framework parsers. Built only
// from openapi-fetch's documented per-call options (`body`, `bodySerializer`, `headers`), so it works
// the same with this package's client and with a plain openapi-fetch `createClient`.
import { CloudSoarArgumentError } from './errors.js';

export type FormMediaType = 'application/x-www-form-urlencoded' | 'multipart/form-data';

/** The per-call options that send `body` as a form; spread them into a call's init. */
export interface FormBodyOptions<Body> {
  body: Body;
  bodySerializer: (body: unknown) => string | FormData;
  headers: Record<string, string | null>;
}

type Scalar = string | number | boolean | bigint | Date;

/** One form value as DRF's form parsers read it: a string (booleans `true`/`false`, dates ISO 8601). */
function scalarText(value: Scalar): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function isScalar(value: unknown): value is Scalar {
  return ['string', 'number', 'boolean', 'bigint'].includes(typeof value) || value instanceof Date;
}

/**
 * The body's fields as (name, value) pairs. A form is flat: a list of scalars becomes a repeated key
 * (DRF reads it with `getlist`), a nested object has no form — it is refused by name, so send that
 * body as JSON. `undefined` fields are left out; `null` is refused (a form has no null).
 */
function formFields(body: unknown, mediaType: FormMediaType): [string, string | Blob][] {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || body instanceof Blob) {
    throw new CloudSoarArgumentError('body', 'a form body must be a plain object of fields');
  }
  const fields: [string, string | Blob][] = [];
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined) continue;
    const where = `body.${name}`;
    if (value === null)
      throw new CloudSoarArgumentError(where, 'is null, which a form cannot carry; leave the field out, or send JSON');
    if (value instanceof Blob) {
      if (mediaType !== 'multipart/form-data')
        throw new CloudSoarArgumentError(where, 'is a file, which only multipart/form-data can carry');
      fields.push([name, value]);
    } else if (isScalar(value)) {
      fields.push([name, scalarText(value)]);
    } else if (Array.isArray(value) && value.every(isScalar)) {
      for (const item of value) fields.push([name, scalarText(item)]);
    } else {
      throw new CloudSoarArgumentError(
        where,
        `is ${Array.isArray(value) ? 'a list of objects' : 'a nested object'}, which a form cannot carry (DRF's form parsers read flat fields); send this body as JSON`,
      );
    }
  }
  return fields;
}

/**
 * Per-call options that send `body` as a form instead of JSON:
 * `soar.PUT('/incidents/{id}/', { params, ...formBody({ additional_info: 'x' }) })`.
 * The fields are checked when called, so a nested object fails before any request is sent.
 */
export function formBody<Body extends object>(
  body: Body,
  mediaType: FormMediaType = 'application/x-www-form-urlencoded',
): FormBodyOptions<Body> {
  if (mediaType !== 'application/x-www-form-urlencoded' && mediaType !== 'multipart/form-data') {
    throw new CloudSoarArgumentError(
      'mediaType',
      `must be application/x-www-form-urlencoded or multipart/form-data, got ${JSON.stringify(mediaType)}`,
    );
  }
  formFields(body, mediaType);
  if (mediaType === 'multipart/form-data') {
    return {
      body,
      bodySerializer: (value) => {
        const form = new FormData();
        for (const [name, field] of formFields(value, mediaType)) form.append(name, field);
        return form;
      },
      // fetch writes multipart's Content-Type itself, with the boundary; null unsets any other.
      headers: { 'Content-Type': null },
    };
  }
  return {
    body,
    bodySerializer: (value) => new URLSearchParams(formFields(value, mediaType) as [string, string][]).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  };
}
