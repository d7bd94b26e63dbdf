export { createCloudSoarClient } from './client.js';
export type { CloudSoarClient, CloudSoarClientOptions, CloudSoarPaths } from './client.js';
export type { AccessKeyAuth, CloudSoarAuth, TokenAuth } from './auth.js';
export { legacyBaseUrl, saasBaseUrl, SAAS_API_HOSTS } from './servers.js';
export type { SaasDeployment } from './servers.js';
export type { RateLimitOptions, RetryOptions } from './transport.js';
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
export { errorOf, isCloudSoarError, orThrow } from './results.js';
export type { ErrorStatusOf } from './results.js';
export { paginate } from './paginate.js';
export type { PaginateOptions, SearchPath } from './paginate.js';
export { fieldLabels, unwrapFields } from './wrapped.js';
export type { Unwrapped } from './wrapped.js';
export { fromEpochSeconds, parseDisplayDateTime } from './dates.js';
export type { DisplayDateOptions } from './dates.js';
export { uploadAttachment } from './uploads.js';
export type { AttachmentUploadPath, UploadAttachmentInit } from './uploads.js';
export type { components, operations, paths } from '../generated/schema.js';
