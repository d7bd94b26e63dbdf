// The read format of incidents and timeline events wraps every field as {name, value}; Sumo Logic's
// own scripts read `.value`. These helpers do the same, with types.

/** `T` with each `{ name?, value }` field replaced by its value. */
export type Unwrapped<T> = { [K in keyof T]: T[K] extends { value: infer V } ? V : T[K] };

function isWrapped(value: unknown): value is { value: unknown; name?: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('value' in value)) return false;
  return Object.keys(value).every((key) => key === 'value' || key === 'name');
}

/** A plain object with every wrapped field replaced by its `value`; plain fields stay as they are. */
export function unwrapFields<T extends object>(record: T): Unwrapped<T> {
  return Object.fromEntries(
    Object.entries(record).map(([key, field]) => [key, isWrapped(field) ? field.value : field]),
  ) as Unwrapped<T>;
}

/** The display labels of the wrapped fields, e.g. `{ incidentid: 'Incident ID' }`. */
export function fieldLabels(record: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).flatMap(([key, field]) =>
      isWrapped(field) && typeof field.name === 'string' ? [[key, field.name]] : [],
    ),
  );
}
