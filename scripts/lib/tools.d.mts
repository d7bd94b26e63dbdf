export const root: string;
export function toolEntry(name: 'redocly' | 'prism'): string;
export const toolEnv: NodeJS.ProcessEnv;
export function runTool(name: 'redocly' | 'prism', args: string[]): Promise<string>;
