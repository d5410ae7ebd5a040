// Finding 1: FHIR_SERVERS_ALLOWED must compare the parsed origin exactly and the path on a segment
// boundary; a prefix match sent the EHR's token to look-alike hosts, ports and paths.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hookRequest } from '../fixtures/cds/patient.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

const URL_PATH = '/cds-services/citecare-patient-view';

describe('security: the FHIR server allowlist', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({
      FHIR_SERVERS_ALLOWED: 'https://ehr.example.org/fhir/r4/, https://other.example.org',
    });
  });
  after(() => t.close());

  async function call(fhirServer: string) {
    return t.app.inject({
      method: 'POST',
      url: URL_PATH,
      headers: { authorization: `Bearer ${await t.token(URL_PATH)}`, 'content-type': 'application/json' },
      payload: {
        ...hookRequest('patient-view'),
        fhirServer,
        fhirAuthorization: {
          access_token: 'ehr-secret',
          token_type: 'Bearer',
          expires_in: 300,
          scope: 'patient/*.read',
          subject: 'citecare',
        },
      },
    });
  }

  for (const bypass of [
    'https://ehr.example.org.evil.net/fhir/r4',
    'https://ehr.example.org:8443/fhir/r4',
    'https://ehr.example.org/fhir/r4-admin',
    'https://ehr.example.org/fhir/r4evil/Patient',
    'http://ehr.example.org/fhir/r4',
    'https://user@ehr.example.org/fhir/r4',
    'https://other.example.org.evil.net',
    'https://other.example.org:8443/fhir',
  ]) {
    it(`refuses ${bypass}`, async () => {
      const res = await call(bypass);
      assert.equal(res.statusCode, 400);
      assert.match(JSON.stringify(res.json()), /fhirServer/);
    });
  }

  for (const legit of [
    'https://ehr.example.org/fhir/r4',
    'https://ehr.example.org/fhir/r4/',
    'https://EHR.example.org:443/fhir/r4',
    'https://ehr.example.org/fhir/r4/tenant-7',
    'https://other.example.org/any/path',
  ]) {
    it(`accepts ${legit}`, async () => {
      const res = await call(legit);
      assert.equal(res.statusCode, 200, res.body);
    });
  }
});
