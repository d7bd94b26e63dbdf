/** Raised synchronously when the client is configured wrongly; names the option, never its secret value. */
export class CloudSoarConfigError extends Error {
  override readonly name = 'CloudSoarConfigError';
  constructor(
    /** The option that was wrong, e.g. `baseUrl` or `auth.token`. */
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
  }
}

/** Raised when a helper is called with an argument it cannot use; names the argument. */
export class CloudSoarArgumentError extends Error {
  override readonly name = 'CloudSoarArgumentError';
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** What identifies a request in an error: never its headers, so never its credentials. */
export interface RequestDescription {
  method: string;
  /** The spec's path template, e.g. `/incidents/{id}/`, when known; else the URL path. */
  path: string;
  /** The spec's operationId, when the path and method are in the spec. */
  operationId?: string;
  /** `false` when the client was called with a path and method the description does not have. */
  inDescription?: boolean;
}

function requestLabel({ method, path, operationId, inDescription }: RequestDescription): string {
  return `${method} ${path}${operationId ? ` (${operationId})` : inDescription === false ? ' (not in the description)' : ''}`;
}

/** What every error about one request carries: which request, named by spec path and operationId. */
export abstract class CloudSoarRequestError extends Error {
  readonly method: string;
  readonly path: string;
  readonly operationId: string | undefined;
  constructor(request: RequestDescription, message: string, options?: ErrorOptions) {
    super(`${requestLabel(request)} ${message}`, options);
    ({ method: this.method, path: this.path, operationId: this.operationId } = request);
  }
}

/** The request never got an answer: DNS, refused or reset connection, or the body was cut off. */
export class CloudSoarNetworkError extends CloudSoarRequestError {
  override readonly name = 'CloudSoarNetworkError';
  /**
   * `cause` is the platform's error with the address taken out: its `name`, its `code`
   * (`ECONNREFUSED`, `ENOTFOUND`, …) and its words.
   */
  constructor(
    request: RequestDescription,
    readonly attempts: number,
    cause: unknown,
    hint = '',
    /** The URL that was asked for: its host is taken out of the platform's words too. */
    url?: string,
  ) {
    const reason = addressless(cause, url);
    super(request, `failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason.message}${hint}`, {
      cause: reason,
    });
  }
}

// Node names the address it could not reach (`connect ECONNREFUSED 10.1.2.3:443`, `getaddrinfo
// ENOTFOUND tenant.example.com`), Deno and browsers the URL: a tenant's host or address must stay out
// of errors and the logs they end up in.
const URL_TEXT = /\bhttps?:\/\/[^\s'")]+/gi;
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g;
const IPV6 = /\[?\b(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}\]?(?::\d+)?/gi;

function addressless(cause: unknown, url: string | undefined): Error & { code?: string } {
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
  let message = inner instanceof Error ? inner.message : String(inner);
  const asked = url && URL.canParse(url) ? new URL(url) : undefined;
  // host (with its port) before hostname, so `tenant:8443` goes whole
  for (const host of asked ? [asked.host, asked.hostname] : []) if (host) message = message.replaceAll(host, '<host>');
  message = message.replace(URL_TEXT, '<url>').replace(IPV4, '<address>').replace(IPV6, '<address>');
  const code = [inner, cause]
    .map((error) => (error as { code?: unknown } | undefined)?.code)
    .find((value) => typeof value === 'string');
  const reason: Error & { code?: string } = new Error(message);
  reason.name = inner instanceof Error ? inner.name : 'Error';
  if (typeof code === 'string') reason.code = code;
  return reason;
}

/** No answer within `timeoutMs` (per attempt). */
export class CloudSoarTimeoutError extends CloudSoarRequestError {
  override readonly name = 'CloudSoarTimeoutError';
  constructor(
    request: RequestDescription,
    readonly timeoutMs: number,
    readonly attempts: number,
  ) {
    super(request, `timed out after ${timeoutMs} ms (attempt ${attempts})`);
  }
}

/** An answer came but could not be read as what it claims to be (invalid JSON or XML, wrong media type). */
export class CloudSoarResponseError extends CloudSoarRequestError {
  override readonly name = 'CloudSoarResponseError';
  constructor(
    request: RequestDescription,
    readonly status: number,
    readonly contentType: string | null,
    message: string,
  ) {
    super(request, `answered ${status} with ${contentType ?? 'no Content-Type'}: ${message}`);
  }
}

/** The error bodies the spec documents: Cloud SOAR's own and the Sumo Logic gateway's. */
export interface CloudSoarErrorBody {
  error?: string;
  description?: string;
  id?: string;
  errors?: { code: string; message: string; detail?: string }[];
}

/** Response headers worth keeping on an error (none of them carries a credential). */
export const KEPT_HEADERS = ['retry-after', 'content-type', 'x-request-id', 'sl-violations'] as const;

/**
 * An error's response headers: a `Headers` (`error.headers.get('retry-after')`) holding only
 * KEPT_HEADERS, so no cookie or credential a server or proxy sent back can reach a log; printed and
 * serialised as a plain object of them.
 */
class KeptHeaders extends Headers {
  constructor(from: HeadersInit) {
    super();
    const all = new Headers(from);
    for (const name of KEPT_HEADERS) {
      const value = all.get(name);
      if (value !== null) this.set(name, value);
    }
  }
  toJSON(): Record<string, string> {
    const kept: Record<string, string> = {};
    // forEach, not iteration: no DOM.Iterable needed
    this.forEach((value, name) => {
      kept[name] = value;
    });
    return kept;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): Record<string, string> {
    return this.toJSON();
  }
}

/**
 * Cloud SOAR answered with a 4xx or 5xx. `status` is typed by the statuses the spec documents for
 * the operation when the error comes from `orThrow` or `errorOf`.
 */
export class CloudSoarError<Status extends number = number> extends CloudSoarRequestError {
  override readonly name = 'CloudSoarError';
  constructor(
    request: RequestDescription,
    readonly status: Status | (number & {}),
    /** The parsed error body, or the raw text when it was not JSON. */
    readonly body: CloudSoarErrorBody | string | undefined,
    headers: HeadersInit,
  ) {
    super(request, `answered ${status}: ${summarise(body)}`);
    this.headers = new KeptHeaders(headers);
  }

  /**
   * The answer's Retry-After, Content-Type, X-Request-Id and sl-violations (the mock's reasons), as
   * `Headers`. **Changed**: this was a plain object (`headers['retry-after']`).
   */
  readonly headers: Headers;

  /** Seconds the server asked to wait, from `Retry-After` (seconds or an HTTP date), when given. */
  get retryAfterSeconds(): number | undefined {
    const ms = retryAfterMs(this.headers.get('retry-after'));
    return ms === undefined ? undefined : Math.ceil(ms / 1000);
  }
}

/** A `Retry-After` value in milliseconds from now: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The error body in one line of at most 200 characters. */
function summarise(body: CloudSoarErrorBody | string | undefined): string {
  const text =
    body === undefined || body === ''
      ? '(no body)'
      : typeof body === 'string'
        ? body
        : body.error
          ? `${body.error}${body.description ? ` — ${body.description}` : ''}`
          : body.errors?.length
            ? body.errors.map((error) => `${error.code}: ${error.message}`).join('; ')
            : JSON.stringify(body);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
