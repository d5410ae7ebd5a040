// Finding 7: the open demo FHIR server must never run in production; like CDS_AUTH=disabled,
// DEMO_FHIR=on stops the start with a message naming the variable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

const PRODUCTION = {
  NODE_ENV: 'production',
  PUBLIC_BASE_URL: 'https://cds.example.org',
  FHIR_SERVERS_ALLOWED: 'https://ehr.example.org/fhir',
};

describe('security: DEMO_FHIR in production', () => {
  it('refuses DEMO_FHIR=on when NODE_ENV=production', () => {
    assert.throws(
      () => loadConfig({ ...PRODUCTION, DEMO_FHIR: 'on' }),
      (err: unknown) => err instanceof ConfigError && err.problems.some((p) => /^DEMO_FHIR /.test(p)),
    );
  });

  it('starts in production with the demo server off (explicitly or by default)', () => {
    assert.equal(loadConfig({ ...PRODUCTION, DEMO_FHIR: 'off' }).DEMO_FHIR, 'off');
    assert.equal(loadConfig(PRODUCTION).DEMO_FHIR, 'off');
  });

  it('still allows the demo server outside production', () => {
    assert.equal(loadConfig({ NODE_ENV: 'development', DEMO_FHIR: 'on' }).DEMO_FHIR, 'on');
  });
});
