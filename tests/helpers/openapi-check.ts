// Checks recorded HTTP responses against an OpenAPI 3 document: the operation is found by method
// and path template, the status must be documented, and a JSON body must match its schema.
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

export interface RecordedResponse {
  method: string;
  url: string;
  statusCode: number;
  contentType: string;
  body: string;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>
  >;
}

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ('default' in addFormatsModule
  ? addFormatsModule.default
  : addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** Problems found, one line each; empty when every response matches. */
export function openApiProblems(doc: OpenApiDocument, responses: RecordedResponse[]): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const templates = Object.keys(doc.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const problems: string[] = [];
  for (const r of responses) {
    const path = r.url.split('?', 1)[0]!;
    const where = `${r.method} ${r.url} → ${r.statusCode}`;
    const match = templates.find((t) => t.pattern.test(path));
    const operation = match ? doc.paths[match.template]?.[r.method.toLowerCase()] : undefined;
    if (!operation) {
      problems.push(`${where}: no such operation in the document`);
      continue;
    }
    const documented = operation.responses?.[String(r.statusCode)] ?? operation.responses?.default;
    if (!documented) {
      problems.push(`${where}: status not documented`);
      continue;
    }
    if (!r.contentType.startsWith('application/json')) continue;
    const schema = documented.content?.['application/json']?.schema;
    if (!schema) {
      problems.push(`${where}: JSON body without a documented schema`);
      continue;
    }
    const validate = ajv.compile(schema);
    if (!validate(JSON.parse(r.body))) problems.push(`${where}: ${ajv.errorsText(validate.errors)}`);
  }
  return problems;
}
