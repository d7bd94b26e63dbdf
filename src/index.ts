// `cloudsoar-v3`: the client, its errors and the generated types. Helpers: `cloudsoar-v3/helpers`.

export type { components, operations, paths } from '../generated/schema.js';
export type { AccessKeyAuth, CloudSoarAuth, TokenAuth } from './auth.js';
export type { CloudSoarClient, CloudSoarClientOptions, CloudSoarPaths } from './client.js';
export { createCloudSoarClient } from './client.js';
export type { CloudSoarErrorBody } from './errors.js';
export {
  CloudSoarArgumentError,
  CloudSoarConfigError,
  CloudSoarError,
  CloudSoarNetworkError,
  CloudSoarRequestError,
  CloudSoarResponseError,
  CloudSoarTimeoutError,
} from './errors.js';
export type { LimitStore } from './limits.js';
export type { ErrorStatusOf } from './results.js';
export { errorOf, isCloudSoarError, orThrow } from './results.js';
export type { SaasDeployment } from './servers.js';
export { legacyBaseUrl, SAAS_DEPLOYMENTS, saasBaseUrl } from './servers.js';
export type { RateLimitOptions, RetryOptions } from './transport.js';
export { withUnknownFields } from './unknown-fields.js';
