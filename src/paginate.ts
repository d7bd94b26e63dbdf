import type { components } from '../generated/schema.js';
import type { CloudSoarClient } from './client.js';
import { CloudSoarArgumentError, CloudSoarResponseError } from './errors.js';
import type { NoExcess } from './exact.js';
import { describeOperation, errorOf } from './results.js';

type Schemas = components['schemas'];
/** The body-paged search endpoints and the rows each yields. */
interface SearchRows {
  '/incidents/search/': Schemas['IncidentRow'];
  '/entities/search/': Schemas['EntityRow'];
  '/triage/search/': Schemas['TriageEvent'];
}
export type SearchPath = keyof SearchRows;
type SearchBody<P extends SearchPath> = P extends '/entities/search/'
  ? Schemas['EntitySearchRequest']
  : Schemas['SearchRequest'];

export interface PaginateOptions<P extends SearchPath> {
  /** The search body without paging: filter, columns, all. */
  body?: Omit<SearchBody<P>, 'page_number' | 'page_size'>;
  /** Rows per page; default 50. */
  pageSize?: number;
  /** Stop with an error rather than read more than this many full pages; default 100. */
  maxPages?: number;
  signal?: AbortSignal;
}

/** The rows of one page, whatever envelope it came in (bare array, `{incidents}`, `{results}`); else undefined. */
function rowsOf(page: unknown): unknown[] | undefined {
  if (Array.isArray(page)) return page;
  if (page && typeof page === 'object') {
    for (const key of ['incidents', 'results', 'data']) {
      const rows = (page as Record<string, unknown>)[key];
      if (Array.isArray(rows)) return rows;
    }
  }
  return undefined;
}

/**
 * Iterates over every row of a search, page by page (`page_number` from 1). The API gives no total,
 * so iteration ends at the first page shorter than `pageSize`. HTTP errors throw CloudSoarError.
 */
export async function* paginate<P extends SearchPath, Options extends PaginateOptions<P> = PaginateOptions<P>>(
  client: CloudSoarClient,
  path: P,
  // The body is exact, as in the client's methods (src/exact.ts): a misspelled `filter` would read every row.
  options: Options & { body?: NoExcess<PaginateOptions<P>['body'], Options['body']> } = {} as never,
): AsyncGenerator<SearchRows[P], void, undefined> {
  const pageSize = options.pageSize ?? 50;
  const maxPages = options.maxPages ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new CloudSoarArgumentError('pageSize', `must be a whole number, 1 or more; got ${JSON.stringify(pageSize)}`);
  if (!Number.isInteger(maxPages) || maxPages < 1)
    throw new CloudSoarArgumentError('maxPages', `must be a whole number, 1 or more; got ${JSON.stringify(maxPages)}`);
  for (let pageNumber = 1; ; pageNumber++) {
    if (pageNumber > maxPages) {
      throw new CloudSoarArgumentError(
        'maxPages',
        `read ${maxPages} full pages of ${pageSize} and more may follow; raise maxPages or narrow the filter`,
      );
    }
    const result = await (
      client.POST as (path: string, init: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>
    )(path, {
      body: { ...(options.body as object | undefined), page_number: pageNumber, page_size: pageSize },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const error = errorOf(result);
    if (error) throw error;
    const rows = rowsOf(result.data);
    if (!rows) {
      const { status, headers } = result.response;
      throw new CloudSoarResponseError(
        describeOperation('POST', path),
        status,
        headers.get('content-type'),
        `page ${pageNumber} is neither a list nor {incidents|results|data: [...]}: ${String(JSON.stringify(result.data)).slice(0, 120)}`,
      );
    }
    for (const row of rows) yield row as SearchRows[P];
    if (rows.length < pageSize) return;
  }
}
