// The bundle keeps XML examples in `x-examples` of each request body and response (see
// post-process.ts: stock linters would read an XML string under an object schema as invalid).
// Prism and the tests read examples from the media type, as Redoc does after merging them.
import { type Json, operationsOf } from './spec.js';

/** A copy of a bundled document with every `x-examples` entry moved into its media type's `examples`. */
export function inlineXmlExamples<T extends Json>(document: T): T {
  const copy = structuredClone(document);
  const owners: (Json | undefined)[] = [
    ...Object.values<Json>(copy.components?.responses ?? {}),
    ...Object.values<Json>(copy.components?.requestBodies ?? {}),
  ];
  for (const { operation } of operationsOf(copy))
    owners.push(operation.requestBody, ...Object.values<Json>(operation.responses ?? {}));
  for (const owner of owners) {
    if (!owner?.['x-examples']) continue;
    for (const [mediaType, examples] of Object.entries<Json>(owner['x-examples']))
      owner.content[mediaType] = { ...owner.content[mediaType], examples };
    delete owner['x-examples'];
  }
  return copy;
}
