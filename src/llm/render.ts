// The snapshot as the model sees it: compact, de-identified, every fact tagged with an opaque
// evidence token, free text redacted and fenced as untrusted data. If the result is over the
// token budget it is rendered again with less detail (fewer history points, shorter notes and
// passages) rather than cut mid-way.
import type { Assessment, ClinicalSnapshot } from '../clinical/types.ts';
import type { Passage } from '../guidelines/types.ts';
import { EvidenceTokens } from './evidence-tokens.ts';
import { freeTextScrubber } from './fact-labels.ts';
import { fence } from './fence.ts';
import { relativeTime } from './relative-time.ts';
import { cleanText } from './render-lines.ts';
import {
  allergySection,
  conditionSection,
  type Detail,
  type Draft,
  findingSection,
  freeTextSection,
  medicationSection,
  passageSection,
  patientSection,
  readingSections,
  triageSection,
} from './render-sections.ts';
import { countTokens } from './tokens.ts';

export { fence, UNTRUSTED_CLOSE, UNTRUSTED_OPEN } from './fence.ts';

export interface RenderInput {
  snapshot: ClinicalSnapshot;
  assessment: Assessment;
  passages: readonly Passage[];
  /** Known identifying strings to scrub from free text (see phiTermsFromResources). */
  phiTerms?: readonly string[];
}

export interface RenderOptions {
  /** Token budget for the rendered input (default 2000, leaving room for the system prompt). */
  maxTokens?: number;
  countTokens?: (text: string) => number;
}

export interface RenderedInput {
  text: string;
  evidence: EvidenceTokens;
  /**
   * Token → the lines stating its fact (readings, conditions, medicines, allergies, notes). The
   * Patient, the Encounter and references only named by rule results have none: the verifier does
   * not accept them as evidence.
   */
  factLines: Map<string, string[]>;
  /** The passages the model was shown, by chunk id: the only ones it may cite. */
  passages: Map<string, Passage>;
  tokens: number;
  /** Detail level used: 0 is full, higher is more condensed. */
  detail: number;
}

const DETAIL_LEVELS: readonly Detail[] = [
  {
    history: 2,
    conditions: 25,
    medications: 20,
    allergies: 12,
    notes: 3,
    noteChars: 1200,
    passages: 8,
    passageChars: 1400,
    findings: 12,
  },
  {
    history: 1,
    conditions: 15,
    medications: 12,
    allergies: 8,
    notes: 2,
    noteChars: 700,
    passages: 6,
    passageChars: 900,
    findings: 10,
  },
  {
    history: 0,
    conditions: 10,
    medications: 8,
    allergies: 6,
    notes: 1,
    noteChars: 450,
    passages: 5,
    passageChars: 600,
    findings: 8,
  },
  {
    history: 0,
    conditions: 6,
    medications: 5,
    allergies: 4,
    notes: 1,
    noteChars: 250,
    passages: 3,
    passageChars: 400,
    findings: 6,
  },
];

export function renderAdviceInput(input: RenderInput, options: RenderOptions = {}): RenderedInput {
  const maxTokens = options.maxTokens ?? 2000;
  const count = options.countTokens ?? countTokens;
  let last: RenderedInput | undefined;
  for (let level = 0; level < DETAIL_LEVELS.length; level++) {
    const rendered = renderAt(input, DETAIL_LEVELS[level]!, level, count);
    if (rendered.tokens <= maxTokens) return rendered;
    last = rendered;
  }
  return last!;
}

/** A rendering in progress at one detail level: no lines yet, no tokens handed out. */
function startDraft(input: RenderInput, d: Detail): Draft {
  const { snapshot: s, assessment: a } = input;
  const factLines = new Map<string, string[]>();
  return {
    s,
    a,
    d,
    ev: new EvidenceTokens(),
    out: [],
    untrusted: [],
    factLines,
    clean: (text, max = 120) => cleanText(text, max, input.phiTerms),
    ago: (iso) => relativeTime(iso, s.at),
    fact: (line) => {
      for (const token of new Set(line.match(/\bE\d+\b/g) ?? [])) {
        factLines.set(token, [...(factLines.get(token) ?? []), line]);
      }
      return line;
    },
    scrub: freeTextScrubber(s),
  };
}

// The sections run in this order on purpose: evidence tokens are numbered as they are handed out.
function renderAt(input: RenderInput, d: Detail, level: number, count: (t: string) => number): RenderedInput {
  const draft = startDraft(input, d);
  patientSection(draft);
  readingSections(draft);
  conditionSection(draft);
  medicationSection(draft);
  allergySection(draft);
  triageSection(draft);
  findingSection(draft);
  const passages = passageSection(draft, input.passages);
  freeTextSection(draft);
  const { out, untrusted, ev, factLines } = draft;
  if (untrusted.length) out.push('FREE TEXT:', fence(untrusted.join('\n')));
  const text = out.join('\n');
  return { text, evidence: ev, factLines, passages, tokens: count(text), detail: level };
}
