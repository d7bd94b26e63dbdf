export declare const BUNDLED_SPEC: string;
export interface RunningPrism {
  url: string;
  port: number;
  stop(): Promise<void>;
}
export declare function startPrism(options?: { port?: number; spec?: string; upstream?: string; args?: string[] }): Promise<RunningPrism>;
