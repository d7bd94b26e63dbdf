import { operationIdExceptions } from '../generated/operations.js';
import { CloudSoarError, type CloudSoarErrorBody, type RequestDescription } from './errors.js';
import { drfOperationId } from './operation-ids.js';

/** Set by the client for every failed answer it returns: the request, so errors can name their operation. */
export const failedRequests = new WeakMap<Response, RequestDescription>();

/** A method and spec path with their operationId; a path the description does not have gets none, and says so. */
export function describeOperation(method: string, path: string, inDescription = true): RequestDescription {
  if (!inDescription) return { method, path, inDescription };
  return { method, path, operationId: operationIdExceptions[`${method} ${path}`] ?? drfOperationId(method, path) };
}

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
/** The 4xx/5xx statuses an operation documents, from its generated type. */
export type ErrorStatusOf<Operation> = Operation extends { responses: infer Responses }
  ? {
      [Status in keyof Responses]: Status extends number
        ? `${Status}` extends `${'4' | '5'}${Digit}${Digit}`
          ? Status
          : never
        : never;
    }[keyof Responses]
  : never;

/** The shape of what every client method resolves to (openapi-fetch's FetchResponse). */
export interface ResultLike<Data = unknown> {
  data?: Data;
  error?: unknown;
  response: Response;
}

/**
 * The answer as a CloudSoarError when it was a 4xx/5xx, else undefined. Name the operation to type
 * `status` by what the spec documents: `errorOf<operations['incidents_retrieve']>(result)?.status`
 * is `400 | 401 | 403 | 404 | 429 | 500` (or another number the server chose to send).
 */
export function errorOf<Operation = never, R extends ResultLike = ResultLike>(
  result: R,
): CloudSoarError<[Operation] extends [never] ? number : ErrorStatusOf<Operation>> | undefined {
  const { response } = result;
  if (response.ok) return undefined;
  // A result this client did not produce is named by its URL.
  const described = failedRequests.get(response) ?? { method: 'UNKNOWN', path: response.url };
  return new CloudSoarError<[Operation] extends [never] ? number : ErrorStatusOf<Operation>>(
    described,
    response.status,
    result.error as CloudSoarErrorBody | string | undefined,
    response.headers,
  );
}

/**
 * The throwing style: resolves to the data, or throws a CloudSoarError whose `status` is typed by
 * the statuses the spec documents for the operation.
 *
 *   const incident = await orThrow(soar.GET('/incidents/{id}/', { params: { path: { id } } }));
 */
export async function orThrow<R extends ResultLike>(pending: Promise<R>): Promise<NonNullable<R['data']>> {
  const result = await pending;
  const error = errorOf(result);
  if (error) throw error;
  return result.data as NonNullable<R['data']>;
}

/** Narrows an unknown error to a CloudSoarError, optionally with one of the given statuses. */
export function isCloudSoarError<S extends number>(error: unknown, ...statuses: S[]): error is CloudSoarError<S> {
  return error instanceof CloudSoarError && (statuses.length === 0 || (statuses as number[]).includes(error.status));
}
