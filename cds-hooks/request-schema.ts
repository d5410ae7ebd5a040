// CDS Hooks 2.0 request validation: the common envelope plus each hook's context (HL7 hook
// library). Unknown extra fields are tolerated (3.0 additions such as `version`).
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1, 'must be a non-empty string');
const typedRef = (types: string[]) =>
  nonEmpty.regex(
    new RegExp(`^(${types.join('|')})/[A-Za-z0-9\\-.]{1,64}$`),
    `must be a reference of the form ${types.join('|')}/id`,
  );
const fhirId = nonEmpty.regex(/^[A-Za-z0-9\-.]{1,64}$/, 'must be a FHIR id');

/**
 * A Bundle's envelope as CiteCare reads it: entries are objects, each resource (when present) a
 * FHIR resource; links are objects with a relation and a url. Anything else is the client's error,
 * answered 400 with the part named, never a crash further in.
 */
const bundleEnvelope = z.looseObject({
  resourceType: z.literal('Bundle'),
  entry: z
    .array(z.looseObject({ resource: z.looseObject({ resourceType: nonEmpty }).optional() }), {
      error: 'must be an array of entry objects',
    })
    .optional(),
  link: z
    .array(z.looseObject({ relation: z.string(), url: z.string() }), {
      error: 'must be an array of link objects',
    })
    .optional(),
});

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * True only when `bundleEnvelope` would accept the Bundle: a hand-written pass over a few hundred
 * entries costs a small part of zod's, and is all a well-formed prefetch needs. Anything else goes
 * to zod, which stays the one source of the 400's wording.
 */
function plainlyWellFormed(bundle: Record<string, unknown>): boolean {
  const { entry, link } = bundle;
  if (entry !== undefined) {
    if (!Array.isArray(entry)) return false;
    for (const e of entry) {
      if (!isObject(e)) return false;
      const resource = e.resource;
      if (resource === undefined) continue;
      if (!isObject(resource)) return false;
      const type = resource.resourceType;
      if (typeof type !== 'string' || type.trim() === '') return false;
    }
  }
  if (link !== undefined) {
    if (!Array.isArray(link)) return false;
    for (const l of link) {
      if (!isObject(l) || typeof l.relation !== 'string' || typeof l.url !== 'string') return false;
    }
  }
  return true;
}

/** A prefetch value: a FHIR resource (a searchset Bundle, an OperationOutcome…) or null. */
const prefetchValue = z.union([z.null(), z.looseObject({ resourceType: nonEmpty })]).superRefine((v, ctx) => {
  if (v?.resourceType !== 'Bundle' || plainlyWellFormed(v)) return;
  const envelope = bundleEnvelope.safeParse(v);
  if (envelope.success) return;
  for (const issue of envelope.error.issues) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
});

const bundle = z.looseObject({
  resourceType: z.literal('Bundle', { error: 'must be a FHIR Bundle' }),
  entry: z
    .array(z.looseObject({ resource: z.looseObject({ resourceType: nonEmpty }).optional() }))
    .optional(),
});

export const fhirAuthorizationSchema = z.looseObject({
  access_token: nonEmpty,
  token_type: z.literal('Bearer', { error: 'must be "Bearer"' }),
  expires_in: z.number().int().nonnegative(),
  scope: nonEmpty,
  subject: nonEmpty,
  patient: fhirId.optional(),
});

export function requestSchema<C extends z.ZodType>(hook: string, context: C) {
  return z
    .looseObject({
      hook: z.literal(hook, { error: `must be "${hook}"` }),
      hookInstance: nonEmpty.max(200),
      fhirServer: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(),
      fhirAuthorization: fhirAuthorizationSchema.optional(),
      context,
      prefetch: z.record(z.string(), prefetchValue).optional(),
    })
    .superRefine((r, ctx) => {
      if (r.fhirAuthorization && !r.fhirServer) {
        ctx.addIssue({
          code: 'custom',
          path: ['fhirServer'],
          message: 'is required when fhirAuthorization is present',
        });
      }
    });
}

const userRef = typedRef(['Practitioner', 'PractitionerRole', 'Patient', 'RelatedPerson']);
const clinicianRef = typedRef(['Practitioner', 'PractitionerRole']);

export const patientViewContext = z.looseObject({
  userId: userRef,
  patientId: fhirId,
  encounterId: fhirId.optional(),
});

export const encounterStartContext = z.looseObject({
  userId: userRef,
  patientId: fhirId,
  encounterId: fhirId,
});

export const orderSignContext = z.looseObject({
  userId: clinicianRef,
  patientId: fhirId,
  encounterId: fhirId.optional(),
  draftOrders: bundle,
});

export const orderSelectContext = orderSignContext.extend({
  selections: z.array(nonEmpty).min(1, 'must list at least one selected order'),
});

/** Zod issues → one plain sentence per issue, and FHIRPath-ish expressions naming the fields. */
export function describeIssues(error: z.ZodError): { message: string; fields: string[] } {
  const fields = error.issues.map((i) => (i.path.length ? i.path.map(String).join('.') : '(body)'));
  const message = error.issues
    .map((i, n) => `${fields[n]}: ${i.message.replace(/^Invalid input: /, '')}`)
    .join('; ');
  return { message, fields: [...new Set(fields)] };
}
