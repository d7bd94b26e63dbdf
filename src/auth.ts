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
 * Holds the Authorization header value out of sight: a class with a private field shows nothing
 * in `JSON.stringify`, `String()` or `util.inspect`, so a logged client never leaks it.
 */
export class Credentials {
  readonly #header: string;
  readonly scheme: 'Bearer' | 'Basic';

  constructor(auth: unknown) {
    if (typeof auth !== 'object' || auth === null) {
      throw new CloudSoarConfigError('auth', 'give { token } (legacy/hosted: Bearer JWT) or { accessId, accessKey } (SaaS: Basic)');
    }
    const { token, accessId, accessKey } = auth as Partial<TokenAuth & AccessKeyAuth>;
    if (token !== undefined && (accessId !== undefined || accessKey !== undefined)) {
      throw new CloudSoarConfigError('auth', 'give either a token or an access id and key, not both');
    }
    if (token !== undefined) {
      if (typeof token !== 'string' || token.length === 0) throw new CloudSoarConfigError('auth.token', 'must be a non-empty string (User Management → API Token)');
      if (!TOKEN_CHARS.test(token)) {
        throw new CloudSoarConfigError('auth.token', 'contains characters a bearer token cannot have (whitespace, quotes or a "Bearer " prefix?)');
      }
      this.#header = `Bearer ${token}`;
      this.scheme = 'Bearer';
      return;
    }
    if (typeof accessId !== 'string' || accessId.length === 0) throw new CloudSoarConfigError('auth.accessId', 'must be a non-empty string (or give a token)');
    if (typeof accessKey !== 'string' || accessKey.length === 0) throw new CloudSoarConfigError('auth.accessKey', 'must be a non-empty string');
    if (accessId.includes(':')) throw new CloudSoarConfigError('auth.accessId', 'cannot contain ":"');
    if (/\s/.test(accessId) || /\s/.test(accessKey)) throw new CloudSoarConfigError('auth', 'the access id or key contains whitespace');
    this.#header = `Basic ${btoa(`${accessId}:${accessKey}`)}`;
    this.scheme = 'Basic';
  }

  /** The header value; used only when a request is sent. */
  authorization(): string {
    return this.#header;
  }

  toString(): string {
    return `[Credentials ${this.scheme} ***]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
