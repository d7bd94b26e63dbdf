import type { JsonSchema } from './codec.js';

/** The generated table of XML body schemas (generated/xml-schemas.ts). */
export interface XmlSchemaTable {
  components: { schemas: Record<string, JsonSchema> };
  /** Request body schema by "METHOD /spec/path/". */
  requests: Record<string, JsonSchema>;
  /** Response body schema by "METHOD /spec/path/", then status. */
  responses: Record<string, Record<string, JsonSchema>>;
}
