// Shared by the examples: a client from the environment, for a tenant or for the local mock.
//   CLOUDSOAR_BASE_URL=http://127.0.0.1:4010 CLOUDSOAR_TOKEN=demo node --import tsx examples/<file>.ts
import { createCloudSoarClient } from '../src/index.js';

export function clientFromEnv() {
  const baseUrl = process.env.CLOUDSOAR_BASE_URL;
  if (!baseUrl) throw new Error('Set CLOUDSOAR_BASE_URL (e.g. the mock printed by `npm start`).');
  const { CLOUDSOAR_TOKEN: token, CLOUDSOAR_ACCESS_ID: accessId, CLOUDSOAR_ACCESS_KEY: accessKey } = process.env;
  return token
    ? createCloudSoarClient({ baseUrl, token })
    : createCloudSoarClient({ baseUrl, accessId: accessId ?? '', accessKey: accessKey ?? '' });
}
