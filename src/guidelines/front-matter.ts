// Front matter of one guideline document. Institutions add their own Markdown files, so the
// schema is the contract: a bad file is rejected with its name and the offending field.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SYSTEM } from '../clinical/codes.ts';
import { isTopic } from '../clinical/topics.ts';

/** Code systems a guideline document may declare in `codes` (FHIR system URIs). */
/** The code systems a guideline's `codes` may use: a subset of the project's one code table. */
export const GUIDELINE_CODE_SYSTEMS = {
  snomed: SYSTEM.snomed,
  icd10cm: SYSTEM.icd10cm,
  loinc: SYSTEM.loinc,
  rxnorm: SYSTEM.rxnorm,
} as const;

const allowedSystems: readonly string[] = Object.values(GUIDELINE_CODE_SYSTEMS);

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const frontMatterSchema = z.strictObject({
  id: z.string().regex(kebab, 'must be kebab-case (a-z, 0-9, single hyphens)'),
  title: z.string().trim().min(1, 'must not be empty'),
  issuer: z.string().trim().min(1, 'must not be empty'),
  year: z.number().int().min(1900).max(2100),
  url: z.url({ protocol: /^https$/, error: 'must be an absolute https URL' }),
  reviewed: z.iso.date({ error: 'must be an ISO date (YYYY-MM-DD)' }),
  topics: z
    .array(z.string().refine(isTopic, { error: (i) => `unknown topic "${String(i.input)}"` }))
    .min(1, 'needs at least one topic'),
  codes: z
    .array(
      z.string().refine(
        (s) => {
          const bar = s.lastIndexOf('|');
          return bar > 0 && bar < s.length - 1 && allowedSystems.includes(s.slice(0, bar));
        },
        { error: (i) => `"${String(i.input)}" is not system|code with a known system` },
      ),
    )
    .default([]),
  /** States that the body is a paraphrase, not the guideline's text. */
  note: z.string().trim().min(1).optional(),
});

export type GuidelineFrontMatter = z.infer<typeof frontMatterSchema>;

/** A guideline file that cannot be loaded; names the file and, when known, the field. */
export class GuidelineFormatError extends Error {
  constructor(
    public readonly file: string,
    public readonly field: string | undefined,
    public readonly problem: string,
  ) {
    super(field ? `${file}: front matter field "${field}" ${problem}` : `${file}: ${problem}`);
    this.name = 'GuidelineFormatError';
  }
}

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/** Splits a Markdown file into validated front matter and its body. */
export function parseFrontMatter(file: string, source: string): { meta: GuidelineFrontMatter; body: string } {
  const m = FENCE.exec(source);
  if (!m) throw new GuidelineFormatError(file, undefined, 'missing YAML front matter between --- lines');
  let raw: unknown;
  try {
    // Dates stay strings: the core schema has no timestamp type.
    raw = parseYaml(m[1]!, { schema: 'core' });
  } catch (err) {
    throw new GuidelineFormatError(file, undefined, `invalid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = frontMatterSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      throw new GuidelineFormatError(file, issue.keys[0], 'is not a known field');
    }
    const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    const problem = issue.message.replace(/^Invalid input: /, '');
    throw new GuidelineFormatError(file, field, problem);
  }
  return { meta: parsed.data, body: source.slice(m[0].length) };
}
