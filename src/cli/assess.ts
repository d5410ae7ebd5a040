// `citecare assess --bundle FILE [--chief-complaint TEXT] [--at ISO] [--json]`: the whole
// clinical pipeline on a Bundle file (with the model when one is configured). The audit record
// goes to an in-memory store: a command-line check is not a clinical recommendation.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openAuditStore } from '../audit/open-audit-store.ts';
import { fixedClock } from '../clinical/clock.ts';
import { codeLabel } from '../clinical/snapshot/observation-variants.ts';
import type { Score, TriageRuleResult } from '../clinical/types.ts';
import { readBundleFile } from '../fhir/bundle-file.ts';
import {
  createGuidelineIndex,
  guidelineIndexOptions,
} from '../guidelines/adapters/create-guideline-index.ts';
import { createPipeline } from '../pipeline/run.ts';
import type { PipelineResult } from '../pipeline/types.ts';
import { createAdvisor } from '../server/runtime.ts';
import { type CliIo, UsageError } from './io.ts';

function scoreJson(s: Score) {
  return s.total === null
    ? { total: null, reason: s.reason }
    : { total: s.total, components: s.components, ...(s.band ? { band: s.band } : {}), evidence: s.evidence };
}

/** The documented `assess --json` shape (interfaces.md), plus what the model did. */
function assessmentJson(r: PipelineResult) {
  const a = r.assessment;
  return {
    at: a.at,
    patient: a.patient,
    scores: Object.fromEntries(Object.entries(a.scores).map(([k, v]) => [k, scoreJson(v)])),
    triage: {
      level: a.triage.level,
      floorLevel: a.triage.floorLevel,
      reasons: a.triage.reasons,
      basis: a.triage.basis,
      evidence: a.triage.evidence,
      rules: (a.triage.rules ?? []).map(ruleJson),
      advisories: (a.triage.advisories ?? []).map(ruleJson),
      ...(a.triage.lowRisk ? { lowRisk: a.triage.lowRisk } : {}),
    },
    findings: a.findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      summary: f.summary,
      evidence: f.evidence,
      topics: f.topics,
      suggestions: f.suggestions.map((s) => ({ action: s.action, label: s.label })),
      citations: f.citations,
    })),
    model: {
      status: r.advice.status,
      ...(r.advice.model ? { model: r.advice.model.name } : {}),
      ...(r.advice.prompt ? { prompt: `${r.advice.prompt.id}@${r.advice.prompt.version}` } : {}),
      statements: r.advice.statements,
      dropped: r.advice.dropped.length,
    },
    warnings: r.snapshot.warnings,
    notUnderstood: (r.snapshot.notUnderstood ?? []).map((n) => ({
      ...n,
      message: `not understood: ${codeLabel(n)}`,
    })),
  };
}

function ruleJson(r: TriageRuleResult) {
  return {
    id: r.id,
    level: r.level,
    ...(r.point ? { decisionPoint: r.point } : {}),
    reason: r.reason,
    evidence: r.evidence,
    ...(r.source ? { source: r.source } : {}),
    ...(r.citation ? { citation: r.citation } : {}),
  };
}

function text(r: PipelineResult): string {
  const a = r.assessment;
  const lines: string[] = [];
  lines.push(`Patient: ${a.patient.ageYears ?? '?'} y, ${a.patient.sex}   (as of ${a.at})`);
  for (const [name, s] of Object.entries(a.scores)) {
    lines.push(
      `  ${name.padEnd(11)} ${s.total === null ? `n/a (${s.reason})` : `${s.total}${s.band ? ` (${s.band})` : ''}`}`,
    );
  }
  lines.push(`Triage: ESI ${a.triage.level} (floor ${a.triage.floorLevel ?? 'none'}, ${a.triage.basis})`);
  for (const reason of a.triage.reasons) lines.push(`  - ${reason}`);
  for (const n of r.snapshot.notUnderstood ?? [])
    lines.push(`  ! not understood: ${codeLabel(n)} (${n.source})`);
  lines.push(`Findings: ${a.findings.length}`);
  for (const f of a.findings) {
    lines.push(`  [${f.severity}] ${f.summary}`);
    for (const c of f.citations) lines.push(`      "${c.quote}" (${c.title}, ${c.issuer} ${c.year})`);
  }
  lines.push(`Model: ${r.advice.status === 'disabled' ? 'none (deterministic mode)' : r.advice.status}`);
  return `${lines.join('\n')}\n`;
}

export async function runAssessCli(args: string[], io: CliIo): Promise<number> {
  let values: { bundle?: string; 'chief-complaint'?: string; at?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        bundle: { type: 'string' },
        'chief-complaint': { type: 'string' },
        at: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(`assess: ${(err as Error).message}`);
  }
  if (!values.bundle) throw new UsageError('assess: --bundle FILE is required');
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime()))
    throw new UsageError(`assess: --at "${values.at}" is not an ISO-8601 date-time`);

  let resources: Awaited<ReturnType<typeof readBundleFile>>['resources'];
  try {
    ({ resources } = await readBundleFile(values.bundle));
  } catch (err) {
    throw new UsageError(`assess: ${(err as Error).message}`);
  }
  const patient = resources.find((r) => r.resourceType === 'Patient');

  const audit = await openAuditStore('sqlite::memory:');
  const advisor = createAdvisor(io.config);
  try {
    const pipeline = createPipeline({
      // A command line is not an EHR waiting on a hook: give the model its whole timeout.
      config: {
        ...io.config,
        HOOK_BUDGET_MS: Math.max(io.config.HOOK_BUDGET_MS, io.config.LLM_TIMEOUT_MS + 1000),
      },
      clock: fixedClock(at.toISOString()),
      guidelines: await createGuidelineIndex(guidelineIndexOptions(io.config)),
      advisor,
      audit,
    });
    const result = await pipeline({
      channel: 'cds-hooks',
      service: 'citecare-assess-cli',
      hook: 'encounter-start',
      hookInstance: randomUUID(),
      patientId: patient?.id ?? 'unknown',
      resources,
      chiefComplaint: values['chief-complaint'],
      at,
      adviceKind: 'triage',
    });
    io.stdout.write(values.json ? `${JSON.stringify(assessmentJson(result), null, 2)}\n` : text(result));
    return 0;
  } finally {
    // Let a model call that missed the budget finish, so the process can exit.
    await (advisor as { settle?: () => Promise<void> }).settle?.();
    await audit.close();
  }
}
