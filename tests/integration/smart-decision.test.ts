import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Observation } from '@medplum/fhirtypes';
import {
  ENCOUNTER_ID,
  PATIENT_ID,
  pageHeaders,
  sessionHeaders,
  signIn,
  startTestbed,
  type Testbed,
} from './smart-testbed.ts';

async function launched(tb: Testbed) {
  const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=enc`);
  assert.equal(r.callback?.statusCode, 303);
  const headers = pageHeaders(tb, r.jar, r.csrf ?? '');
  const assess = (chiefComplaint = '') =>
    tb.app.inject({ method: 'POST', url: '/smart/api/assess', headers, payload: { chiefComplaint } });
  const decide = (payload: object) =>
    tb.app.inject({ method: 'POST', url: '/smart/api/decision', headers, payload });
  const context = () =>
    tb.app.inject({ method: 'GET', url: '/smart/api/context', headers: sessionHeaders(r.jar, r.handle) });
  return { ...r, headers, assess, decide, context };
}

describe('SMART app: assessment and write-back (stub pipeline)', () => {
  let tb: Testbed;
  before(async () => {
    tb = await startTestbed({
      smart: { context: { patient: PATIENT_ID, encounter: ENCOUNTER_ID, fhirUser: 'Practitioner/nurse-7' } },
    });
  });
  after(() => tb.close());

  it('assesses with the chief complaint and the patient data read with the user token', async () => {
    const s = await launched(tb);
    const res = await s.assess('short of breath since this morning');
    assert.equal(res.statusCode, 200);
    const view = res.json();
    const input = tb.pipelineInputs.at(-1);
    assert.equal(input?.channel, 'smart-app');
    assert.equal(input?.service, 'smart-triage');
    assert.equal(input?.hook, 'smart-launch');
    assert.equal(input?.adviceKind, 'triage');
    assert.equal(input?.chiefComplaint, 'short of breath since this morning');
    assert.equal(input?.encounterId, ENCOUNTER_ID);
    assert.ok(input?.resources.some((r) => r.resourceType === 'Observation' && r.id === 'hr-3'));
    assert.ok(
      tb.fhir.requests.filter((q) => q.url.startsWith('/fhir/Observation')).every((q) => q.authorized),
    );
    const hr = view.vitals.find((v: { kind: string }) => v.kind === 'heartRate');
    assert.equal(hr.latest.value, 124);
    assert.equal(hr.latest.danger, 'above 100/min');
    assert.deepEqual(
      hr.history.map((p: { value: number }) => p.value),
      [96, 108, 124],
    );
    assert.equal(view.vitals.find((v: { kind: string }) => v.kind === 'spo2').latest.danger, 'below 92 %');
    assert.equal(view.triage.adviceStatus, 'disabled');
    assert.equal(
      view.passages[0].quote,
      'Screen adults with suspected infection using an early warning score.',
    );
  });

  it('writes an accepted level as an Observation (LOINC 11283-9, urn:citecare:esi) and records the feedback', async () => {
    const s = await launched(tb);
    const view = (await s.assess()).json();
    const res = await s.decide({ action: 'accept', assessmentId: view.assessmentId });
    assert.equal(res.statusCode, 201, res.body);
    const ref = res.json().observation as string;
    const stored = tb.fhir.created.find((r) => `Observation/${r.id}` === ref) as Observation | undefined;
    assert.ok(stored, 'the Observation is on the FHIR server');
    assert.equal(stored.status, 'final');
    assert.deepEqual(stored.code?.coding?.[0], {
      system: 'http://loinc.org',
      code: '11283-9',
      display: 'Acuity assessment at First encounter',
    });
    assert.equal(stored.valueCodeableConcept?.coding?.[0]?.system, 'urn:citecare:esi');
    assert.equal(stored.valueCodeableConcept?.coding?.[0]?.code, '2');
    assert.equal(stored.subject?.reference, `Patient/${PATIENT_ID}`);
    assert.equal(stored.encounter?.reference, `Encounter/${ENCOUNTER_ID}`);
    assert.equal(stored.performer?.[0]?.reference, 'Practitioner/nurse-7');
    assert.ok(stored.effectiveDateTime);
    assert.deepEqual((stored.derivedFrom ?? []).map((d) => d.reference).sort(), [
      'Observation/bp-1',
      'Observation/hr-3',
      'Observation/rr-2',
      'Observation/spo2-2',
      'Observation/temp-1',
    ]);
    const fb = tb.feedback.at(-1);
    assert.equal(fb?.channel, 'smart-app');
    assert.equal(fb?.outcome, 'accepted');
    assert.equal(fb?.cardId, view.assessmentId);
    assert.deepEqual(fb?.decision, {
      level: 2,
      floorLevel: 2,
      suggestedLevel: 2,
      modelLevel: null,
      observation: ref,
    });
  });

  it('requires a reason to override, then writes the chosen level with the reason', async () => {
    const s = await launched(tb);
    const view = (await s.assess()).json();
    const before = tb.fhir.created.length;
    const noReason = await s.decide({
      action: 'override',
      assessmentId: view.assessmentId,
      level: 3,
      reason: '  ',
    });
    assert.equal(noReason.statusCode, 400);
    assert.equal(noReason.json().error, 'reason-required');
    assert.equal(tb.fhir.created.length, before, 'nothing written without a reason');
    const ok = await s.decide({
      action: 'override',
      assessmentId: view.assessmentId,
      level: 3,
      reason: 'Known chronic tachycardia, well',
    });
    assert.equal(ok.statusCode, 201);
    const stored = tb.fhir.created.at(-1) as Observation;
    assert.equal(stored.valueCodeableConcept?.coding?.[0]?.code, '3');
    assert.match(stored.note?.[0]?.text ?? '', /Known chronic tachycardia/);
    const fb = tb.feedback.at(-1);
    assert.equal(fb?.outcome, 'overridden');
    assert.equal(fb?.userComment, 'Known chronic tachycardia, well');
    assert.equal((fb?.decision as { level: number } | undefined)?.level, 3);
  });

  it('refuses a decision about an assessment that is no longer the one shown', async () => {
    const s = await launched(tb);
    const first = (await s.assess()).json();
    await s.assess('new complaint');
    const res = await s.decide({ action: 'accept', assessmentId: first.assessmentId });
    assert.equal(res.statusCode, 409);
  });

  it('shows a refused write with the OperationOutcome text, keeps the decision and sends it on retry', async () => {
    const s = await launched(tb);
    const view = (await s.assess()).json();
    tb.fhir.rejectWrites = { status: 403, diagnostics: 'Scope patient/Observation.c was not granted' };
    const res = await s.decide({
      action: 'override',
      assessmentId: view.assessmentId,
      level: 1,
      reason: 'Looks peri-arrest',
    });
    assert.equal(res.statusCode, 502);
    assert.match(
      res.json().message,
      /refused to save the decision \(HTTP 403\): Scope patient\/Observation.c was not granted/,
    );
    assert.equal(res.json().pendingDecision.level, 1);
    const ctx = (await s.context()).json();
    assert.equal(ctx.pendingDecision.level, 1);
    assert.equal(ctx.pendingDecision.reason, 'Looks peri-arrest');

    tb.fhir.rejectWrites = { status: 422, diagnostics: 'Observation.value is invalid' };
    const again = await tb.app.inject({
      method: 'POST',
      url: '/smart/api/decision/retry',
      headers: s.headers,
      payload: {},
    });
    assert.equal(again.statusCode, 502);
    assert.match(again.json().message, /HTTP 422\): Observation.value is invalid/);

    tb.fhir.rejectWrites = undefined;
    const retry = await tb.app.inject({
      method: 'POST',
      url: '/smart/api/decision/retry',
      headers: s.headers,
      payload: {},
    });
    assert.equal(retry.statusCode, 201);
    const stored = tb.fhir.created.at(-1) as Observation;
    assert.equal(`Observation/${stored.id}`, retry.json().observation);
    assert.equal(stored.valueCodeableConcept?.coding?.[0]?.code, '1');
    assert.equal((await s.context()).json().pendingDecision, null);
  });

  it('opens source resources through the server with the session token', async () => {
    const s = await launched(tb);
    const res = await tb.app.inject({
      method: 'GET',
      url: '/smart/api/resource/Observation/hr-3',
      headers: sessionHeaders(s.jar, s.handle),
    });
    assert.equal(res.statusCode, 200);
    assert.equal(JSON.parse(res.body).valueQuantity.value, 124);
    const missing = await tb.app.inject({
      method: 'GET',
      url: '/smart/api/resource/Observation/nope',
      headers: sessionHeaders(s.jar, s.handle),
    });
    assert.equal(missing.statusCode, 404);
  });
});

describe('SMART app: FHIR server outage', () => {
  it('keeps the decision when the FHIR server cannot be reached, and the page context still loads', async () => {
    const tb = await startTestbed();
    try {
      const s = await launched(tb);
      const view = (await s.assess()).json();
      await tb.fhir.close();
      const res = await s.decide({
        action: 'override',
        assessmentId: view.assessmentId,
        level: 3,
        reason: 'Stable',
      });
      assert.equal(res.statusCode, 502);
      assert.equal(res.json().message, 'The FHIR server could not be reached.');
      assert.equal(res.json().pendingDecision.level, 3);
      const ctx = await s.context();
      assert.equal(ctx.statusCode, 200);
      assert.equal(ctx.json().pendingDecision.reason, 'Stable');
      assert.match(ctx.json().patientError, /could not be reached/);
    } finally {
      await tb.close();
    }
  });
});

describe('SMART app: paged searches', () => {
  it('reads every page of a search the server splits up', async () => {
    const tb = await startTestbed({ fhir: { pageSize: 3 } });
    try {
      const s = await launched(tb);
      const view = (await s.assess()).json();
      assert.ok(
        tb.fhir.requests.some((q) => q.url.includes('_offset=3')),
        'a next link was followed',
      );
      const hr = view.vitals.find((v: { kind: string }) => v.kind === 'heartRate');
      assert.deepEqual(
        hr.history.map((p: { value: number }) => p.value),
        [96, 108, 124],
      );
    } finally {
      await tb.close();
    }
  });
});

describe('SMART app: token lifetime', () => {
  it('refreshes an expiring token before calling the FHIR server', async () => {
    const tb = await startTestbed({ smart: { expiresIn: 5 } });
    try {
      const s = await launched(tb);
      const refreshesAtLogin = tb.smart.stats.refreshGrants;
      const res = await s.assess();
      assert.equal(res.statusCode, 200);
      assert.ok(tb.smart.stats.refreshGrants > refreshesAtLogin, 'the refresh grant was used');
      assert.ok(tb.fhir.requests.filter((q) => q.url.startsWith('/fhir/Patient')).every((q) => q.authorized));
    } finally {
      await tb.close();
    }
  });

  it('refreshes after the FHIR server says 401, and says "session expired" when refresh fails', async () => {
    // A verified nurse (fhirUser in the id_token): only then does an unsent decision outlive its
    // session (issue 13, finding 6).
    const tb = await startTestbed({
      smart: { context: { patient: 'pt-ed-1', encounter: 'enc-ed-1', fhirUser: 'Practitioner/nurse-a' } },
    });
    try {
      const s = await launched(tb);
      tb.smart.expireAccessTokens();
      const ok = await s.assess();
      assert.equal(ok.statusCode, 200);
      assert.equal(tb.smart.stats.refreshGrants, 1);

      const view = ok.json();
      tb.smart.expireAccessTokens();
      tb.smart.failRefresh = true;
      const res = await s.decide({ action: 'accept', assessmentId: view.assessmentId });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error, 'session-expired');
      assert.match(res.json().message, /session has expired\. Relaunch/);
      assert.equal(res.json().pendingDecision.level, 2, 'the decision is kept');
      assert.equal(tb.fhir.created.length, 0);

      // Relaunching for the same patient carries the unsent decision over, and it can be sent.
      tb.smart.failRefresh = false;
      const again = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=again`, { jar: s.jar });
      const ctx = again.context as { pendingDecision: { level: number } };
      assert.equal(ctx.pendingDecision.level, 2);
      const retry = await tb.app.inject({
        method: 'POST',
        url: '/smart/api/decision/retry',
        headers: pageHeaders(tb, again.jar, again.csrf ?? ''),
        payload: {},
      });
      assert.equal(retry.statusCode, 201);
      assert.equal(tb.fhir.created.length, 1);
    } finally {
      await tb.close();
    }
  });
});
