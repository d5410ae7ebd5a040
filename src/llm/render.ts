// The snapshot as the model sees it: compact, de-identified, every fact tagged with an opaque
// evidence token, free text redacted and fenced as untrusted data. If the result is over the
// token budget it is rendered again with less detail (fewer history points, shorter notes and
// passages) rather than cut mid-way.
import { createHash } from 'node:crypto';
import type { Assessment, ClinicalSnapshot } from '../clinical/types.ts';
import type { Passage } from '../guidelines/types.ts';
import { EvidenceTokens } from './evidence-tokens.ts';
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

export const UNTRUSTED_OPEN = '<<<UNTRUSTED DATA';
export const UNTRUSTED_CLOSE = 'UNTRUSTED DATA>>>';

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
  const clean = (text: string, max = 120) => oneLine(redactText(text, { terms: input.phiTerms }), max);
  const ago = (iso?: string) => relativeTime(iso, s.at);
  const out: string[] = [];

  const p = s.patient;
  const patientBits = [ageLabel(p.ageYears, p.ageMonths), p.sex];
  if (p.pregnant) patientBits.push('pregnant');
  out.push(`PATIENT${p.source ? ` ${ev.tokenFor(p.source)}` : ''}: ${patientBits.join(', ')}`);
  out.push('Times are relative to now.');
  if (s.encounter) {
    const e = s.encounter;
    const bits = [
      e.classCode && `class ${clean(e.classCode, 30)}`,
      e.status && `status ${clean(e.status, 30)}`,
    ];
    out.push(`ENCOUNTER ${ev.tokenFor(e.source)}: ${bits.filter(Boolean).join(', ') || 'current'}`);
  }

  const vitals = seriesLines(s.vitals, VITAL_LABELS, d, ev, ago);
  if (vitals.length) out.push('VITALS:', ...vitals);
  const labs = seriesLines(s.labs, labLabels(s.labs), d, ev, ago);
  if (labs.length) out.push('LABS:', ...labs);

  const conditions = s.conditions.filter(
    (c) =>
      ACTIVE_CONDITION.has(c.clinicalStatus) &&
      !['refuted', 'entered-in-error'].includes(c.verificationStatus),
  );
  if (conditions.length) {
    out.push('ACTIVE CONDITIONS:');
    for (const c of newestFirst(conditions, (c) => c.onset).slice(0, d.conditions)) {
      const onset = ago(c.onset);
      out.push(`- ${ev.tokenFor(c.source)} ${clean(c.display)}${onset ? ` (onset ${onset})` : ''}`);
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
      out.push(`- ${ev.tokenFor(m.source)} ${clean(m.display)}${tags ? ` [${tags}]` : ''}`);
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
      out.push(`- ${ev.tokenFor(al.source)} ${clean(al.display)}${tags ? ` [${tags}]` : ''}`);
    }
    more(out, s.allergies.length - d.allergies, 'allergies');
  }

  out.push(`SCORES: ${scoreLine(a.scores)}`);
  const t = a.triage;
  const floor = t.floorLevel === null ? 'none' : `level ${t.floorLevel}`;
  const tEvidence = t.evidence.length ? ` (${t.evidence.map((r) => ev.tokenFor(r)).join(', ')})` : '';
  out.push(`DETERMINISTIC TRIAGE: level ${t.level}; safety floor ${floor}${tEvidence}`);
  for (const r of t.reasons.slice(0, 6)) out.push(`- ${clean(r, 200)}`);

  if (a.findings.length) {
    out.push('RULE FINDINGS:');
    const order = { critical: 0, warning: 1, info: 2 } as const;
    const findings = [...a.findings].sort((x, y) => order[x.severity] - order[y.severity]);
    for (const f of findings.slice(0, d.findings)) {
      const refs = f.evidence.length ? ` (${f.evidence.map((r) => ev.tokenFor(r)).join(', ')})` : '';
      out.push(`- [${f.severity}] ${f.id}: ${clean(f.summary, 200)}${refs}`);
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

  const untrusted: string[] = [];
  if (s.chiefComplaint?.trim()) untrusted.push(`Chief complaint: ${clean(s.chiefComplaint, 400)}`);
  if (s.encounter?.reason?.trim()) {
    untrusted.push(
      `Encounter reason (${ev.tokenFor(s.encounter.source)}): ${clean(s.encounter.reason, 200)}`,
    );
  }
  for (const n of newestFirst(s.notes, (x) => x.date).slice(0, d.notes)) {
    const when = ago(n.date);
    untrusted.push(`Note ${ev.tokenFor(n.source)}${when ? ` (${when})` : ''}: ${clean(n.text, d.noteChars)}`);
  }
  more(untrusted, s.notes.length - d.notes, 'notes');
  if (untrusted.length) out.push('FREE TEXT:', fence(untrusted.join('\n')));

  const text = out.join('\n');
  return { text, evidence: ev, passages, tokens: count(text), detail: level };
}

/** Wraps text in the untrusted-data fence; the marker cannot be forged from inside. */
export function fence(text: string): string {
  const neutral = text
    .replace(/<{3,}/g, '‹‹')
    .replace(/>{3,}/g, '››')
    .replace(/UNTRUSTED\s+DATA/gi, 'untrusted-data');
  const nonce = createHash('sha256').update(neutral).digest('hex').slice(0, 8);
  return `${UNTRUSTED_OPEN} ${nonce}\n${neutral}\n${UNTRUSTED_CLOSE} ${nonce}`;
}
