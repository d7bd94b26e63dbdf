import { CloudSoarConfigError } from './errors.js';

/** Legacy and hosted instances: a per-user JWT sent as a Bearer token. */
export interface TokenAuth {
  token: string;
}

/** SaaS: a Sumo Logic access id and key sent as HTTP Basic credentials. */
export interface AccessKeyAuth {
  accessId: string;
  accessKey: string;
}

export type CloudSoarAuth = TokenAuth | AccessKeyAuth;

// A JWT is base64url segments joined by dots; anything else in a token is a copy-paste accident.
const TOKEN_CHARS = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The Authorization header value for the credentials given, after checking them. The client keeps
 * it only inside its closures: nothing reachable from the client object (so nothing `String()`,
 * JSON or `util.inspect` can print) holds it, and errors never include headers.
 */
export function authorization(auth: unknown): string {
  const { token, accessId, accessKey } = (auth ?? {}) as Partial<TokenAuth & AccessKeyAuth>;
  if (token !== undefined && (accessId !== undefined || accessKey !== undefined)) {
    throw new CloudSoarConfigError('auth', 'give either a token (Bearer) or an accessId and accessKey (Basic), not both');
  }
  if (token !== undefined) {
    if (typeof token !== 'string' || !TOKEN_CHARS.test(token)) {
      throw new CloudSoarConfigError('auth.token', 'must be the bare API token: no whitespace, quotes or "Bearer " prefix');
    }
    return `Bearer ${token}`;
  }
  // Basic credentials are "id:key": the id cannot hold a colon.
  for (const [option, value, pattern] of [['accessId', accessId, /^[^\s:]+$/], ['accessKey', accessKey, /^\S+$/]] as const) {
    if (typeof value !== 'string' || !pattern.test(value)) throw new CloudSoarConfigError(`auth.${option}`, `must be a non-empty string without whitespace${option === 'accessId' ? ' or ":"' : ''} (or give a token)`);
  }
  return `Basic ${btoa(`${accessId}:${accessKey}`)}`;
}
