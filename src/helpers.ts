// `cloudsoar-v3/helpers`: conveniences over the client (paging, the {name, value} read format,
// display-string dates, uploads). A separate entry so that the client alone stays small.

export type { DisplayDateOptions } from './dates.js';
export { fromEpochSeconds, parseDisplayDateTime } from './dates.js';
export type { FormBodyOptions, FormMediaType } from './forms.js';
export { formBody } from './forms.js';
export type { PaginateOptions, SearchPath } from './paginate.js';
export { paginate } from './paginate.js';
export type { AttachmentUploadPath, UploadAttachmentInit } from './uploads.js';
export { uploadAttachment } from './uploads.js';
export type { Unwrapped } from './wrapped.js';
export { fieldLabels, unwrapFields } from './wrapped.js';
