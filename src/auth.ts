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
  const given = (auth ?? {}) as Partial<TokenAuth & AccessKeyAuth>;
  const { token, accessId, accessKey } = given;
  if (token !== undefined && (accessId !== undefined || accessKey !== undefined)) {
    throw new CloudSoarConfigError(
      'auth',
      'give either a token (Bearer) or an accessId and accessKey (Basic), not both',
    );
  }
  const basic = accessId !== undefined || accessKey !== undefined;
  if (token !== undefined || ('token' in given && !basic)) {
    const unset = unsetValue('token', token);
    if (unset) throw unset;
    if (typeof token !== 'string' || !TOKEN_CHARS.test(token)) {
      throw new CloudSoarConfigError(
        'auth.token',
        'must be the bare API token: no whitespace, quotes or "Bearer " prefix',
      );
    }
    return `Bearer ${token}`;
  }
  if (!basic) throw new CloudSoarConfigError('auth', 'give a token (Bearer) or an accessId and accessKey (Basic)');
  // Basic credentials are "id:key": the id cannot hold a colon.
  for (const [option, value, pattern] of [
    ['accessId', accessId, /^[^\s:]+$/],
    ['accessKey', accessKey, /^\S+$/],
  ] as const) {
    const unset = unsetValue(option, value);
    if (unset) throw unset;
    if (typeof value !== 'string' || !pattern.test(value))
      throw new CloudSoarConfigError(
        `auth.${option}`,
        `must be a string without whitespace${option === 'accessId' ? ' or ":"' : ''}`,
      );
  }
  return `Basic ${btoa(`${accessId}:${accessKey}`)}`;
}

/**
 * An unset or empty credential, named as such: `token: process.env.CLOUDSOAR_TOKEN!` is undefined
 * when the variable is not set (the `!` only silences TypeScript), and '' when it is set empty.
 */
function unsetValue(option: string, value: unknown): CloudSoarConfigError | undefined {
  if (value === undefined || value === null) {
    return new CloudSoarConfigError(
      `auth.${option}`,
      `is ${String(value)}: is the environment variable it is read from unset? (\`process.env.X!\` is undefined when X is not set)`,
    );
  }
  if (typeof value === 'string' && value.trim() === '') {
    return new CloudSoarConfigError(
      `auth.${option}`,
      `is ${value === '' ? 'empty' : 'only whitespace'}: is the environment variable it is read from set to an empty value?`,
    );
  }
  return undefined;
}
