import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CdsClientsFileError, loadCdsClients } from '../../src/auth/cds-clients.ts';
import { getTestCdsClient, writeTestCdsClientsFile } from '../helpers/cds-tokens.ts';

describe('CDS clients file', () => {
  let dir: string;
  let n = 0;
  const write = async (content: unknown) => {
    const file = join(dir, `clients-${n++}.json`);
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const rejectsWith = (file: string, problem: RegExp) =>
    assert.rejects(loadCdsClients(file), (e: unknown) => {
      assert.ok(e instanceof CdsClientsFileError);
      assert.equal(e.file, file);
      assert.ok(e.message.includes(file), 'the message names the file');
      assert.ok(
        e.problems.some((p) => problem.test(p)),
        `no problem matches ${problem}: ${e.problems.join('; ')}`,
      );
      return true;
    });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'citecare-cds-clients-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trusts nobody when no file is configured', async () => {
    assert.deepEqual(await loadCdsClients(undefined), []);
  });

  it('loads the test client file the helpers write', async () => {
    const file = await writeTestCdsClientsFile(dir);
    const [client] = await loadCdsClients(file);
    assert.equal(client.iss, (await getTestCdsClient()).iss);
    assert.equal(client.jwks?.keys.length, 4);
    assert.deepEqual(client.allowedJku, []);
  });

  it('loads jwksUrl, allowedJku and tenants', async () => {
    const file = await write([
      {
        iss: 'https://ehr.example',
        jwksUrl: 'https://ehr.example/jwks.json',
        allowedJku: ['https://ehr.example/jwks.json'],
        tenants: ['hospital-a'],
      },
    ]);
    const [client] = await loadCdsClients(file);
    assert.deepEqual(client.tenants, ['hospital-a']);
    assert.equal(client.jwksUrl, 'https://ehr.example/jwks.json');
  });

  it('names the file when it is missing or not JSON', async () => {
    await rejectsWith(join(dir, 'nope.json'), /cannot be read \(ENOENT\)/);
    await rejectsWith(await write('[{"iss": '), /not valid JSON/);
  });

  it('names the entry and field that is wrong', async () => {
    await rejectsWith(await write({ iss: 'x' }), /^\(root\): /);
    await rejectsWith(await write([{ jwksUrl: 'https://a.example/jwks' }]), /^\[0\]\.iss: /);
    await rejectsWith(
      await write([
        { iss: 'a', jwksUrl: 'https://a/j' },
        { iss: 'b', jwksUrl: 'ftp://b/jwks' },
      ]),
      /^\[1\]\.jwksUrl: must be an absolute http\(s\) URL/,
    );
    await rejectsWith(await write([{ iss: 'a', jwks_url: 'https://a/j' }]), /jwks_url/);
    await rejectsWith(await write([{ iss: 'a' }]), /^\[0\]\.jwks: a client needs its keys/);
    await rejectsWith(
      await write([
        { iss: 'a', jwksUrl: 'https://a/j' },
        { iss: 'a', jwksUrl: 'https://a/k' },
      ]),
      /^\[1\]\.iss: duplicates/,
    );
  });

  it('refuses private, symmetric and unnamed keys in the trust file', async () => {
    const { jwks } = await getTestCdsClient();
    const pub = jwks.keys[0];
    await rejectsWith(
      await write([{ iss: 'a', jwks: { keys: [{ ...pub, d: 'secret' }] } }]),
      /keys\[0\]\.d: must not/,
    );
    await rejectsWith(
      await write([{ iss: 'a', jwks: { keys: [{ kty: 'oct', kid: 'k', k: 'c2VjcmV0' }] } }]),
      /kty/,
    );
    const { kid: _kid, ...unnamed } = pub;
    await rejectsWith(
      await write([{ iss: 'a', jwks: { keys: [unnamed] } }]),
      /^\[0\]\.jwks\.keys\[0\]\.kid: /,
    );
  });
});
