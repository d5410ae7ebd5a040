import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signIn, startTestbed, type Testbed } from './smart-testbed.ts';

async function withTestbed(
  opts: Parameters<typeof startTestbed>[0],
  run: (tb: Testbed) => Promise<void>,
): Promise<void> {
  const tb = await startTestbed(opts);
  try {
    await run(tb);
  } finally {
    await tb.close();
  }
}

const ehrLaunch = (tb: Testbed, launch = 'l') => `?iss=${encodeURIComponent(tb.fhir.url)}&launch=${launch}`;

describe('SMART sign-in: mix-up hardening', () => {
  it('refuses a token endpoint on a host unrelated to the FHIR server and the authorize endpoint', async () => {
    await withTestbed({}, async (tb) => {
      tb.smart.configOverrides = { token_endpoint: 'http://127.0.0.1:9/token' };
      const r = await signIn(tb, ehrLaunch(tb));
      assert.equal(r.launch.statusCode, 502);
      assert.match(r.launch.body, /token endpoint on an unrelated host/);
    });
  });

  it('requires https sign-in endpoints in production', async () => {
    await withTestbed(
      { env: { NODE_ENV: 'production', FHIR_SERVERS_ALLOWED: 'https://ehr.example.org/fhir' } },
      async (tb) => {
        const r = await signIn(tb, ehrLaunch(tb));
        assert.equal(r.launch.statusCode, 502);
        assert.match(r.launch.body, /without https/);
        assert.equal(tb.smart.stats.authorizeRequests.length, 0);
      },
    );
  });

  it('requires and checks the iss parameter when discovery advertises it (RFC 9207)', async () => {
    await withTestbed({}, async (tb) => {
      tb.smart.issParameter = true;
      assert.equal((await signIn(tb, ehrLaunch(tb))).callback?.statusCode, 303);
      tb.smart.callbackIss = null;
      const missing = await signIn(tb, ehrLaunch(tb));
      assert.equal(missing.callback?.statusCode, 400);
      assert.match(String(missing.callback?.body), /expected authorization server/);
      tb.smart.callbackIss = 'https://attacker.example';
      const wrong = await signIn(tb, ehrLaunch(tb));
      assert.equal(wrong.callback?.statusCode, 400);
      assert.equal(tb.smart.stats.tokenRequests.length, 1, 'no code sent to a token endpoint after a mix-up');
    });
  });

  it('fetches discovery once per issuer within five minutes', async () => {
    await withTestbed({}, async (tb) => {
      await signIn(tb, ehrLaunch(tb, 'a'));
      await signIn(tb, ehrLaunch(tb, 'b'));
      assert.equal(tb.smart.discoveryRequests, 1);
    });
  });

  it('sends aud exactly as the allowlist entry names the server', async () => {
    await withTestbed({ allowedIssuers: (url) => `${url}/` }, async (tb) => {
      tb.smart.audience = `${tb.fhir.url}/`;
      const r = await signIn(tb, ehrLaunch(tb));
      assert.equal(r.authorizeUrl?.searchParams.get('aud'), `${tb.fhir.url}/`);
      assert.equal(r.callback?.statusCode, 303);
    });
  });
});

describe('SMART sign-in: the id_token is verified before fhirUser is used', () => {
  const smart = { context: { patient: 'pt-ed-1', fhirUser: 'Practitioner/nurse-7' } };

  it('takes fhirUser from an id_token signed by the issuer, with our client id and nonce', async () => {
    await withTestbed({ smart }, async (tb) => {
      const r = await signIn(tb, ehrLaunch(tb));
      assert.ok(r.authorizeUrl?.searchParams.get('nonce'), 'authorize carries a nonce');
      assert.equal(r.context?.fhirUser, 'Practitioner/nurse-7');
    });
  });

  for (const [what, tweak] of [
    ['signed with a key not in the JWKS', { foreignKey: true }],
    ['issued for another client', { audience: 'someone-else' }],
    ['carrying another sign-in’s nonce', { nonce: 'replayed' }],
  ] as const) {
    it(`refuses an id_token ${what}`, async () => {
      await withTestbed({ smart }, async (tb) => {
        tb.smart.idTokenTweaks = tweak;
        const r = await signIn(tb, ehrLaunch(tb));
        assert.equal(r.callback?.statusCode, 400);
        assert.match(String(r.callback?.body), /identity token/);
      });
    });
  }

  it('does not take fhirUser from the id_token when the server publishes no jwks_uri', async () => {
    await withTestbed({ smart }, async (tb) => {
      tb.smart.configOverrides = { jwks_uri: undefined };
      const r = await signIn(tb, ehrLaunch(tb));
      assert.equal(r.callback?.statusCode, 303);
      assert.equal(r.context?.fhirUser, null);
    });
  });
});
