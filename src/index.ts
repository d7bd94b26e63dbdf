export { createCloudSoarClient } from './client.js';
export type { CloudSoarClient, CloudSoarClientOptions, CloudSoarPaths } from './client.js';
export { CloudSoarArgumentError, CloudSoarConfigError } from './errors.js';
export { uploadAttachment } from './uploads.js';
export type { AttachmentUploadPath, UploadAttachmentInit } from './uploads.js';
export type { TokenAuth } from './auth.js';
export type { components, operations, paths } from '../generated/schema.js';
