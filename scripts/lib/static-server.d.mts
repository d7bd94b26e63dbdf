export declare function serveStatic(directory: string, options?: { port?: number; host?: string }): Promise<{ url: string; port: number; stop(): Promise<void> }>;
