// What the build adds to the bundled description beyond what redocly bundles. Kept in one place so
// the bundle, the docs and the types all see the same document.

export const GRADES = {
  E: { label: 'observed', color: '#1a7f37', meaning: 'seen in working client code or in documentation' },
  O: { label: 'operationId only', color: '#9a6700', meaning: 'only the vendor operationId is known; the path follows its naming scheme' },
  P: { label: 'inferred', color: '#cf222e', meaning: 'the capability is proven, the HTTP shape is our inference' },
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Yields every operation of a bundled document with its path and method. */
export function* operationsOf(document) {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) if (item[method]) yield { path, method, operation: item[method] };
  }
}

/**
 * Makes each operation's evidence grade visible where readers look: a badge beside the title
 * (`x-badges`, rendered by Redoc) and a first line in the description. The source of truth stays
 * `x-evidence` in spec/; this only renders it.
 */
function showEvidence(operation, where) {
  const evidence = operation['x-evidence'];
  const grade = GRADES[evidence?.grade];
  if (!grade || !Array.isArray(evidence.sources)) {
    throw new Error(`${where}: x-evidence must be {grade: E|O|P, sources: [...]}`);
  }
  const sources = evidence.sources.length > 0 ? evidence.sources.join(', ') : 'none';
  operation['x-badges'] = [{ name: `Evidence ${evidence.grade}: ${grade.label}`, color: grade.color, position: 'after' }];
  operation.description = `**Evidence ${evidence.grade} — ${grade.label}** (${grade.meaning}; sources: ${sources}).\n\n${operation.description ?? ''}`;
}

/** Returns the bundled document ready to write; it does not change the API it describes. */
export function postProcessBundle(document) {
  for (const { path, method, operation } of operationsOf(document)) showEvidence(operation, `${method.toUpperCase()} ${path}`);
  return document;
}
