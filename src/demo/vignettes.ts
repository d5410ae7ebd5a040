// The evaluation set: fictional FHIR bundles, each with the acuity level the developers assigned
// from the ESI v4 handbook logic and the NEWS2 / qSOFA values computed by hand from its vitals.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle } from '@medplum/fhirtypes';
import { z } from 'zod';

export const VIGNETTES_DIR = fileURLToPath(new URL('../../eval/vignettes/', import.meta.url));
/** The holdout set: written before the rules it checks, never edited to make a rule pass. */
export const HOLDOUT_DIR = fileURLToPath(new URL('../../eval/vignettes/holdout/', import.meta.url));

const level = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);

export const vignetteSchema = z.object({
  id: z.string().min(1),
  chiefComplaint: z.string().min(1),
  at: z.iso.datetime(),
  reference: z.object({
    esi: level,
    esiRationale: z.string().min(1),
    news2: z.number().int().min(0).max(20).nullable(),
    qsofa: z.number().int().min(0).max(3).nullable(),
  }),
  bundle: z.looseObject({
    resourceType: z.literal('Bundle'),
    entry: z
      .array(z.object({ resource: z.looseObject({ resourceType: z.string(), id: z.string() }) }))
      .min(1),
  }),
});

export type Vignette = Omit<z.infer<typeof vignetteSchema>, 'bundle'> & { bundle: Bundle };

export async function loadVignettes(dir = VIGNETTES_DIR): Promise<Vignette[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
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
