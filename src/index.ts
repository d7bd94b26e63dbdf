// `cloudsoar-v3`: the client, its errors and the generated types. Helpers: `cloudsoar-v3/helpers`.
export { createCloudSoarClient } from './client.js';
export type { CloudSoarClient, CloudSoarClientOptions, CloudSoarPaths } from './client.js';
export type { AccessKeyAuth, CloudSoarAuth, TokenAuth } from './auth.js';
export { legacyBaseUrl, saasBaseUrl, SAAS_DEPLOYMENTS } from './servers.js';
export type { SaasDeployment } from './servers.js';
export type { RateLimitOptions, RetryOptions } from './transport.js';
export type { LimitStore } from './limits.js';
export {
  CloudSoarArgumentError,
  CloudSoarConfigError,
  CloudSoarError,
  CloudSoarNetworkError,
  CloudSoarRequestError,
  CloudSoarResponseError,
  CloudSoarTimeoutError,
} from './errors.js';
export type { CloudSoarErrorBody } from './errors.js';
export { withUnknownFields } from './unknown-fields.js';
export { errorOf, isCloudSoarError, orThrow } from './results.js';
export type { ErrorStatusOf } from './results.js';
export type { components, operations, paths } from '../generated/schema.js';
