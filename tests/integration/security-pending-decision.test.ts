// Finding 6: without a verified user (no id_token, no fhirUser), an unsent decision belongs to the
// session that made it: another nurse's launch neither sees it nor sends it with her token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pageHeaders, sessionHeaders, signIn, startTestbed, type Testbed } from './smart-testbed.ts';

describe('security: unsent decisions without a verified user stay in their session', () => {
  let tb: Testbed;
  before(async () => {
    // No fhirUser in the launch context: the SMART double issues no id_token.
    tb = await startTestbed({ smart: { context: { patient: 'pt-ed-1' } } });
  });
  after(() => tb.close());

  async function launch() {
    const r = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=anon`);
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
    return { post, context };
  }

  it('keeps nurse A’s pending override from nurse B, and B cannot send it', async () => {
    const a = await launch();
    assert.equal((await a.context()).fhirUser, null);
    const view = (await a.post('/assess')).json();
    tb.fhir.rejectWrites = { status: 503, diagnostics: 'busy' };
    const res = await a.post('/decision', {
      action: 'override',
      assessmentId: view.assessmentId,
      level: 2,
      reason: 'grey',
    });
    tb.fhir.rejectWrites = undefined;
    assert.equal(res.statusCode, 502);
    assert.equal((await a.context()).pendingDecision?.level, 2);

    const b = await launch();
    assert.equal((await b.context()).pendingDecision, null);
    const created = tb.fhir.created.length;
    assert.equal((await b.post('/decision/retry')).statusCode, 404);
    assert.equal(tb.fhir.created.length, created, 'nothing written with B’s token');

    assert.equal((await a.post('/decision/retry')).statusCode, 201);
    assert.equal((await a.context()).pendingDecision, null);
  });
});
