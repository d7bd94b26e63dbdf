// A tenant from the environment, for `npm run test:live` and `npm run verify:proxy`:
// CLOUDSOAR_BASE_URL, and CLOUDSOAR_TOKEN (Bearer) or CLOUDSOAR_ACCESS_ID + CLOUDSOAR_ACCESS_KEY (Basic).
import { authorization as authorizationFor } from '../../src/auth.js';

export interface Tenant {
  baseUrl: string;
  authorization: string;
  allowWrites: boolean;
}

/** The tenant the environment names; undefined when CLOUDSOAR_BASE_URL is unset; throws when it has no credential. */
export function tenantFromEnv(env: NodeJS.ProcessEnv = process.env): Tenant | undefined {
  if (!env.CLOUDSOAR_BASE_URL) return undefined;
  // The client's own header builder, with its checks: one way to make a Bearer or Basic header.
  let authorization: string;
  if (env.CLOUDSOAR_TOKEN) authorization = authorizationFor({ token: env.CLOUDSOAR_TOKEN });
  else if (env.CLOUDSOAR_ACCESS_ID && env.CLOUDSOAR_ACCESS_KEY)
    authorization = authorizationFor({ accessId: env.CLOUDSOAR_ACCESS_ID, accessKey: env.CLOUDSOAR_ACCESS_KEY });
  else
    throw new Error(
      'CLOUDSOAR_BASE_URL is set but no credential: set CLOUDSOAR_TOKEN, or CLOUDSOAR_ACCESS_ID and CLOUDSOAR_ACCESS_KEY.',
    );
  return {
    baseUrl: env.CLOUDSOAR_BASE_URL.replace(/\/+$/, ''),
    authorization,
    allowWrites: env.CLOUDSOAR_ALLOW_WRITES === '1',
  };
}
