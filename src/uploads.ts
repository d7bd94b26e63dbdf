import type { CloudSoarClient } from './client.js';
import { CloudSoarArgumentError } from './errors.js';

/** The two upload endpoints; both take the same multipart form. */
export type AttachmentUploadPath = '/incidents/{id}/attachments/' | '/triage/{id}/attachments/';

export interface UploadAttachmentInit {
  params: { path: { id: number } };
  /** The file's bytes. */
  file: Blob;
  /** File name shown in Cloud SOAR; also sent as the part's file name. */
  fileName: string;
  additionalInfo?: string;
  /** Free reference text; Sumo Logic's own action sends "00". */
  reference?: string;
  signal?: AbortSignal;
}

/**
 * Uploads an attachment as `multipart/form-data` with the file in the part `attachment` and the
 * fields `file_name`, `additional_info` and `reference` — the form Sumo Logic's own actions send.
 */
export function uploadAttachment(client: CloudSoarClient, path: AttachmentUploadPath, init: UploadAttachmentInit) {
  if (!(init?.file instanceof Blob))
    throw new CloudSoarArgumentError('file', 'must be a Blob (or File) holding the bytes to upload');
  if (typeof init.fileName !== 'string' || init.fileName.trim() === '')
    throw new CloudSoarArgumentError('fileName', 'must be a non-empty string');
  const id = init.params?.path?.id;
  if (!Number.isInteger(id) || id < 1)
    throw new CloudSoarArgumentError('params.path.id', `must be a positive integer, got ${JSON.stringify(id)}`);
  const form = new FormData();
  form.append('attachment', init.file, init.fileName);
  form.append('file_name', init.fileName);
  if (init.additionalInfo !== undefined) form.append('additional_info', init.additionalInfo);
  if (init.reference !== undefined) form.append('reference', init.reference);
  // The generated type describes the form's fields; the runtime sends the FormData as it is.
  return client.POST(path as '/incidents/{id}/attachments/', {
    params: { path: { id } },
    body: form as never, // openapi-fetch sends FormData as it is, with its multipart boundary
    ...(init.signal ? { signal: init.signal } : {}),
  });
}
