import type { Field } from './shared.mjs';
export const MAX_REFERENCE_BYTES: number;
export interface ReconcileEntry {
  operationId: string | null;
  method: string;
  path: string;
  theirs: string | null;
  verdict: 'confirmed' | 'differs' | 'only-ours' | 'only-theirs';
  differences: string[];
  edits: { kind: string; [key: string]: unknown }[];
}
export interface ReconcileReport {
  summary: Record<string, number>;
  operations: ReconcileEntry[];
}
export function loadReference(file: string): Promise<any>;
export function loadOurs(file?: string): Promise<any>;
export function reconcile(ours: any, theirs: any): ReconcileReport;
export function applyEdits(report: ReconcileReport, specDir: string): Promise<string[]>;
export function proposePatch(report: ReconcileReport, specDir?: string): Promise<{ patch: string; leftOver: string[] }>;
export type { Field };
