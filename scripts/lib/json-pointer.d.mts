export declare function resolvePointer(document: unknown, pointer: string): any;
export declare function deref<T = any>(document: unknown, node: T): any;
