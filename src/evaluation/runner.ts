// Runs every vignette through the whole decision pipeline (as the encounter-start hook would) and
// turns the results into the evaluation summary. The pipeline is passed in, so tests can run it
// with any runtime.
import type { Patient, Resource } from '@medplum/fhirtypes';
import type { Citation, Score } from '../clinical/types.ts';
import { bundleResources } from '../fhir/bundle-resources.ts';
import type { PipelineResult, RunPipeline } from '../pipeline/types.ts';
import {
  type AcuityLevel,
  type CitationToCheck,
  citationValidity,
  controlMetrics,
  scoreAgreement,
  triageMetrics,
  warningCoverage,
} from './metrics.ts';
import { type PhiFinding, patientIdentifiers, scanForPhi } from './phi-scan.ts';
import type { EvalMode, EvalSummary } from './report-schema.ts';
import type { Vignette } from './vignettes.ts';

export interface CaseResult {
  id: string;
  chiefComplaint: string;
  reference: AcuityLevel;
  control: boolean;
  tags: string[];
  predicted: AcuityLevel | null;
  floorLevel: AcuityLevel | null;
  basis?: string;
  reasons: string[];
  news2: { expected: number | null; actual: number | null };
  qsofa: { expected: number | null; actual: number | null };
  findings: string[];
  /** Unknown vital-sign codes the case carries, and those the pipeline named (warnings or cards). */
  unrecognised: { expected: string[]; reported: string[] };
  citations: number;
  kept: number;
  dropped: number;
  adviceStatus?: string;
  phiFindings: PhiFinding[];
  durationMs: number;
  error?: string;
}

export interface EvalRun {
  summary: EvalSummary;
  cases: CaseResult[];
}

export interface EvalOptions {
  pipeline: RunPipeline;
  passageText: (chunkId: string) => string | undefined;
  corpusVersion: string;
  /** Which set the vignettes are (main, holdout). */
  set: string;
  mode: EvalMode;
  model?: string;
  /** Model request bodies captured while a case ran (model mode); each is scanned for identifiers. */
  takeModelRequests?: () => string[];
  now?: () => Date;
}

const total = (s: Score | undefined): number | null => (s && s.total !== null ? s.total : null);

function citationsOf(result: PipelineResult): Citation[] {
  const out: Citation[] = result.assessment.findings.flatMap((f) => f.citations);
  for (const s of result.advice.statements) out.push(...s.citations);
  for (const s of [...(result.advice.triage?.redFlags ?? []), ...(result.advice.triage?.rationale ?? [])]) {
    out.push(...s.citations);
  }
  return out;
}

function blankCase(v: Vignette): CaseResult {
  return {
    id: v.id,
    chiefComplaint: v.chiefComplaint,
    reference: v.reference.esi,
    control: v.control,
    tags: v.tags,
    predicted: null,
    floorLevel: null,
    reasons: [],
    news2: { expected: v.reference.news2, actual: null },
    qsofa: { expected: v.reference.qsofa, actual: null },
    findings: [],
    unrecognised: { expected: v.reference.unrecognisedCodes ?? [], reported: [] },
    citations: 0,
    kept: 0,
    dropped: 0,
    phiFindings: [],
    durationMs: 0,
  };
}

/** What the evaluation collects across cases: citations to check and the verifier's drop reasons. */
interface Tally {
  citations: CitationToCheck[];
  reasons: Record<string, number>;
  scannedRequests: number;
}

/** The pipeline's answer for one vignette, folded into its case result (and the tally). */
function recordResult(v: Vignette, base: CaseResult, result: PipelineResult, tally: Tally): void {
  const cited = citationsOf(result);
  tally.citations.push(...cited.map((c) => ({ caseId: v.id, chunkId: c.chunkId, quote: c.quote })));
  for (const d of result.advice.dropped) tally.reasons[d.reason] = (tally.reasons[d.reason] ?? 0) + 1;
  const shown = JSON.stringify([
    result.snapshot?.warnings ?? [],
    result.assessment.triage.reasons,
    result.cards,
  ]);
  Object.assign(base, {
    predicted: result.assessment.triage.level,
    floorLevel: result.assessment.triage.floorLevel,
    basis: result.assessment.triage.basis,
    reasons: result.assessment.triage.reasons,
    news2: { expected: v.reference.news2, actual: total(result.assessment.scores.news2) },
    qsofa: { expected: v.reference.qsofa, actual: total(result.assessment.scores.qsofa) },
    findings: result.assessment.findings.map((f) => f.id),
    unrecognised: {
      expected: base.unrecognised.expected,
      reported: base.unrecognised.expected.filter((code) => shown.includes(code)),
    },
    citations: cited.length,
    kept: result.advice.statements.length,
    dropped: result.advice.dropped.length,
    adviceStatus: result.advice.status,
  });
}

/** One vignette through the pipeline as an encounter-start call, timed and scanned for identifiers. */
async function runCase(v: Vignette, opts: EvalOptions, tally: Tally): Promise<CaseResult> {
  const resources = bundleResources(v.bundle);
  const patient = resources.find((r): r is Patient => r.resourceType === 'Patient');
  const encounter = resources.find((r) => r.resourceType === 'Encounter');
  const base = blankCase(v);
  opts.takeModelRequests?.();
  const t0 = performance.now();
  try {
    const result = await opts.pipeline({
      channel: 'cds-hooks',
      service: 'citecare-encounter-start',
      hook: 'encounter-start',
      hookInstance: crypto.randomUUID(),
      user: 'Practitioner/eval',
      patientId: patient?.id ?? v.id,
      encounterId: encounter?.id,
      resources,
      chiefComplaint: v.chiefComplaint,
      at: new Date(v.at),
      adviceKind: 'triage',
    });
    recordResult(v, base, result, tally);
  } catch (err) {
    base.error = (err as Error).message;
  }
  base.durationMs = Math.round(performance.now() - t0);
  const requests = opts.takeModelRequests?.() ?? [];
  tally.scannedRequests += requests.length;
  const ids = patientIdentifiers(patient);
  base.phiFindings = requests.flatMap((body) => scanForPhi(body, ids));
  return base;
}

function summarise(cases: readonly CaseResult[], tally: Tally, opts: EvalOptions): EvalSummary {
  const triage = triageMetrics(
    cases.map((c) => ({ id: c.id, reference: c.reference, predicted: c.predicted })),
  );
  const kept = cases.reduce((n, c) => n + c.kept, 0);
  const dropped = cases.reduce((n, c) => n + c.dropped, 0);
  const phiFindings = cases.reduce((n, c) => n + c.phiFindings.length, 0);
  const adviceStatus: Record<string, number> = {};
  for (const c of cases)
    adviceStatus[c.adviceStatus ?? 'none'] = (adviceStatus[c.adviceStatus ?? 'none'] ?? 0) + 1;
  const variants = cases.filter((c) => c.tags.some((t) => t.startsWith('variant:')));
  const { scannedRequests } = tally;
  return {
    generatedAt: (opts.now?.() ?? new Date()).toISOString(),
    set: opts.set,
    mode: opts.mode,
    ...(opts.model ? { model: opts.model } : {}),
    corpusVersion: opts.corpusVersion,
    vignettes: cases.length,
    triage,
    controls: controlMetrics(
      cases.map((c) => ({ id: c.id, reference: c.reference, predicted: c.predicted, control: c.control })),
    ),
    news2: scoreAgreement(cases.map((c) => ({ id: c.id, ...c.news2 }))),
    qsofa: scoreAgreement(cases.map((c) => ({ id: c.id, ...c.qsofa }))),
    news2Variants: scoreAgreement(variants.map((c) => ({ id: c.id, ...c.news2 }))),
    qsofaVariants: scoreAgreement(variants.map((c) => ({ id: c.id, ...c.qsofa }))),
    unrecognisedCodes: warningCoverage(
      cases
        .filter((c) => c.unrecognised.expected.length > 0)
        .map((c) => ({
          id: c.id,
          expected: c.unrecognised.expected,
          shown: c.unrecognised.reported.join(' '),
        })),
    ),
    citations: citationValidity(tally.citations, opts.passageText),
    statements: { kept, dropped, reasons: tally.reasons },
    adviceStatus,
    phi: {
      scannedRequests,
      findings: phiFindings,
      note:
        opts.mode !== 'deterministic'
          ? `${scannedRequests} model requests scanned for names, record numbers, birth dates, full dates, phone numbers, e-mail addresses and SSNs`
          : 'no model used: nothing was sent anywhere',
    },
  };
}

export async function runEvaluation(vignettes: readonly Vignette[], opts: EvalOptions): Promise<EvalRun> {
  const tally: Tally = { citations: [], reasons: {}, scannedRequests: 0 };
  const cases: CaseResult[] = [];
  for (const v of vignettes) cases.push(await runCase(v, opts, tally));
  return { summary: summarise(cases, tally, opts), cases };
}
