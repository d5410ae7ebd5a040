import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { BUNDLED_GUIDELINES_DIR, loadCorpus } from '../../src/guidelines/adapters/corpus-files.ts';
import {
  bestQuote,
  citationFor,
  citationForQuery,
  QuoteNotInPassageError,
  sentences,
  verifyQuote,
} from '../../src/guidelines/citation.ts';
import type { Corpus } from '../../src/guidelines/corpus.ts';
import type { Passage } from '../../src/guidelines/types.ts';

let corpus: Corpus;
before(async () => {
  corpus = await loadCorpus([BUNDLED_GUIDELINES_DIR]);
});

const get = (id: string): Passage => {
  const p = corpus.passages.find((x) => x.chunkId === id);
  assert.ok(p, `missing passage ${id}`);
  return p;
};

describe('guideline citations', () => {
  it('splits every bundled passage into sentences that are exact substrings of it', () => {
    for (const p of corpus.passages) {
      const s = sentences(p.text);
      assert.ok(s.length > 0, p.chunkId);
      for (const q of s) assert.ok(verifyQuote(p, q), `${p.chunkId}: ${q}`);
    }
  });

  it('keeps abbreviations and decimals inside one sentence', () => {
    assert.deepEqual(sentences('Give 0.9 mg/kg, e.g. for adults. Then wait 5 min. Done!'), [
      'Give 0.9 mg/kg, e.g. for adults.',
      'Then wait 5 min.',
      'Done!',
    ]);
  });

  it('quotes the sentence that matches the finding', () => {
    const p = get('metformin-egfr#egfr-below-30');
    const quote = bestQuote(p, 'drug stopped when eGFR falls');
    assert.equal(quote, 'It should be stopped if eGFR falls below 30.');
    const c = citationForQuery(
      get('sepsis-antimicrobial-timing#septic-shock-or-probable-sepsis'),
      'within 1 hour',
    );
    assert.equal(c.quote, 'The target is within 1 hour of recognition.');
  });

  it('builds a citation carrying the passage metadata and an exact quote', () => {
    const p = get('afib-anticoagulation#anticoagulation-recommended');
    const c = citationFor(p);
    assert.deepEqual(
      { ...c, quote: undefined },
      {
        chunkId: 'afib-anticoagulation#anticoagulation-recommended',
        title: p.title,
        issuer: 'ACC/AHA/ACCP/HRS',
        year: 2023,
        url: p.url,
        section: 'Anticoagulation recommended',
        quote: undefined,
      },
    );
    assert.ok(p.text.startsWith(c.quote));
    assert.ok(verifyQuote(p, c.quote));
    const explicit = citationFor(p, '3 or more in women');
    assert.equal(explicit.quote, '3 or more in women');
  });

  it('refuses a quote that is not word for word in the passage', () => {
    const p = get('hyperkalaemia#severity-bands');
    assert.equal(verifyQuote(p, 'Severe hyperkalaemia is 7.0 mmol/L or more.'), false);
    assert.equal(verifyQuote(p, ''), false);
    assert.equal(verifyQuote(p, 'severe at 6.5 mmol/L'), true);
    assert.throws(() => citationFor(p, 'severe at 7.0 mmol/L'), QuoteNotInPassageError);
  });
});
