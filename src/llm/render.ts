// The snapshot as the model sees it: compact, de-identified, every fact tagged with an opaque
// evidence token, free text redacted and fenced as untrusted data. If the result is over the
// token budget it is rendered again with less detail (fewer history points, shorter notes and
// passages) rather than cut mid-way.
import { type Assessment, bySeverity, type ClinicalSnapshot } from '../clinical/types.ts';
import type { Passage } from '../guidelines/types.ts';
import { EvidenceTokens } from './evidence-tokens.ts';
import { allergyLabel, conditionLabel, freeTextScrubber, medicationLabel } from './fact-labels.ts';
import { fence } from './fence.ts';
import { redactText } from './redact.ts';
import { ageLabel, relativeTime } from './relative-time.ts';
import {
  labLabels,
  more,
  newestFirst,
  oneLine,
  scoreLine,
  seriesLines,
  truncateAtWord,
  VITAL_LABELS,
} from './render-lines.ts';
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

interface Detail {
  history: number;
  conditions: number;
  medications: number;
  allergies: number;
  notes: number;
  noteChars: number;
  passages: number;
  passageChars: number;
  findings: number;
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

const ACTIVE_CONDITION = new Set(['active', 'recurrence', 'relapse', '']);
const ACTIVE_MEDICATION = new Set(['active', 'on-hold', 'draft', 'intended', 'unknown', '']);

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

function renderAt(input: RenderInput, d: Detail, level: number, count: (t: string) => number): RenderedInput {
  const { snapshot: s, assessment: a } = input;
  const ev = new EvidenceTokens();
  const clean = (text: string, max = 120) => cleanText(text, max, input.phiTerms);
  const ago = (iso?: string) => relativeTime(iso, s.at);
  const out: string[] = [];
  const untrusted: string[] = [];
  const factLines = new Map<string, string[]>();
  /** Records a line as stating the facts of the tokens in it, and returns it. */
  const fact = (line: string): string => {
    for (const token of new Set(line.match(/\bE\d+\b/g) ?? [])) {
      factLines.set(token, [...(factLines.get(token) ?? []), line]);
    }
    return line;
  };
  const scrub = freeTextScrubber(s);

  const p = s.patient;
  const patientBits = [ageLabel(p.ageYears, p.ageMonths), p.sex];
  if (p.pregnant) patientBits.push('pregnant');
  // The patient and the encounter carry no token: they are not facts a statement can rest on.
  out.push(`PATIENT: ${patientBits.join(', ')}`);
  out.push('Times are relative to now.');
  if (s.encounter) {
    const e = s.encounter;
    // Codes only: anything else in these fields is free text and has no place outside the fence.
    const code = (v?: string) => (v && /^[A-Za-z0-9_.-]{1,24}$/.test(v) ? v : undefined);
    const bits = [
      code(e.classCode) && `class ${code(e.classCode)}`,
      code(e.status) && `status ${code(e.status)}`,
    ];
    out.push(`ENCOUNTER: ${bits.filter(Boolean).join(', ') || 'current'}`);
  }

  const vitals = seriesLines(s.vitals, VITAL_LABELS, d, ev, ago);
  if (vitals.length) out.push('VITALS:', ...vitals.map(fact));
  const labs = seriesLines(s.labs, labLabels(s.labs), d, ev, ago);
  if (labs.length) out.push('LABS:', ...labs.map(fact));

  const conditions = s.conditions.filter(
    (c) =>
      ACTIVE_CONDITION.has(c.clinicalStatus) &&
      !['refuted', 'entered-in-error'].includes(c.verificationStatus),
  );
  if (conditions.length) {
    out.push('ACTIVE CONDITIONS:');
    for (const c of newestFirst(conditions, (c) => c.onset).slice(0, d.conditions)) {
      const onset = ago(c.onset);
      const token = ev.tokenFor(c.source);
      const l = conditionLabel(c);
      out.push(fact(`- ${token} ${clean(l.label)}${onset ? ` (onset ${onset})` : ''}`));
      if (l.freeText) untrusted.push(fact(`Condition ${token} as written: ${clean(l.freeText)}`));
    }
    more(out, conditions.length - d.conditions, 'conditions');
  }

  const meds = s.medications.filter((m) => m.draft || ACTIVE_MEDICATION.has(m.status));
  if (meds.length) {
    out.push('MEDICATIONS:');
    const ordered = [...meds.filter((m) => m.draft), ...meds.filter((m) => !m.draft)];
    for (const m of ordered.slice(0, d.medications)) {
      const tags = [m.draft ? 'DRAFT ORDER' : '', m.classes.length ? `class ${m.classes.join('/')}` : '']
        .filter(Boolean)
        .join('; ');
      const token = ev.tokenFor(m.source);
      const l = medicationLabel(m);
      out.push(fact(`- ${token} ${clean(l.label)}${tags ? ` [${tags}]` : ''}`));
      if (l.freeText) untrusted.push(fact(`Medication ${token} as written: ${clean(l.freeText)}`));
    }
    more(out, meds.length - d.medications, 'medications');
  }

  if (s.allergies.length) {
    out.push('ALLERGIES:');
    for (const al of s.allergies.slice(0, d.allergies)) {
      const tags = [
        al.criticality && `criticality ${al.criticality}`,
        al.classes.length && `class ${al.classes.join('/')}`,
      ]
        .filter(Boolean)
        .join('; ');
      const token = ev.tokenFor(al.source);
      const l = allergyLabel(al);
      out.push(fact(`- ${token} ${clean(l.label)}${tags ? ` [${tags}]` : ''}`));
      if (l.freeText) untrusted.push(fact(`Allergy ${token} as written: ${clean(l.freeText)}`));
    }
    more(out, s.allergies.length - d.allergies, 'allergies');
  }

  out.push(`SCORES: ${scoreLine(a.scores)}`);
  const t = a.triage;
  const floor = t.floorLevel === null ? 'none' : `level ${t.floorLevel}`;
  const tEvidence = t.evidence.length ? ` (${t.evidence.map((r) => ev.tokenFor(r)).join(', ')})` : '';
  out.push(`DETERMINISTIC TRIAGE: level ${t.level}; safety floor ${floor}${tEvidence}`);
  for (const r of t.reasons.slice(0, 6)) out.push(`- ${clean(scrub(r), 200)}`);

  if (a.findings.length) {
    out.push('RULE FINDINGS:');
    const findings = [...a.findings].sort(bySeverity);
    for (const f of findings.slice(0, d.findings)) {
      const refs = f.evidence.length ? ` (${f.evidence.map((r) => ev.tokenFor(r)).join(', ')})` : '';
      out.push(`- [${f.severity}] ${f.id}: ${clean(scrub(f.summary), 200)}${refs}`);
    }
    more(out, a.findings.length - d.findings, 'findings');
  }

  const shown = input.passages.slice(0, d.passages);
  const passages = new Map(shown.map((ps) => [ps.chunkId, ps]));
  if (shown.length) {
    out.push('GUIDELINE PASSAGES (cite by chunk id, quote exactly):');
    for (const ps of shown) {
      out.push(
        `[chunk ${ps.chunkId}] ${oneLine(ps.issuer, 60)}, ${oneLine(ps.title, 120)} (${ps.year}), § ${oneLine(ps.section, 80)}`,
      );
      out.push(truncateAtWord(ps.text.trim(), d.passageChars));
    }
  } else {
    out.push('GUIDELINE PASSAGES: none retrieved (statements can rely on patient evidence only).');
  }

  if (s.chiefComplaint?.trim()) untrusted.push(`Chief complaint: ${clean(s.chiefComplaint, 400)}`);
  if (s.encounter?.reason?.trim()) {
    untrusted.push(`Encounter reason: ${clean(s.encounter.reason, 200)}`);
  }
  for (const n of newestFirst(s.notes, (x) => x.date).slice(0, d.notes)) {
    const when = ago(n.date);
    untrusted.push(
      fact(`Note ${ev.tokenFor(n.source)}${when ? ` (${when})` : ''}: ${clean(n.text, d.noteChars)}`),
    );
  }
  more(untrusted, s.notes.length - d.notes, 'notes');
  if (untrusted.length) out.push('FREE TEXT:', fence(untrusted.join('\n')));

  const text = out.join('\n');
  return { text, evidence: ev, factLines, passages, tokens: count(text), detail: level };
}

/**
 * Redacted, one-line, at most `max` characters. Long text is cut to about twice the limit before
 * redaction (redacting megabytes of notes would eat the hook's budget); the last words before
 * such a cut are dropped, since an identifier cut in half is no longer recognisable.
 */
export function cleanText(text: string, max: number, terms?: readonly string[]): string {
  const limit = max * 2 + 40;
  if (text.length <= limit) return oneLine(redactText(text, { terms }), max);
  const cut = text.slice(0, limit);
  const space = cut.search(/\s\S*$/);
  const head = (space > max ? cut.slice(0, space) : cut).replace(/(?:\s+\S+){1,3}\s*$/, '');
  return oneLine(`${redactText(head, { terms })} …`, max);
}
