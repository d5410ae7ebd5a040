// Reading a FHIR Bundle file (transaction, batch, collection or searchset) into plain resources.
// Transaction bundles reference each other by `urn:uuid:` fullUrls; those references are rewritten to
// `Type/id` (the resource's own id, or the uuid when it has none) so every fact can cite a real `Type/id`.
import { readFile } from 'node:fs/promises';
import type { Resource } from '@medplum/fhirtypes';
import { z } from 'zod';

export type BundleFileErrorCode =
  | 'not-found'
  | 'unreadable'
  | 'invalid-json'
  | 'not-a-bundle'
  | 'unsupported-type';

export class BundleFileError extends Error {
  readonly code: BundleFileErrorCode;
  readonly path?: string;
  constructor(code: BundleFileErrorCode, message: string, path?: string) {
    super(message);
    this.name = 'BundleFileError';
    this.code = code;
    this.path = path;
  }
}

export const SUPPORTED_BUNDLE_TYPES = ['transaction', 'batch', 'collection', 'searchset'] as const;
export type SupportedBundleType = (typeof SUPPORTED_BUNDLE_TYPES)[number];

const resourceSchema = z.looseObject({ resourceType: z.string().min(1), id: z.string().optional() });
const entrySchema = z.looseObject({
  fullUrl: z.string().optional(),
  resource: resourceSchema.optional(),
  request: z.looseObject({ method: z.string().optional(), url: z.string().optional() }).optional(),
  search: z.looseObject({ mode: z.string().optional() }).optional(),
});
const bundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.string(),
  entry: z.array(entrySchema).optional(),
});

export interface BundleContents {
  type: SupportedBundleType;
  resources: Resource[];
  /** Entries that carried no resource or were skipped (DELETE requests, search outcomes). */
  skipped: number;
}

const UUID_ID = /^urn:uuid:([0-9a-fA-F-]{1,64})$/;
const ABSOLUTE = /\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** Parses a Bundle already in memory. Throws BundleFileError for anything that is not a supported Bundle. */
export function resourcesFromBundle(json: unknown, path?: string): BundleContents {
  const parsed = bundleSchema.safeParse(json);
  if (!parsed.success) {
    const rt =
      typeof json === 'object' && json !== null
        ? (json as { resourceType?: unknown }).resourceType
        : undefined;
    const msg =
      rt !== 'Bundle'
        ? `expected a FHIR Bundle, got ${typeof rt === 'string' ? `a ${rt}` : 'something else'}`
        : `malformed Bundle: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim();
    throw new BundleFileError('not-a-bundle', path ? `${path}: ${msg}` : msg, path);
  }
  const b = parsed.data;
  if (!(SUPPORTED_BUNDLE_TYPES as readonly string[]).includes(b.type)) {
    throw new BundleFileError(
      'unsupported-type',
      `${path ? `${path}: ` : ''}Bundle type "${b.type}" is not supported (use ${SUPPORTED_BUNDLE_TYPES.join(', ')})`,
      path,
    );
  }
  const aliases = new Map<string, string>();
  const kept: Array<Record<string, unknown> & { resourceType: string; id?: string }> = [];
  let skipped = 0;
  for (const e of b.entry ?? []) {
    const method = e.request?.method?.toUpperCase();
    if (!e.resource || method === 'DELETE' || e.search?.mode === 'outcome') {
      skipped++;
      continue;
    }
    const r = { ...e.resource };
    const uuid = e.fullUrl ? UUID_ID.exec(e.fullUrl)?.[1] : undefined;
    if (!r.id) {
      const fromUrl = e.request?.url && /^[A-Z][A-Za-z]+\/([A-Za-z0-9\-.]{1,64})$/.exec(e.request.url)?.[1];
      const id = uuid ?? fromUrl ?? (e.fullUrl ? ABSOLUTE.exec(e.fullUrl)?.[2] : undefined);
      if (id) r.id = id;
    }
    if (r.id && e.fullUrl) aliases.set(e.fullUrl, `${r.resourceType}/${r.id}`);
    kept.push(r);
  }
  const resources =
    aliases.size > 0 ? kept.map((r) => rewriteRefs(r, aliases) as Resource) : (kept as unknown as Resource[]);
  return { type: b.type as SupportedBundleType, resources, skipped };
}

/** Reads and parses a Bundle file. Errors are BundleFileError with a code saying what went wrong. */
export async function readBundleFile(path: string): Promise<BundleContents> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BundleFileError('not-found', `${path}: no such file`, path);
    throw new BundleFileError('unreadable', `${path}: cannot be read (${code ?? 'error'})`, path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BundleFileError('invalid-json', `${path}: not valid JSON (${(err as Error).message})`, path);
  }
  return resourcesFromBundle(json, path);
}

function rewriteRefs(value: unknown, aliases: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, aliases));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'reference' && typeof v === 'string') out[k] = aliases.get(v) ?? v;
    else if (typeof v === 'object' && v !== null) out[k] = rewriteRefs(v, aliases);
    else out[k] = v;
  }
  return out;
}
