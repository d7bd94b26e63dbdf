export { createCloudSoarClient } from './client.js';
export type { CloudSoarClient, CloudSoarClientOptions, CloudSoarPaths } from './client.js';
export { CloudSoarConfigError } from './errors.js';
export type { TokenAuth } from './auth.js';
export type { components, operations, paths } from '../generated/schema.js';
