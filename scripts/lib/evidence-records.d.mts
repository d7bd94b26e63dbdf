export const EVIDENCE_DIR: string;
export interface ObservationRecord {
  format: 'cloudsoar-v3-observation/1';
  tool: 'probe' | 'reconcile' | 'verify:proxy';
  toolVersion: string;
  date: string;
  observations: { operationId: string; method: string; path: string; verdict: string; theirs?: string | null; seen?: object; differences: string[] }[];
}
export function checkRecord(name: string, record: unknown): Promise<ObservationRecord>;
export function loadRecords(dir?: string): Promise<{ key: string; record: ObservationRecord }[]>;
export function applyRecords(document: any, records: { key: string; record: ObservationRecord }[], operations: { method: string; path: string; operation: any }[]): any;
