import { CloudSoarConfigError } from './errors.js';

/** Credentials of a legacy or hosted instance: a per-user JWT sent as a Bearer token. */
export interface TokenAuth {
  token: string;
}

// RFC 7230 header value characters for a token; a JWT is base64url segments joined by dots.
const TOKEN_CHARS = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Builds the Authorization header value once, at construction, so that a bad credential fails
 * early with a message that names the option but never echoes the secret.
 */
export function authorizationHeader(auth: TokenAuth): string {
  const { token } = auth;
  if (typeof token !== 'string' || token.length === 0) {
    throw new CloudSoarConfigError('token', 'must be a non-empty string (the API token from User Management → API Token)');
  }
  if (!TOKEN_CHARS.test(token)) {
    throw new CloudSoarConfigError('token', 'contains characters that cannot appear in a bearer token (whitespace, quotes or a "Bearer " prefix?)');
  }
  return `Bearer ${token}`;
}
