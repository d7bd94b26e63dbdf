export const GRADES: Record<'E' | 'O' | 'P' | 'L', { label: string; short: string; color: string; meaning: string }>;
export function showEvidence(operation: any, where: string): void;
export function postProcessBundle(document: any, records?: { key: string; record: object }[]): any;
export function runtimeTables(document: any): { operationIdExceptions: Record<string, string>; xmlSchemas: unknown };
export function unwrapParagraphs(markdown: string): string;
