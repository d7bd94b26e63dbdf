export function inlineXmlExamples<T>(document: T): T;
