// The evaluation sets: fictional FHIR bundles, each with the acuity level the developers assigned
// from the ESI v4 handbook logic and the NEWS2 / qSOFA values computed by hand from its vitals.
// The main set is the top-level files of eval/vignettes/; the holdout set is eval/vignettes/holdout/,
// written before the rules it checks and never edited to make a rule pass (its README).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle } from '@medplum/fhirtypes';
import { z } from 'zod';

export const VIGNETTES_DIR = fileURLToPath(new URL('../../eval/vignettes/', import.meta.url));
/** The holdout set: written before the rules it checks, never edited to make a rule pass. */
export const HOLDOUT_DIR = fileURLToPath(new URL('../../eval/vignettes/holdout/', import.meta.url));

export const VIGNETTE_SETS = ['main', 'holdout'] as const;
export type VignetteSetName = (typeof VIGNETTE_SETS)[number];

const level = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
const points = z.number().int().min(0).max(3);

export const vignetteSchema = z
  .object({
    id: z.string().min(1),
    chiefComplaint: z.string().min(1),
    at: z.iso.datetime(),
    /** A low-risk control: its reference is ESI 3–5 and it must never be shown as ESI 1 or 2. */
    control: z.boolean().default(false),
    /** Coverage labels, e.g. "B:gu-torsion", "variant:consciousness-80288-4", "band:infant". */
    tags: z.array(z.string().min(1)).default([]),
    reference: z.object({
      esi: level,
      esiRationale: z.string().min(1),
      news2: z.number().int().min(0).max(20).nullable(),
      news2Components: z
        .object({
          respiratoryRate: points,
          spo2: points,
          supplementalOxygen: z.union([z.literal(0), z.literal(2)]),
          systolicBP: points,
          heartRate: points,
          consciousness: z.union([z.literal(0), z.literal(3)]),
          temperature: points,
        })
        .optional(),
      qsofa: z.number().int().min(0).max(3).nullable(),
      /** LOINC codes of vital-sign observations a correct reader must report as not understood. */
      unrecognisedCodes: z.array(z.string().regex(/^\d{1,7}-\d$/)).optional(),
    }),
    bundle: z.looseObject({
      resourceType: z.literal('Bundle'),
      entry: z
        .array(z.object({ resource: z.looseObject({ resourceType: z.string(), id: z.string() }) }))
        .min(1),
    }),
  })
  .superRefine((v, ctx) => {
    if (v.control && v.reference.esi < 3)
      ctx.addIssue({ code: 'custom', path: ['control'], message: 'a control has a reference ESI of 3 to 5' });
    const c = v.reference.news2Components;
    if (c) {
      const sum = Object.values(c).reduce((a, b) => a + b, 0);
      if (sum !== v.reference.news2)
        ctx.addIssue({
          code: 'custom',
          path: ['reference', 'news2'],
          message: `NEWS2 ${v.reference.news2} is not the sum of its components (${sum})`,
        });
    }
  });

export type Vignette = Omit<z.infer<typeof vignetteSchema>, 'bundle'> & { bundle: Bundle };

/** Every `*.json` file directly in `dir` (sub-folders are other sets), validated and sorted by file name. */
export async function loadVignettes(dir = VIGNETTES_DIR): Promise<Vignette[]> {
  const files = (await readdir(dir, { withFileTypes: true }))
    .filter((f) => f.isFile() && f.name.endsWith('.json'))
    .map((f) => f.name)
    .sort();
  const out: Vignette[] = [];
  for (const file of files) {
    const parsed = vignetteSchema.safeParse(JSON.parse(await readFile(join(dir, file), 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}: ${issue?.path.join('.')} ${issue?.message}`);
    }
    out.push({ ...parsed.data, bundle: parsed.data.bundle as unknown as Bundle });
  }
  return out;
}

/** Both sets; an id may appear in only one of them. */
export async function loadVignetteSets(
  dirs: Record<VignetteSetName, string> = { main: VIGNETTES_DIR, holdout: HOLDOUT_DIR },
): Promise<Record<VignetteSetName, Vignette[]>> {
  const main = await loadVignettes(dirs.main);
  const holdout = await loadVignettes(dirs.holdout);
  const seen = new Set(main.map((v) => v.id));
  for (const v of holdout) {
    if (seen.has(v.id)) throw new Error(`vignette id ${v.id} is in both the main and the holdout set`);
  }
  return { main, holdout };
}
