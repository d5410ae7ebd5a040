// CDS Hooks 2.0 response schema. The spec's JSON rule: optional fields without a value are
// omitted, never null, "", [] or {}. Every response is checked against this before it leaves.
import { z } from 'zod';

const text = z.string().trim().min(1);
const absUrl = z.url({ protocol: /^https?$/ });

export const codingSchema = z.strictObject({
  system: text,
  code: text,
  display: text.optional(),
});

const nonEmptyObject = z
  .record(z.string(), z.unknown())
  .refine((o) => Object.keys(o).length > 0, 'must not be empty');

export const actionSchema = z
  .strictObject({
    type: z.enum(['create', 'update', 'delete']),
    description: text,
    resource: nonEmptyObject.optional(),
    resourceId: text.optional(),
  })
  .refine((a) => a.type === 'delete' || a.resource !== undefined, 'create/update actions need a resource')
  .refine((a) => a.type !== 'delete' || a.resourceId !== undefined, 'delete actions need a resourceId');

export const suggestionSchema = z.strictObject({
  label: text,
  uuid: z.uuid(),
  isRecommended: z.boolean().optional(),
  actions: z.array(actionSchema).min(1).optional(),
});

export const linkSchema = z
  .strictObject({
    label: text,
    url: absUrl,
    type: z.enum(['absolute', 'smart']),
    appContext: text.optional(),
    autolaunchable: z.boolean().optional(),
  })
  .refine((l) => l.type === 'smart' || l.appContext === undefined, 'appContext is only for smart links');

export const cardSchema = z
  .strictObject({
    uuid: z.uuid(),
    summary: text.max(139, 'summary must be under 140 characters'),
    detail: text.optional(),
    indicator: z.enum(['info', 'warning', 'critical']),
    source: z.strictObject({
      label: text,
      url: absUrl.optional(),
      icon: absUrl.optional(),
      topic: codingSchema.optional(),
    }),
    suggestions: z.array(suggestionSchema).min(1).optional(),
    selectionBehavior: z.enum(['at-most-one', 'any']).optional(),
    overrideReasons: z
      .array(codingSchema.extend({ display: text }))
      .min(1)
      .optional(),
    links: z.array(linkSchema).min(1).optional(),
    extension: nonEmptyObject.optional(),
  })
  .refine((c) => !c.suggestions || c.selectionBehavior, 'selectionBehavior is required with suggestions');

export const cdsResponseSchema = z.strictObject({
  cards: z.array(cardSchema),
  systemActions: z.array(actionSchema).min(1).optional(),
});

export type Card = z.infer<typeof cardSchema>;
export type CdsResponse = z.infer<typeof cdsResponseSchema>;
export type Suggestion = z.infer<typeof suggestionSchema>;
export type CardAction = z.infer<typeof actionSchema>;
export type CardLink = z.infer<typeof linkSchema>;
export type Coding = z.infer<typeof codingSchema>;

/** Removes undefined, null, empty strings, empty arrays and empty objects, recursively. */
export function prune<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(prune).filter((v) => !isEmpty(v)) as T;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (!isEmpty(p)) out[k] = p;
    }
    return out as T;
  }
  return value;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}
