import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, scrubSecrets } from '../../src/audit/scrub.ts';

describe('scrubSecrets', () => {
  it('removes credential fields at any depth, whatever their spelling', () => {
    const input = {
      keep: 1,
      access_token: 'a',
      nested: [{ Authorization: 'Bearer x', fhirAuthorization: { access_token: 't' }, fine: true }],
      deeper: { 'refresh-token': 'r', accessToken: 'q', id_token: 'i', client_secret: 's' },
    };
    const { value, removed } = scrubSecrets(input);
    assert.deepEqual(value, { keep: 1, nested: [{ fine: true }], deeper: {} });
    assert.equal(removed.length, 7);
    assert.equal(input.access_token, 'a', 'the caller’s object is not modified');
  });

  it('redacts bearer tokens and JWTs inside free text', () => {
    const jwt = 'eyJhbGciOiJFUzM4NCJ9.eyJpc3MiOiJ4In0.abcdefghijkl';
    const { value } = scrubSecrets({
      errors: [`GET failed: Authorization: Bearer ${jwt}`, `token ${jwt} seen`],
    });
    assert.ok(!JSON.stringify(value).includes(jwt));
    assert.equal(value.errors[0], `GET failed: Authorization: Bearer ${REDACTED}`);
    assert.equal(value.errors[1], `token ${REDACTED} seen`);
  });

  it('leaves ordinary clinical text alone', () => {
    const text = 'NEWS2 7: respiratory rate 24/min, SpO2 91 %. Bearer of bad news.';
    assert.equal(scrubSecrets({ text }).value.text, text);
  });
});
