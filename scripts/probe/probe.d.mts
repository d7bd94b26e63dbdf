export const DEFAULT_REQUESTS_PER_SECOND: number;
export interface ProbeEntry {
  operationId: string;
  method: string;
  path: string;
  verdict: 'confirmed' | 'differs' | 'refuted' | 'unknown';
  differences: string[];
  seen?: object;
}
export interface ProbeReport {
  summary: { operations: number; confirmed: number; differs: number; refuted: number; unknown: number; requests: number; undocumentedMethods: string[] };
  operations: ProbeEntry[];
}
export function probe(options: { document: any; baseUrl: string; authorization: string; ids?: Record<string, string>; requestsPerSecond?: number; fetch?: typeof fetch; clock?: import('../../src/limits.js').LimiterClock }): Promise<ProbeReport>;
export class RefusalError extends Error {
  status: number;
}
