// The CDS clients (EHRs, the CDS Hooks Sandbox) whose JWTs this service trusts, read from the file
// named by CDS_CLIENTS_FILE. No file means no client is trusted: every CDS call is refused.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

/** Key parameters that only a private or symmetric key has: a trust file must never hold secrets. */
const SECRET_KEY_PARAMS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

const publicJwkSchema = z
  .looseObject({
    kty: z.enum(['EC', 'RSA'], { error: 'must be "EC" or "RSA" (asymmetric keys only)' }),
    // The JWT header must name its key (`kid` is required by CDS Hooks), so an unnamed key could never match.
    kid: z.string({ error: 'is required (a token names its key by kid)' }).min(1),
    use: z.literal('sig', { error: 'must be "sig" when present' }).optional(),
    alg: z.string().min(1).optional(),
  })
  .superRefine((jwk, ctx) => {
    for (const param of SECRET_KEY_PARAMS) {
      if (param in jwk) {
        ctx.addIssue({
          code: 'custom',
          path: [param],
          message: 'must not be present: a trust file holds public keys only',
        });
      }
    }
  });

export const jwksSchema = z.object({ keys: z.array(publicJwkSchema).min(1, 'must hold at least one key') });

const cdsClientSchema = z
  .strictObject({
    iss: z.string().min(1, 'must not be empty'),
    jwks: jwksSchema.optional(),
    jwksUrl: httpUrl.optional(),
    allowedJku: z.array(httpUrl).optional(),
    tenants: z.array(z.string().min(1)).min(1, 'must list at least one tenant when present').optional(),
  })
  .superRefine((c, ctx) => {
    if (!c.jwks && !c.jwksUrl && !c.allowedJku?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['jwks'],
        message: 'a client needs its keys: set jwks, jwksUrl or allowedJku',
      });
    }
  });

const cdsClientsFileSchema = z.array(cdsClientSchema).superRefine((clients, ctx) => {
  const seen = new Set<string>();
  clients.forEach((c, i) => {
    if (seen.has(c.iss)) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'iss'],
        message: `duplicates another client's iss "${c.iss}"`,
      });
    }
    seen.add(c.iss);
  });
});

export type CdsClientJwks = z.infer<typeof jwksSchema>;

export interface CdsClient {
  /** The `iss` its tokens carry. */
  iss: string;
  /** Keys exchanged out of band. */
  jwks?: CdsClientJwks;
  /** Where the client publishes its keys; fetched and cached. */
  jwksUrl?: string;
  /** Exact `jku` header values this service will fetch keys from; any other `jku` is ignored. */
  allowedJku: string[];
  /** When set, a token must carry one of these `tenant` values. */
  tenants?: string[];
}

export class CdsClientsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid CDS clients file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CdsClientsFileError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** Validates the parsed JSON of a clients file; `source` names it in errors. */
export function parseCdsClients(json: unknown, source: string): CdsClient[] {
  const result = cdsClientsFileSchema.safeParse(json);
  if (!result.success) {
    throw new CdsClientsFileError(
      source,
      result.error.issues.map((i) => `${formatPath(i.path) || '(root)'}: ${i.message}`),
    );
  }
  return result.data.map((c) => ({ ...c, allowedJku: c.allowedJku ?? [] }));
}

/** Reads CDS_CLIENTS_FILE. No file configured: an empty list, so nothing is trusted. */
export async function loadCdsClients(file: string | undefined): Promise<CdsClient[]> {
  if (!file) return [];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CdsClientsFileError(file, [
      `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CdsClientsFileError(file, [`is not valid JSON (${(e as Error).message})`]);
  }
  return parseCdsClients(json, file);
}
