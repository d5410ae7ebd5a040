// The drug knowledge behind the whole-list medication review, as data (knowledge/drug-table.json):
// ingredients and their classes, interacting pairs, dose limits, drug–lab rules and Beers rows. This
// module only defines and checks the shape; the wiring reads the file and passes the table in.
import { z } from 'zod';
import { REVIEW_SEVERITIES } from '../types.ts';

const key = z.string().min(1);
const severity = z.enum(REVIEW_SEVERITIES);
/** A guideline chunk id (`document#section`): every line cites exactly this passage. */
const passage = z.string().regex(/^[a-z0-9-]+#[a-z0-9-]+$/, 'a chunk id like document#section');

export const matcherSchema = z
  .strictObject({ classes: z.array(key).min(1).optional(), ingredients: z.array(key).min(1).optional() })
  .refine((m) => m.classes || m.ingredients, 'a matcher needs classes or ingredients');

const ingredientSchema = z.strictObject({
  key,
  classes: z.array(key).min(1),
  /** RxNorm ingredient (IN) codes. */
  rxcui: z.array(z.string().regex(/^\d+$/)).optional(),
  names: z.array(key).optional(),
});

export const drugTableSchema = z
  .strictObject({
    version: z.string().min(1),
    description: z.string(),
    ingredients: z.array(ingredientSchema).min(1),
    interactions: z.array(
      z.strictObject({
        id: key,
        a: matcherSchema,
        b: matcherSchema,
        severity,
        label: z.string().min(1),
        mechanism: z.string().min(1),
        advice: z.string().min(1),
        source: z.string().min(1),
        passage,
      }),
    ),
    doseLimits: z.array(
      z.strictObject({
        id: key,
        ingredient: key,
        with: matcherSchema,
        maxDailyMg: z.number().positive(),
        severity,
        label: z.string().min(1),
        source: z.string().min(1),
        passage,
      }),
    ),
    drugLab: z.array(
      z.strictObject({
        id: key,
        drug: matcherSchema,
        lab: z.literal('potassium'),
        atLeast: z.number(),
        unit: z.string(),
        severity,
        label: z.string().min(1),
        advice: z.string().min(1),
        source: z.string().min(1),
        passage,
      }),
    ),
    beers: z.array(
      z.strictObject({ id: key, drug: matcherSchema, severity, why: z.string().min(1), passage }),
    ),
    beersCombos: z.array(
      z.strictObject({
        id: key,
        a: matcherSchema,
        b: matcherSchema,
        severity,
        why: z.string().min(1),
        passage,
      }),
    ),
    cnsActive: z.strictObject({ minCount: z.number().int().min(2), severity, passage }),
  })
  .superRefine((t, ctx) => {
    // Every class a rule names must belong to some ingredient, or the rule could never fire.
    const classes = new Set(t.ingredients.flatMap((i) => i.classes));
    const keys = new Set(t.ingredients.map((i) => i.key));
    const matchers = [
      ...t.interactions.flatMap((r) => [r.a, r.b]),
      ...t.doseLimits.map((r) => r.with),
      ...t.drugLab.map((r) => r.drug),
      ...t.beers.map((r) => r.drug),
      ...t.beersCombos.flatMap((r) => [r.a, r.b]),
    ];
    for (const m of matchers) {
      for (const c of m.classes ?? [])
        if (!classes.has(c)) ctx.addIssue({ code: 'custom', message: `class "${c}" has no ingredient` });
      for (const i of m.ingredients ?? [])
        if (!keys.has(i)) ctx.addIssue({ code: 'custom', message: `ingredient "${i}" is not in the table` });
    }
    for (const d of t.doseLimits)
      if (!keys.has(d.ingredient))
        ctx.addIssue({ code: 'custom', message: `dose limit ${d.id}: unknown ingredient ${d.ingredient}` });
    const ids = [t.interactions, t.doseLimits, t.drugLab, t.beers, t.beersCombos].flat().map((r) => r.id);
    for (const id of new Set(ids.filter((x, i) => ids.indexOf(x) !== i)))
      ctx.addIssue({ code: 'custom', message: `duplicate rule id ${id}` });
  });

export type DrugTable = z.infer<typeof drugTableSchema>;
export type Matcher = z.infer<typeof matcherSchema>;

export class DrugTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DrugTableError';
  }
}

/** Checks unknown JSON against the schema; the message names the first bad field. */
export function parseDrugTable(json: unknown): DrugTable {
  const r = drugTableSchema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new DrugTableError(`drug table invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
}

/** Every guideline chunk the table cites (a test checks each exists in the corpus). */
export function citedPassages(t: DrugTable): string[] {
  const rows = [t.interactions, t.doseLimits, t.drugLab, t.beers, t.beersCombos].flat();
  return [...new Set([...rows.map((r) => r.passage), t.cnsActive.passage])];
}
