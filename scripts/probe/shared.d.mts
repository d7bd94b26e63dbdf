export interface Field {
  types: Set<string>;
  required: boolean;
}
export interface OurOperation {
  operationId: string | null;
  method: string;
  path: string;
  mediaTypes: string[];
  fields: Map<string, Field>;
  hasBody: boolean;
  operation: any;
  item: any;
}
export const METHODS: string[];
export const RECORD_FORMAT: string;
export function loadOurSpec(file?: string): Promise<any>;
export function typesOf(document: any, schema: unknown): Set<string>;
export function objectFields(document: any, schema: unknown): Map<string, Field>;
export function operationsOf(document: any): OurOperation[];
export function jsonTypeOfDrf(drfType: string): string | null;
export function fieldDifferences(ours: Map<string, Field>, theirs: Map<string, { types: Set<string> | null; required: boolean }>): string[];
export function table(report: { summary: object; operations: object[] }): string;
export function writeRecord(file: string, tool: string, operations: object[], now?: Date): Promise<object>;
export function redact(text: string, secrets: (string | undefined)[]): string;
export class UsageError extends Error {}
export function runCli(main: (argv: string[]) => Promise<number>): Promise<void>;
