import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Assessment } from '../../src/clinical/types.ts';
import { confusionSvg } from '../../src/evaluation/confusion-svg.ts';
import { patientIdentifiers, scanForPhi } from '../../src/evaluation/phi-scan.ts';
import { renderEvalMarkdown } from '../../src/evaluation/report.ts';
import { evalSummarySchema } from '../../src/evaluation/report-schema.ts';
import { runEvaluation } from '../../src/evaluation/runner.ts';
import { loadVignetteSets, loadVignettes } from '../../src/evaluation/vignettes.ts';
import type { PipelineInput, PipelineResult, RunPipeline } from '../../src/pipeline/types.ts';

const PASSAGE = 'Escalate when the aggregate score is 7 or more.';

/** A stand-in pipeline: level 2 for everyone, one citation (valid or not), NEWS2 taken from a table. */
function stubPipeline(opts: {
  news2: Record<string, number | null>;
  quote: string;
  failFor?: string;
  /** Level for every case (default 2). */
  level?: number;
  /** Snapshot warnings for every case. */
  warnings?: string[];
}): RunPipeline {
  return async (input: PipelineInput) => {
    if (input.patientId === opts.failFor) throw new Error('boom');
    const n = opts.news2[input.patientId] ?? null;
    const assessment = {
      triage: { level: opts.level ?? 2, floorLevel: 2, reasons: ['test'], evidence: [], basis: 'floor' },
      scores: {
        news2: n === null ? { total: null, reason: 'n/a' } : { total: n, components: {}, evidence: [] },
        qsofa: { total: null, reason: 'n/a' },
      },
      findings: [
        {
          id: 'news2-escalation',
          citations: [
            {
              chunkId: 'news2#escalation',
              quote: opts.quote,
              title: '',
              issuer: '',
              year: 2017,
              url: '',
              section: '',
            },
          ],
        },
      ],
    } as unknown as Assessment;
    return {
      assessment,
      snapshot: { warnings: opts.warnings ?? [] },
      cards: [],
      advice: {
        kind: 'triage',
        status: 'disabled',
        statements: [],
        dropped: [{ text: 'x', reason: 'uncited' }],
        durationMs: 0,
      },
    } as unknown as PipelineResult;
  };
}

describe('the vignette set', () => {
  it('has at least 30 valid vignettes covering every acuity level', async () => {
    const vs = await loadVignettes();
    assert.ok(vs.length >= 30, `${vs.length} vignettes`);
    for (const level of [1, 2, 3, 4, 5])
      assert.ok(
        vs.some((v) => v.reference.esi === level),
        `level ${level}`,
      );
    assert.equal(new Set(vs.map((v) => v.id)).size, vs.length, 'ids are unique');
    for (const v of vs)
      assert.ok(
        v.bundle.entry?.some((e) => e.resource?.resourceType === 'Patient'),
        v.id,
      );
  });
});

describe('runEvaluation', () => {
  it('scores every vignette, counts failures, checks citations and dropped statements', async () => {
    const vs = (await loadVignettes()).slice(0, 4);
    const pid = (i: number) =>
      vs[i]!.bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource!.id!;
    const news2 = Object.fromEntries(vs.map((v, i) => [pid(i), v.reference.news2]));
    news2[pid(1)] = 99;
    const run = await runEvaluation(vs, {
      pipeline: stubPipeline({ news2, quote: 'aggregate score is 7 or more', failFor: pid(3) }),
      passageText: (id) => (id === 'news2#escalation' ? PASSAGE : undefined),
      corpusVersion: 'c0ffee',
      set: 'main',
      mode: 'deterministic',
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    const s = run.summary;
    assert.equal(s.vignettes, 4);
    assert.equal(s.triage.failed, 1);
    assert.equal(s.news2.count, 2, 'one wrong value and one failure disagree');
    assert.deepEqual(s.citations, { count: 3, of: 3, rate: 1, invalid: [] });
    assert.equal(s.statements.dropped, 3);
    assert.deepEqual(s.statements.reasons, { uncited: 3 });
    assert.equal(s.phi.findings, 0);
    assert.ok(evalSummarySchema.safeParse(s).success, 'the summary matches what the about pages read');
    const md = renderEvalMarkdown([run], []);
    assert.match(md, /\| acuity exact match \| .*\(\d+\/4\) \|/);
    assert.match(md, new RegExp(`${vs[3]!.id}\`: boom`));
  });

  it('flags an invalid citation quote', async () => {
    const vs = (await loadVignettes()).slice(0, 1);
    const run = await runEvaluation(vs, {
      pipeline: stubPipeline({ news2: {}, quote: 'aggregate score is 5 or more' }),
      passageText: () => PASSAGE,
      corpusVersion: 'c0ffee',
      set: 'main',
      mode: 'deterministic',
    });
    assert.equal(run.summary.citations.invalid[0]?.problem, 'quote-not-in-passage');
  });

  it('scans captured model requests for the patient’s identifiers in model mode', async () => {
    const vs = (await loadVignettes()).slice(0, 1);
    const patient = vs[0]!.bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource as {
      name: Array<{ family: string }>;
    };
    let calls = 0;
    const run = await runEvaluation(vs, {
      pipeline: stubPipeline({ news2: {}, quote: 'x' }),
      passageText: () => PASSAGE,
      corpusVersion: 'c0ffee',
      set: 'main',
      mode: 'model',
      model: 'test-model',
      // The first call clears the buffer before the case; the second returns what was "sent".
      takeModelRequests: () =>
        calls++ % 2 === 0 ? [] : [`{"content":"patient ${patient.name[0]!.family}, age 40"}`],
    });
    assert.equal(run.summary.phi.scannedRequests, 1);
    assert.equal(run.summary.phi.findings, 1);
    assert.equal(run.cases[0]!.phiFindings[0]!.kind, 'name');
  });
});

describe('runEvaluation on the controls, code variants and unknown codes', () => {
  it('counts controls shown as level 1–2, agreement on code-variant cases and named unknown codes', async () => {
    const { main, holdout } = await loadVignetteSets();
    const all = [...main, ...holdout];
    const control = all.find((v) => v.control && v.reference.esi >= 4)!;
    const variant = all.find((v) => v.tags.includes('variant:gcs-total') && v.reference.news2 !== null)!;
    const unknown = all.find((v) => (v.reference.unrecognisedCodes ?? []).length > 0)!;
    const plain = all.find((v) => v.tags.length === 0 && v.reference.news2 !== null)!;
    const vs = [control, variant, unknown, plain];
    const pidOf = (v: (typeof vs)[number]) =>
      v.bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource!.id!;
    // Every case gets level 2 and the right NEWS2, except the code-variant case, whose NEWS2 is missing.
    const news2 = Object.fromEntries(vs.map((v) => [pidOf(v), v.reference.news2]));
    news2[pidOf(variant)] = null;
    const code = unknown.reference.unrecognisedCodes![0]!;
    const run = await runEvaluation(vs, {
      pipeline: stubPipeline({ news2, quote: 'x', warnings: [`not understood: LOINC ${code}`] }),
      passageText: () => PASSAGE,
      corpusVersion: 'c0ffee',
      set: 'holdout',
      mode: 'worst-case-model',
      model: 'scripted',
    });
    const s = run.summary;
    assert.equal(s.set, 'holdout');
    assert.equal(s.controls.n, vs.filter((v) => v.control).length);
    assert.ok(s.controls.reachedHighCases.includes(control.id), 'a control shown as level 2 is counted');
    assert.ok(s.triage.overTriagedCases.includes(control.id));
    assert.deepEqual(
      s.news2Variants.disagreements.map((d) => d.id),
      [variant.id],
      'the code-variant miss shows in the variant agreement',
    );
    assert.ok(s.news2Variants.of < s.news2.of, 'variant agreement covers only code-variant cases');
    assert.equal(s.unrecognisedCodes.count, s.unrecognisedCodes.of - s.unrecognisedCodes.missing.length);
    assert.ok(!s.unrecognisedCodes.missing.some((m) => m.id === unknown.id), 'the named code is counted');
    assert.ok(evalSummarySchema.safeParse(s).success);
    const md = renderEvalMarkdown(
      [run],
      [{ run: 'holdout · worst-case model', target: 't', met: false, value: 'v' }],
    );
    assert.match(md, /\*\*1 of 1 targets are missed\.\*\*/);
    assert.match(md, new RegExp(`Low-risk controls shown as level 1–2: .*\`${control.id}\``));
    assert.match(md, /eval-confusion-holdout-worst-case-model\.svg/);
  });

  it('finds a silently dropped unknown code', async () => {
    const { holdout } = await loadVignetteSets();
    const unknown = holdout.find((v) => (v.reference.unrecognisedCodes ?? []).length > 0)!;
    const run = await runEvaluation([unknown], {
      pipeline: stubPipeline({ news2: {}, quote: 'x', level: 4 }),
      passageText: () => PASSAGE,
      corpusVersion: 'c0ffee',
      set: 'holdout',
      mode: 'deterministic',
    });
    assert.equal(run.summary.unrecognisedCodes.count, 0);
    assert.equal(run.summary.unrecognisedCodes.missing[0]?.id, unknown.id);
  });
});

describe('PHI scan and confusion picture', () => {
  it('finds names, birth dates, record numbers and generic identifiers, not relative times', () => {
    const ids = patientIdentifiers({
      resourceType: 'Patient',
      name: [{ given: ['Rosalind'], family: 'Fictional' }],
      birthDate: '1958-03-14',
      identifier: [{ value: 'MRN-123' }],
    });
    const kinds = (t: string) => scanForPhi(t, ids).map((f) => f.kind);
    assert.deepEqual(kinds('67-year-old female, heart rate 118/min 30 minutes ago'), []);
    assert.deepEqual(kinds('Rosalind, MRN-123'), ['name', 'identifier']);
    assert.deepEqual(kinds('born 1958-03-14'), ['birth-date', 'full-date']);
    assert.deepEqual(kinds('call 555-123-4567 or a@b.org'), ['email', 'phone']);
    // A name is matched as a whole word, in any case, not inside another word.
    const sam = patientIdentifiers({
      resourceType: 'Patient',
      name: [{ given: ['Sam'], family: 'Holdout-01' }],
    });
    assert.deepEqual(scanForPhi('the same sample', sam), []);
    assert.deepEqual(
      scanForPhi('asked SAM to wait', sam).map((f) => f.kind),
      ['name'],
    );
    assert.deepEqual(
      scanForPhi('patient Holdout-01 seen', sam).map((f) => f.match),
      ['Holdout-01'],
    );
  });

  it('draws one labelled cell per reference/predicted pair', () => {
    const svg = confusionSvg(
      [
        [1, 0, 0, 0, 0],
        [0, 2, 1, 0, 0],
        [0, 0, 3, 0, 0],
        [0, 0, 4, 0, 0],
        [0, 0, 5, 0, 0],
      ],
      'test',
    );
    assert.ok(svg.startsWith('<svg'));
    assert.equal((svg.match(/<rect x=/g) ?? []).length, 25);
    assert.match(svg, />5<\/text>/);
    assert.match(svg, /rgba\(200,30,30/, 'under-triage cells are red');
  });
});
