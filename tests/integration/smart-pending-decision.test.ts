import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Observation } from '@medplum/fhirtypes';
import { pageHeaders, sessionHeaders, signIn, startTestbed, type Testbed } from './smart-testbed.ts';

const NURSE_A = 'Practitioner/nurse-a';
const NURSE_B = 'Practitioner/nurse-b';

describe('SMART app: unsent decisions', () => {
  let tb: Testbed;
  before(async () => {
    tb = await startTestbed({ smart: { context: { patient: 'pt-ed-1', fhirUser: NURSE_A } } });
  });
  after(() => tb.close());

  async function as(user: string, patient = 'pt-ed-1') {
    tb.smart.context = { patient, fhirUser: user };
    const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=${user}`);
    assert.equal(r.callback?.statusCode, 303);
    const headers = pageHeaders(tb, r.jar, r.csrf, r.handle);
    const post = (url: string, payload: object = {}) =>
      tb.app.inject({ method: 'POST', url: `/smart/api${url}`, headers, payload });
    const context = async () =>
      (
        await tb.app.inject({
          method: 'GET',
          url: '/smart/api/context',
          headers: sessionHeaders(r.jar, r.handle),
        })
      ).json();
    return { ...r, post, context };
  }

  async function leavePending(user: string) {
    const s = await as(user);
    const view = (await s.post('/assess')).json();
    tb.fhir.rejectWrites = { status: 503, diagnostics: 'busy' };
    const res = await s.post('/decision', {
      action: 'override',
      assessmentId: view.assessmentId,
      level: 2,
      reason: 'grey',
    });
    tb.fhir.rejectWrites = undefined;
    assert.equal(res.statusCode, 502);
    return s;
  }

  it('keeps an unsent decision across relaunches (even for another patient) and shows it to the same nurse', async () => {
    const first = await leavePending(NURSE_A);
    await as(NURSE_A, 'pt-other');
    const again = await as(NURSE_A);
    const pending = (await again.context()).pendingDecision;
    assert.equal(pending?.level, 2);
    assert.equal(pending?.reason, 'grey');
    assert.equal((await first.context()).pendingDecision?.level, 2, 'the first tab still sees it');
    assert.equal((await again.post('/decision/retry')).statusCode, 201);
    assert.equal((await again.context()).pendingDecision, null);
  });

  it('shows a pending decision only to the nurse who made it, and sends it as that nurse', async () => {
    await leavePending(NURSE_A);
    const b = await as(NURSE_B);
    assert.equal((await b.context()).pendingDecision, null);
    assert.equal((await b.post('/decision/retry')).statusCode, 404);
    const before = tb.feedback.length;
    const a = await as(NURSE_A);
    assert.equal((await a.post('/decision/retry')).statusCode, 201);
    const stored = tb.fhir.created.at(-1) as Observation;
    assert.deepEqual(stored.performer, [{ reference: NURSE_A }]);
    assert.equal(tb.feedback.length, before + 1);
    assert.equal(tb.feedback.at(-1)?.user, NURSE_A);
  });

  it('refuses a new decision (409) while one is unsent, so no second Observation is written', async () => {
    const s = await as(NURSE_A);
    const view = (await s.post('/assess')).json();
    const audit = tb.runtime.audit as { appendFeedback: (...x: unknown[]) => Promise<unknown> };
    const original = audit.appendFeedback;
    audit.appendFeedback = async () => {
      throw new Error('audit down');
    };
    const createdBefore = tb.fhir.created.length;
    try {
      const first = await s.post('/decision', { action: 'accept', assessmentId: view.assessmentId });
      assert.equal(first.statusCode, 503);
      const second = await s.post('/decision', {
        action: 'override',
        assessmentId: view.assessmentId,
        level: 1,
        reason: 'changed my mind',
      });
      assert.equal(second.statusCode, 409);
      assert.equal(second.json().error, 'decision-pending');
      assert.equal(second.json().pendingDecision.action, 'accept');
    } finally {
      audit.appendFeedback = original;
    }
    assert.equal(tb.fhir.created.length, createdBefore + 1);
    const retry = await s.post('/decision/retry');
    assert.equal(retry.statusCode, 201);
    assert.equal(tb.fhir.created.length, createdBefore + 1, 'the retry only repeats the audit step');
  });

  it('does not duplicate the Observation when the create answer was lost (conditional create)', async () => {
    const s = await as(NURSE_A);
    const view = (await s.post('/assess')).json();
    tb.fhir.loseNextCreateResponse = true;
    const createdBefore = tb.fhir.created.length;
    const lost = await s.post('/decision', { action: 'accept', assessmentId: view.assessmentId });
    assert.equal(lost.statusCode, 502);
    assert.equal(tb.fhir.created.length, createdBefore + 1, 'the server did store it');
    const retry = await s.post('/decision/retry');
    assert.equal(retry.statusCode, 201);
    assert.equal(tb.fhir.created.length, createdBefore + 1, 'no second Observation');
    const stored = tb.fhir.created.at(-1) as Observation;
    assert.equal(retry.json().observation, `Observation/${stored.id}`);
    assert.deepEqual(stored.identifier, [{ system: 'urn:citecare:assessment', value: view.assessmentId }]);
  });
});
