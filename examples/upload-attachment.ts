// Upload a file (the first argument, or a small generated report) to an incident.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { uploadAttachment } from '../src/helpers.js';
import { orThrow } from '../src/index.js';
import { clientFromEnv } from './env.js';

const soar = clientFromEnv();
const path = process.argv[2];
const file = new Blob([path ? await readFile(path) : `report generated ${new Date().toISOString()}\n`]);
const attachment = await orThrow(
  uploadAttachment(soar, '/incidents/{id}/attachments/', {
    params: { path: { id: Number(process.env.INCIDENT_ID ?? 8508) } },
    file,
    fileName: path ? basename(path) : 'report.txt',
    additionalInfo: 'Uploaded by examples/upload-attachment.ts',
    reference: '00',
  }),
);
console.log(JSON.stringify({ attachmentId: attachment.id, fileName: attachment.file_name }));
