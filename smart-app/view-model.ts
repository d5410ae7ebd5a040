// Turns a pipeline result into what the page shows. The browser gets display data only: no tokens,
// no raw prompts, and every fact still carries the `Type/id` of its source for the links.
import type { Citation, ClinicalSnapshot, Score, VitalKind } from '../src/clinical/types.ts';
import type { PipelineResult } from '../src/pipeline/types.ts';
import type { AcuityLevel } from './codes.ts';
import { dangerZone } from './danger-zone.ts';
import type { ShownAssessment } from './session.ts';

const VITAL_LABELS: Partial<Record<VitalKind, string>> = {
  heartRate: 'Heart rate',
  respiratoryRate: 'Respiratory rate',
  systolicBP: 'Systolic BP',
  diastolicBP: 'Diastolic BP',
  temperature: 'Temperature',
  spo2: 'SpO2',
  inspiredOxygen: 'Inspired O2',
  oxygenFlow: 'O2 flow',
  gcs: 'GCS',
  avpu: 'Consciousness (ACVPU)',
  pain: 'Pain (0–10)',
};

const UNIT_LABELS: Record<string, string> = {
  '/min': '/min',
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  '%': '%',
  '{ACVPU}': '',
  '{score}': '',
};

const COMPONENT_LABELS: Record<string, string> = {
  respiratoryRate: 'Respiratory rate',
  respiration: 'Respiratory rate',
  spo2: 'SpO2',
  oxygenSaturation: 'SpO2',
  supplementalOxygen: 'Supplemental oxygen',
  airOrOxygen: 'Air or oxygen',
  systolicBP: 'Systolic BP',
  heartRate: 'Pulse',
  pulse: 'Pulse',
  consciousness: 'Consciousness',
  temperature: 'Temperature',
  alteredMentation: 'Altered mentation',
  mentation: 'Altered mentation',
};

const CHART_POINTS = 20;

export interface VitalView {
  kind: VitalKind;
  label: string;
  unit: string;
  latest?: { value: number; display: string; at: string; source: string; danger: string | null };
  history: Array<{ value: number; at: string; source: string; danger: boolean }>;
}

export interface ScoreView {
  total: number | null;
  band?: string;
  reason?: string;
  components: Array<{ key: string; label: string; points: number }>;
  evidence: string[];
}

export interface AssessmentView {
  assessmentId: string;
  at: string;
  chiefComplaint?: string;
  patient: { ageYears: number | null; sex: string };
  vitals: VitalView[];
  scores: { news2: ScoreView; qsofa: ScoreView };
  triage: {
    level: AcuityLevel;
    floorLevel: AcuityLevel | null;
    modelLevel?: AcuityLevel;
    basis: string;
    reasons: string[];
    evidence: string[];
    adviceStatus: string;
    adviceLabel: string;
  };
  findings: Array<{
    id: string;
    severity: string;
    summary: string;
    evidence: string[];
    citations: Citation[];
  }>;
  /** The cited passages, in the project's one citation shape. */
  passages: Citation[];
  summary: {
    statements: Array<{ text: string; evidence: string[]; source: 'model' | 'rules' }>;
    facts: Array<{ kind: string; text: string; source: string }>;
  };
  missing: string[];
  warnings: string[];
}

const humanise = (key: string) =>
  COMPONENT_LABELS[key] ?? key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());

function scoreView(score: Score): ScoreView {
  if (score.total === null) return { total: null, reason: score.reason, components: [], evidence: [] };
  return {
    total: score.total,
    band: score.band,
    components: Object.entries(score.components).map(([key, points]) => ({
      key,
      label: humanise(key),
      points,
    })),
    evidence: score.evidence,
  };
}

function formatValue(kind: VitalKind, value: number, code?: string): string {
  if (kind === 'avpu') return code ?? String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function vitalViews(snapshot: ClinicalSnapshot): VitalView[] {
  const ageMonths = snapshot.patient.ageMonths;
  const out: VitalView[] = [];
  for (const [kind, series] of Object.entries(snapshot.vitals) as Array<
    [VitalKind, ClinicalSnapshot['vitals'][VitalKind]]
  >) {
    if (!series || !VITAL_LABELS[kind]) continue;
    const readings = [...(series.latest ? [series.latest] : []), ...series.history]
      .filter((m) => !m.implausible)
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(-CHART_POINTS);
    const latest = series.latest;
    const unit = latest?.unit ?? readings[0]?.unit ?? '';
    out.push({
      kind,
      label: VITAL_LABELS[kind] ?? kind,
      unit: UNIT_LABELS[unit] ?? unit,
      ...(latest
        ? {
            latest: {
              value: latest.value,
              display: formatValue(kind, latest.value, latest.code),
              at: latest.at,
              source: latest.source,
              danger: dangerZone(kind, latest.value, ageMonths),
            },
          }
        : {}),
      history: readings.map((m) => ({
        value: m.value,
        at: m.at,
        source: m.source,
        danger: dangerZone(kind, m.value, ageMonths) !== null,
      })),
    });
  }
  return out;
}

/** The vital-sign Observations behind the shown values (BP components share one panel: deduplicated). */
export function vitalSources(snapshot: ClinicalSnapshot): string[] {
  const refs = new Set<string>();
  for (const series of Object.values(snapshot.vitals)) {
    if (series?.latest?.source.startsWith('Observation/')) refs.add(series.latest.source);
  }
  return [...refs];
}

function passageQuote(text: string, citations: Citation[], chunkId: string): string {
  const cited = citations.find((c) => c.chunkId === chunkId);
  if (cited) return cited.quote;
  // Not quoted by a finding: show the passage's opening sentence as an exact excerpt.
  const first = /^[\s\S]*?[.!?](\s|$)/.exec(text.trim())?.[0] ?? text;
  return first.trim().slice(0, 400);
}

export function shownAssessment(result: PipelineResult): ShownAssessment {
  const t = result.assessment.triage;
  return {
    recordId: result.audit.id,
    level: t.level,
    floorLevel: t.floorLevel,
    modelLevel: result.advice.triage?.suggestedLevel,
    vitalRefs: vitalSources(result.snapshot),
    at: result.assessment.at,
  };
}

export function assessmentView(
  result: PipelineResult,
  missing: string[],
  adviceLabel: string,
): AssessmentView {
  const { snapshot, assessment, advice } = result;
  const allCitations = [
    ...[...(assessment.triage.rules ?? []), ...(assessment.triage.advisories ?? [])].flatMap((r) =>
      r.citation ? [r.citation] : [],
    ),
    ...assessment.findings.flatMap((f) => f.citations),
    ...advice.statements.flatMap((s) => s.citations),
  ];
  const statements: AssessmentView['summary']['statements'] = [
    ...advice.statements.map((s) => ({ text: s.text, evidence: s.evidence, source: 'model' as const })),
    ...(advice.triage?.rationale ?? []).map((s) => ({
      text: s.text,
      evidence: s.evidence,
      source: 'model' as const,
    })),
    ...assessment.findings.map((f) => ({ text: f.summary, evidence: f.evidence, source: 'rules' as const })),
  ];
  const facts: AssessmentView['summary']['facts'] = [
    ...snapshot.conditions
      .filter(
        (c) =>
          c.clinicalStatus === 'active' ||
          c.clinicalStatus === 'recurrence' ||
          c.clinicalStatus === 'relapse',
      )
      .map((c) => ({ kind: 'Condition', text: c.display, source: c.source })),
    ...snapshot.medications
      .filter((m) => !m.draft && (m.status === 'active' || m.status === 'on-hold'))
      .map((m) => ({ kind: 'Medication', text: m.display, source: m.source })),
    ...snapshot.allergies.map((a) => ({
      kind: 'Allergy',
      text: a.criticality === 'high' ? `${a.display} (high criticality)` : a.display,
      source: a.source,
    })),
  ];
  return {
    assessmentId: result.audit.id,
    at: assessment.at,
    chiefComplaint: snapshot.chiefComplaint,
    patient: { ageYears: assessment.patient.ageYears, sex: assessment.patient.sex },
    vitals: vitalViews(snapshot),
    scores: { news2: scoreView(assessment.scores.news2), qsofa: scoreView(assessment.scores.qsofa) },
    triage: {
      level: assessment.triage.level,
      floorLevel: assessment.triage.floorLevel,
      modelLevel: advice.triage?.suggestedLevel,
      basis: assessment.triage.basis,
      reasons: assessment.triage.reasons,
      evidence: assessment.triage.evidence,
      adviceStatus: advice.status,
      adviceLabel,
    },
    findings: assessment.findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      summary: f.summary,
      evidence: f.evidence,
      citations: f.citations,
    })),
    passages: result.passages.map((p) => ({
      chunkId: p.chunkId,
      title: p.title,
      issuer: p.issuer,
      year: p.year,
      url: p.url,
      section: p.section,
      quote: passageQuote(p.text, allCitations, p.chunkId),
    })),
    summary: { statements, facts },
    missing,
    warnings: snapshot.warnings,
  };
}
