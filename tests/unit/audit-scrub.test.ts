import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../src/audit/canonical-json.ts';
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

  it('redacts bearer tokens whatever their case, and credentials in query strings', () => {
    const token = 'abcdefghijklmnopqrstuvwxyz012345';
    const { value, removed } = scrubSecrets({
      errors: [
        `GET failed: Authorization: BEARER ${token}`,
        `GET https://ehr.example/fhir/Patient/1?access_token=${token}&_format=json failed`,
        `POST /token body grant_type=refresh_token&refresh_token=${token}`,
        `callback https://app.example/cb?code=${token}&state=xyz123`,
      ],
    });
    assert.ok(!JSON.stringify(value).includes(token));
    assert.equal(value.errors[0], `GET failed: Authorization: BEARER ${REDACTED}`);
    assert.match(value.errors[1], /access_token=\[redacted\]&_format=json/);
    assert.match(value.errors[2], /grant_type=refresh_token&refresh_token=\[redacted\]/);
    assert.match(value.errors[3], /\?code=\[redacted\]&state=\[redacted\]/);
    assert.equal(removed.length, 4);
    const clinical = 'LOINC code=8867-4 heart rate';
    assert.equal(scrubSecrets({ clinical }).value.clinical, clinical);
  });

  it('removes secret-like keys but keeps token counts and token types', () => {
    const { value } = scrubSecrets({
      token: 'x',
      sessionToken: 'x',
      password: 'y',
      apiKey: 'z',
      'X-Api-Key': 'z',
      cookie: 'sid=1',
      Set_Cookie: 'sid=1',
      proxyAuthorization: 'Basic x',
      clientSecretJwt: 's',
      usage: { promptTokens: 900, completionTokens: 120 },
      parameters: { max_tokens: 300 },
      token_type: 'Bearer',
    });
    assert.deepEqual(value, {
      usage: { promptTokens: 900, completionTokens: 120 },
      parameters: { max_tokens: 300 },
      token_type: 'Bearer',
    });
  });

  it('scrubs what toJSON would serialize, and keeps a __proto__ key as plain data', () => {
    class Credentials {
      toJSON() {
        return { access_token: 'opaque-secret-123', scope: 'patient/*.read' };
      }
    }
    const { value } = scrubSecrets({ x: new Credentials(), at: new Date(0) });
    assert.equal(canonicalJson(value), '{"at":"1970-01-01T00:00:00.000Z","x":{"scope":"patient/*.read"}}');

    const parsed = JSON.parse('{"statements":[],"__proto__":{"injected":"x"}}');
    const scrubbed = scrubSecrets({ parsed }).value;
    assert.equal(canonicalJson(scrubbed), '{"parsed":{"__proto__":{"injected":"x"},"statements":[]}}');
    assert.equal((scrubbed.parsed as { injected?: unknown }).injected, undefined, 'no prototype was set');
    assert.equal(({} as { injected?: unknown }).injected, undefined);
  });

  it('turns NaN and Infinity into null and reports where', () => {
    const { value, nonFinite } = scrubSecrets({ a: Number.NaN, b: [1, -Infinity], c: { d: 2 } });
    assert.deepEqual(value, { a: null, b: [1, null], c: { d: 2 } });
    assert.deepEqual(nonFinite, ['$.a', '$.b[1]']);
  });
});
