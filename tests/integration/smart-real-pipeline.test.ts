import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Observation } from '@medplum/fhirtypes';
import type { Advisor } from '../../src/llm/types.ts';
import { PATIENT_ID, pageHeaders, signIn, startTestbed, type Testbed } from './smart-testbed.ts';

describe('SMART app with the real runtime (pipeline, guideline index, SQLite audit)', () => {
  let tb: Testbed;
  before(async () => {
    tb = await startTestbed({ realRuntime: true });
  });
  after(() => tb.close());

  it('shows no assessment when its audit record cannot be written (invariant 5)', async () => {
    const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=audit-down`);
    const headers = pageHeaders(tb, r.jar, r.csrf ?? '');
    const append = tb.runtime.audit.append.bind(tb.runtime.audit);
    tb.runtime.audit.append = async () => {
      throw new Error('disk full');
    };
    try {
      const res = await tb.app.inject({ method: 'POST', url: '/smart/api/assess', headers, payload: {} });
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /audit/);
      assert.doesNotMatch(res.body, /news2|triage/i, 'no scores or level leave without their record');
    } finally {
      tb.runtime.audit.append = append;
    }
  });

  it('assesses the launched patient, records the audit trail and links the nurse decision to it', async () => {
    const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=real`);
    assert.equal(r.callback?.statusCode, 303);
    const headers = pageHeaders(tb, r.jar, r.csrf ?? '');
    const res = await tb.app.inject({
      method: 'POST',
      url: '/smart/api/assess',
      headers,
      payload: { chiefComplaint: 'fever and shortness of breath' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const view = res.json();
    // RR 26 (3), SpO2 89 (3), SBP 98 (2), HR 124 (2), T 38.9 (1), alert (0), air (0) = 11.
    assert.equal(view.scores.news2.total, 11);
    assert.ok(view.triage.level <= 2, 'a NEWS2 of 11 is at least level 2');
    assert.equal(view.triage.adviceStatus, 'disabled');
    assert.ok(view.passages.length > 0, 'guideline passages were retrieved');

    const detail = await tb.runtime.audit.get(view.assessmentId);
    assert.equal(detail?.record.channel, 'smart-app');
    assert.equal(detail?.record.service, 'smart-triage');
    assert.equal(detail?.record.patient, `Patient/${PATIENT_ID}`);

    const decided = await tb.app.inject({
      method: 'POST',
      url: '/smart/api/decision',
      headers,
      payload: {
        action: 'override',
        assessmentId: view.assessmentId,
        level: 1,
        reason: 'Needs airway support now',
      },
    });
    assert.equal(decided.statusCode, 201, decided.body);
    const stored = tb.fhir.created.at(-1) as Observation;
    assert.equal(stored.code?.coding?.[0]?.code, '11283-9');
    assert.equal(stored.valueCodeableConcept?.coding?.[0]?.code, '1');
    // The decision is chained into the audit trail, keyed by the assessment's record id.
    const events = [];
    for await (const e of tb.runtime.audit.entries()) if (e.kind === 'feedback') events.push(e);
    assert.equal(events.length, 1);
    assert.equal(events[0].cardId, view.assessmentId);
    assert.equal(events[0].outcome, 'overridden');
    assert.equal(events[0].channel, 'smart-app');
    assert.equal(events[0].userComment, 'Needs airway support now');
    assert.deepEqual(events[0].decision, {
      level: 1,
      floorLevel: view.triage.floorLevel,
      suggestedLevel: view.triage.level,
      modelLevel: null,
      observation: `Observation/${stored.id}`,
    });
    assert.equal((await tb.runtime.audit.verifyChain()).ok, true);
  });
});

/** A model that answers at once: more acute than the floor, with one grounded statement. */
const eagerModel: Advisor = {
  enabled: true,
  describe: () => 'test-model, prompt triage@1',
  advise: async (request) => ({
    kind: request.kind,
    status: 'ok',
    model: { provider: 'test', name: 'test-model', temperature: 0 },
    statements: [
      {
        text: 'Breathing is fast and oxygen saturation is low.',
        evidence: ['Observation/rr-2', 'Observation/spo2-2'],
        citations: [],
      },
    ],
    dropped: [],
    triage: { suggestedLevel: 1, expectedResources: [], redFlags: [], rationale: [] },
    durationMs: 3,
  }),
};

describe('SMART app with a model taking part', () => {
  it('shows the model level beside the floor and the verified statement with its sources', async () => {
    const tb = await startTestbed({ realRuntime: true, advisor: eagerModel });
    try {
      const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=model`);
      const headers = pageHeaders(tb, r.jar, r.csrf ?? '');
      const view = (
        await tb.app.inject({ method: 'POST', url: '/smart/api/assess', headers, payload: {} })
      ).json();
      assert.equal(view.triage.adviceStatus, 'ok');
      assert.equal(view.triage.modelLevel, 1);
      assert.equal(view.triage.floorLevel, 2);
      assert.equal(view.triage.level, 1, 'the more acute of floor and model');
      assert.equal(view.triage.adviceLabel, 'test-model, prompt triage@1');
      const stmt = view.summary.statements.find((s: { source: string }) => s.source === 'model');
      assert.deepEqual(stmt.evidence, ['Observation/rr-2', 'Observation/spo2-2']);
      const decided = await tb.app.inject({
        method: 'POST',
        url: '/smart/api/decision',
        headers,
        payload: {
          action: 'override',
          assessmentId: view.assessmentId,
          level: 2,
          reason: 'Talking in full sentences',
        },
      });
      assert.equal(decided.statusCode, 201);
      const events = [];
      for await (const e of tb.runtime.audit.entries()) if (e.kind === 'feedback') events.push(e);
      assert.deepEqual(events[0].decision, {
        level: 2,
        floorLevel: 2,
        suggestedLevel: 1,
        modelLevel: 1,
        observation: decided.json().observation,
      });
    } finally {
      await tb.close();
    }
  });
});
