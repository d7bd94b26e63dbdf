/** The HTTP methods an OpenAPI path item (and openapi-fetch's client) knows, upper case. */
export const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

const SUFFIX: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'partial_update', DELETE: 'destroy' };

/**
 * drf-spectacular's default operationId, which the vendor's reference uses: the path's fixed
 * segments joined by "_", then list/retrieve/create/update/partial_update/destroy. The build lists
 * the operations that break the rule (generated/operations.ts); the client applies both.
 */
export function drfOperationId(method: string, path: string): string {
  const segments = path.split('/').filter(Boolean);
  const stem = segments.filter((segment) => !segment.startsWith('{')).join('_');
  const suffix = SUFFIX[method.toUpperCase()] ?? (segments.at(-1)?.startsWith('{') ? 'retrieve' : 'list');
  return `${stem}_${suffix}`;
}
