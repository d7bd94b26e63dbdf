// JSON Pointers and local $refs (`#/components/...`) inside one document: the build's post-processing
// and the tests resolve them the same way, here.

/** The node at `#/a/b` in `document`; throws naming the pointer when it leads nowhere. */
export function resolvePointer(document, pointer) {
  return pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter((token, index, all) => !(all.length === 1 && token === ''))
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node, token) => {
      if (node === null || typeof node !== 'object' || !(token in node)) throw new Error(`unresolvable pointer ${pointer}`);
      return node[token];
    }, document);
}

/** `node` with its `$ref` chain followed to the end; any other node as it is. */
export function deref(document, node) {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === 'string'; hops++) {
    if (hops > 32) throw new Error(`reference cycle at ${node.$ref}`);
    current = resolvePointer(document, current.$ref);
  }
  return current;
}
