/**
 * The OpenAPI document reshaped for the reference page (/api/docs): one entry per operation, grouped by
 * area, with its parameters and body fields in a table. Read from the same document clients get, so the
 * page cannot drift from it.
 */
interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

interface Operation {
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string }>;
}

export interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation>>;
}

export interface ReferenceField {
  name: string;
  where: string;
  required: boolean;
  type: string;
  description: string;
}

export interface ReferenceOperation {
  method: string;
  path: string;
  anchor: string;
  description: string;
  fields: ReferenceField[];
  responses: string;
}

export interface ReferenceSection {
  tag: string;
  operations: ReferenceOperation[];
}

/** A short type, e.g. "string (uuid)", "integer 1–12", "uno di: a, b". */
function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return '';
  if (schema.enum) return `uno di: ${schema.enum.map(String).join(', ')}`;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeOf).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'valore');
  if (type === 'array') return `elenco di ${typeOf(schema.items)}`;
  const bounds = [
    schema.minLength !== undefined || schema.maxLength !== undefined
      ? `${schema.minLength ?? 0}–${schema.maxLength ?? '…'} caratteri`
      : '',
    schema.minimum !== undefined || schema.maximum !== undefined
      ? `${schema.minimum ?? '…'}–${schema.maximum ?? '…'}`
      : '',
  ].filter(Boolean);
  return [type, schema.format ? `(${schema.format})` : '', ...bounds].filter(Boolean).join(' ');
}

function bodyFields(operation: Operation): ReferenceField[] {
  const [contentType, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
  const schema = media?.schema;
  if (!schema?.properties) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => ({
    name,
    where: `corpo (${contentType})`,
    required: required.has(name),
    type: typeOf(property),
    description: property.description ?? '',
  }));
}

export function referenceOf(document: OpenApiDocument): ReferenceSection[] {
  const sections = new Map<string, ReferenceOperation[]>();
  for (const [path, methods] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(methods)) {
      const tag = operation.tags?.[0] ?? 'api';
      const parameters = (operation.parameters ?? []).map((p) => ({
        name: p.name,
        where: p.in === 'query' ? 'query' : p.in === 'path' ? 'percorso' : p.in,
        required: Boolean(p.required),
        type: typeOf(p.schema),
        description: p.description ?? p.schema?.description ?? '',
      }));
      const list = sections.get(tag) ?? [];
      list.push({
        method: method.toUpperCase(),
        path,
        anchor: `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-'),
        description: operation.description ?? '',
        fields: [...parameters, ...bodyFields(operation)],
        responses: Object.keys(operation.responses ?? {}).join(', '),
      });
      sections.set(tag, list);
    }
  }
  return [...sections]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tag, operations]) => ({ tag, operations }));
}
