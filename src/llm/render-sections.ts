// The sections of the model input, one function each, all writing into one draft. Facts outside
// the fence carry coded labels only; what people typed goes to the untrusted lines (the fence).
import { isCurrentCondition, isCurrentMedication } from '../clinical/status.ts';
import { type Assessment, bySeverity, type ClinicalSnapshot, type ResourceRef } from '../clinical/types.ts';
import type { Passage } from '../guidelines/types.ts';
import type { EvidenceTokens } from './evidence-tokens.ts';
import { allergyLabel, conditionLabel, type FactLabel, medicationLabel } from './fact-labels.ts';
import { ageLabel } from './relative-time.ts';
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

/** How much of each part to show; higher levels show less (see DETAIL_LEVELS in render.ts). */
export interface Detail {
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

/** One rendering in progress: the lines so far and what every section needs to write them. */
export interface Draft {
  s: ClinicalSnapshot;
  a: Assessment;
  d: Detail;
  ev: EvidenceTokens;
  out: string[];
  /** Lines that go inside the fence, in order. */
  untrusted: string[];
  /** Token → the lines stating its fact. */
  factLines: Map<string, string[]>;
  /** Redacted, one line, at most `max` characters (default 120). */
  clean(text: string, max?: number): string;
  /** A time relative to the snapshot's "as of" time. */
  ago(iso?: string): string | undefined;
  /** Records a line as stating the facts of the tokens in it, and returns it. */
  fact(line: string): string;
  /** Replaces people-typed displays quoted in rule texts with their labels. */
  scrub(text: string): string;
}

/** The patient and the encounter carry no token: they are not facts a statement can rest on. */
export function patientSection({ s, out }: Draft): void {
  const p = s.patient;
  const patientBits = [ageLabel(p.ageYears, p.ageMonths), p.sex];
  if (p.pregnant) patientBits.push('pregnant');
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
}

export function readingSections({ s, d, ev, ago, out, fact }: Draft): void {
  const vitals = seriesLines(s.vitals, VITAL_LABELS, d, ev, ago);
  if (vitals.length) out.push('VITALS:', ...vitals.map(fact));
  const labs = seriesLines(s.labs, labLabels(s.labs), d, ev, ago);
  if (labs.length) out.push('LABS:', ...labs.map(fact));
}

/** ` [a; b]` from the tags that are set, or nothing. */
function tagSuffix(tags: ReadonlyArray<string | number | undefined>): string {
  const shown = tags.filter(Boolean).join('; ');
  return shown ? ` [${shown}]` : '';
}

/** One listed fact: its coded label outside the fence, what people typed inside it. */
function listFact(r: Draft, noun: string, source: ResourceRef, l: FactLabel, suffix: string): void {
  const token = r.ev.tokenFor(source);
  r.out.push(r.fact(`- ${token} ${r.clean(l.label)}${suffix}`));
  if (l.freeText) r.untrusted.push(r.fact(`${noun} ${token} as written: ${r.clean(l.freeText)}`));
}

export function conditionSection(r: Draft): void {
  const conditions = r.s.conditions.filter(isCurrentCondition);
  if (!conditions.length) return;
  r.out.push('ACTIVE CONDITIONS:');
  for (const c of newestFirst(conditions, (c) => c.onset).slice(0, r.d.conditions)) {
    const onset = r.ago(c.onset);
    listFact(r, 'Condition', c.source, conditionLabel(c), onset ? ` (onset ${onset})` : '');
  }
  more(r.out, conditions.length - r.d.conditions, 'conditions');
}

export function medicationSection(r: Draft): void {
  const meds = r.s.medications.filter(isCurrentMedication);
  if (!meds.length) return;
  r.out.push('MEDICATIONS:');
  const ordered = [...meds.filter((m) => m.draft), ...meds.filter((m) => !m.draft)];
  for (const m of ordered.slice(0, r.d.medications)) {
    const tags = tagSuffix([
      m.draft ? 'DRAFT ORDER' : '',
      m.classes.length ? `class ${m.classes.join('/')}` : '',
    ]);
    listFact(r, 'Medication', m.source, medicationLabel(m), tags);
  }
  more(r.out, meds.length - r.d.medications, 'medications');
}

export function allergySection(r: Draft): void {
  const { allergies } = r.s;
  if (!allergies.length) return;
  r.out.push('ALLERGIES:');
  for (const al of allergies.slice(0, r.d.allergies)) {
    const tags = tagSuffix([
      al.criticality && `criticality ${al.criticality}`,
      al.classes.length && `class ${al.classes.join('/')}`,
    ]);
    listFact(r, 'Allergy', al.source, allergyLabel(al), tags);
  }
  more(r.out, allergies.length - r.d.allergies, 'allergies');
}

export function triageSection({ a, ev, out, clean, scrub }: Draft): void {
  out.push(`SCORES: ${scoreLine(a.scores)}`);
  const t = a.triage;
  const floor = t.floorLevel === null ? 'none' : `level ${t.floorLevel}`;
  const tEvidence = t.evidence.length ? ` (${t.evidence.map((r) => ev.tokenFor(r)).join(', ')})` : '';
  out.push(`DETERMINISTIC TRIAGE: level ${t.level}; safety floor ${floor}${tEvidence}`);
  for (const r of t.reasons.slice(0, 6)) out.push(`- ${clean(scrub(r), 200)}`);
}

export function findingSection({ a, d, ev, out, clean, scrub }: Draft): void {
  if (!a.findings.length) return;
  out.push('RULE FINDINGS:');
  const findings = [...a.findings].sort(bySeverity);
  for (const f of findings.slice(0, d.findings)) {
    const refs = f.evidence.length ? ` (${f.evidence.map((r) => ev.tokenFor(r)).join(', ')})` : '';
    out.push(`- [${f.severity}] ${f.id}: ${clean(scrub(f.summary), 200)}${refs}`);
  }
  more(out, a.findings.length - d.findings, 'findings');
}

/** The passages shown, by chunk id: the only ones the model may cite. */
export function passageSection({ d, out }: Draft, all: readonly Passage[]): Map<string, Passage> {
  const shown = all.slice(0, d.passages);
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
  return new Map(shown.map((ps) => [ps.chunkId, ps]));
}

/** The chief complaint, the encounter reason and the newest notes, after the facts' own free text. */
export function freeTextSection({ s, d, ev, untrusted, clean, ago, fact }: Draft): void {
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
}
