// Finding 4: the SMART resource proxy reads only the launch patient's compartment (the Patient itself
// and resources whose subject or patient is that patient), whatever scopes the EHR granted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PATIENT_ID, sessionHeaders, signIn, startTestbed, type Testbed } from './smart-testbed.ts';

describe('security: the SMART resource proxy stays in the launch patient’s compartment', () => {
  let tb: Testbed;
  let headers: Record<string, string>;
  before(async () => {
    tb = await startTestbed();
    tb.fhir.resources.push(
      { resourceType: 'Patient', id: 'pt-someone-else', name: [{ family: 'Elsewhere' }] },
      {
        resourceType: 'Observation',
        id: 'obs-someone-else',
        status: 'final',
        code: { text: 'Heart rate' },
        subject: { reference: 'Patient/pt-someone-else' },
      },
      {
        resourceType: 'AllergyIntolerance',
        id: 'allergy-someone-else',
        patient: { reference: 'Patient/pt-someone-else' },
      },
      { resourceType: 'Practitioner', id: 'prac-1', name: [{ family: 'Nobody' }] },
    );
    const s = await signIn(tb, `?iss=${encodeURIComponent(tb.fhir.url)}&launch=x`);
    assert.equal(s.callback?.statusCode, 303);
    headers = sessionHeaders(s.jar, s.handle);
  });
  after(() => tb.close());

  const get = (path: string) => tb.app.inject({ method: 'GET', url: `/smart/api/resource/${path}`, headers });

  it('reads the launch patient and a resource about that patient', async () => {
    assert.equal((await get(`Patient/${PATIENT_ID}`)).statusCode, 200);
    const hr = await get('Observation/hr-3');
    assert.equal(hr.statusCode, 200);
  });

  it('does not ask the FHIR server for another Patient at all', async () => {
    const before = tb.fhir.requests.length;
    const res = await get('Patient/pt-someone-else');
    assert.equal(res.statusCode, 403, res.body);
    assert.ok(!res.body.includes('Elsewhere'));
    assert.equal(tb.fhir.requests.slice(before).filter((r) => r.url.includes('pt-someone-else')).length, 0);
  });

  it('refuses resources about another patient or about no patient', async () => {
    for (const path of [
      'Observation/obs-someone-else',
      'AllergyIntolerance/allergy-someone-else',
      'Practitioner/prac-1',
    ]) {
      const res = await get(path);
      assert.equal(res.statusCode, 403, `${path}: ${res.body}`);
      assert.ok(!res.body.includes('someone-else') || !res.body.includes('"resourceType"'), res.body);
      assert.ok(!res.body.includes('Nobody'));
    }
  });
});
