import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Patient } from '@medplum/fhirtypes';
import { dateForms, phiTermsFromResources, redactText } from '../../src/llm/redact.ts';

describe('free-text redaction', () => {
  it('removes Safe Harbor identifiers in their common written forms', () => {
    const text =
      'Mr. John Smith (MRN: 00482913), DOB 03/15/1950, SSN 123-45-6789, phone (617) 555-0142, ' +
      'lives at 42 Wallaby Way, Springfield, MA 01103. Email john.smith@example.com, portal https://portal.example.org/p/1. ' +
      'Seen 2024-02-03T10:00:00Z and on March 15, 1950 and 15 March 1950; ref 19500315. Name: Jane Roe; cell 617.555.0199';
    const out = redactText(text);
    for (const secret of [
      'John',
      'Smith',
      '00482913',
      '03/15/1950',
      '123-45-6789',
      '555-0142',
      'Wallaby',
      '01103',
      'john.smith',
      'example.com',
      'portal.example.org',
      '2024-02-03',
      'March 15, 1950',
      '15 March 1950',
      '19500315',
      'Jane',
      '617.555.0199',
    ]) {
      assert.ok(!out.includes(secret), `"${secret}" survived: ${out}`);
    }
    assert.match(out, /\[name\]/);
    assert.match(out, /MRN \[id\]/);
  });

  it('catches Synthea-style names and record UUIDs', () => {
    const out = redactText(
      'Jacinto644 Kris249 is a 45 year-old man; record e9782bd2-ab34-4e18-945c-446bb8ee7d82.',
    );
    assert.equal(out, '[name] is a 45 year-old man; record [id].');
  });

  it('collapses written ages over 89 to 90+ and leaves younger ages alone', () => {
    assert.equal(
      redactText('A 93 year-old woman; aged 101; 94-year-old; 45 yo man'),
      'A 90+ year-old woman; aged 90+; 90+-year-old; 45 yo man',
    );
  });

  it('keeps the clinical content readable', () => {
    const text =
      'BP 150/90, HR 110, temp 38.5, pain 8/10, lactate 4.1 mmol/L, heparin 10000 units, SpO2 89 % for 2 h.';
    assert.equal(redactText(text), text);
  });

  it('removes known identifying terms from the Patient resource wherever they appear', () => {
    const patient: Patient = {
      resourceType: 'Patient',
      id: 'p1',
      name: [{ given: ['Marisol'], family: 'Quintero' }],
      identifier: [{ value: 'AB-99812' }],
      telecom: [{ system: 'phone', value: '555 0100 77' }],
      address: [{ line: ['9 Harbour Row'], city: 'Portwell', postalCode: 'PW1 4XX' }],
      birthDate: '1948-07-04',
    };
    const terms = phiTermsFromResources([patient]);
    const out = redactText(
      'marisol says her daughter in Portwell (9 Harbour Row) rang 555 0100 77; ID AB-99812; born 4 July 1948',
      {
        terms,
      },
    );
    for (const s of ['marisol', 'Portwell', 'Harbour', '0100', 'AB-99812', 'July 1948']) {
      assert.ok(!out.toLowerCase().includes(s.toLowerCase()), `"${s}" survived: ${out}`);
    }
  });

  it('lists a birth date in the forms people write it', () => {
    const forms = dateForms('1950-03-05');
    for (const f of [
      '1950-03-05',
      '03/05/1950',
      '3/5/1950',
      '05/03/1950',
      'March 5, 1950',
      '5 March 1950',
      '19500305',
    ]) {
      assert.ok(forms.includes(f), f);
    }
  });

  it('removes month-day dates without a year, in words and in digits', () => {
    const samples = [
      'Seen on 15 March, again 3rd of June.',
      'Admitted 03/15 and d/c 4/2.',
      'follow up Tuesday 11/3',
      'seen 2019-3-5',
      'on 5th Nov',
      'november 5',
      'since Dec. 12th',
    ];
    for (const s of samples) {
      const out = redactText(s);
      assert.match(out, /\[date\]/, s);
      assert.doesNotMatch(
        out,
        /\b(?:15|3rd|03\/15|4\/2|11\/3|2019|5th|12th)\b|november 5/i,
        `${s} => ${out}`,
      );
    }
    assert.equal(redactText('Seen on 15 March, again 3rd of June.'), 'Seen on [date], again [date].');
    const clinical = 'pain 8/10, power 5/5, 1/2 tablet, BP 150/90, may 2 times daily, GCS 9/15';
    assert.equal(redactText(clinical), clinical, 'scores, fractions and the verb "may" stay');
  });

  it('collapses "92 y.o." and "92F" ages to 90+, but not a temperature', () => {
    assert.equal(redactText('92 y.o. woman'), '90+ y.o. woman');
    assert.equal(redactText('92F presents with fall'), '90+F presents with fall');
    assert.equal(redactText('a 101 M with cough'), 'a 90+ M with cough');
    assert.equal(redactText('T 101F overnight'), 'T 101F overnight');
    assert.equal(redactText('aged ninety-two'), 'aged 90+');
  });

  it('removes spaced social security numbers', () => {
    assert.equal(redactText('SSN 123 45 6789 on file'), 'SSN [ssn] on file');
    assert.equal(redactText('ref 123.45.6789'), 'ref [ssn]');
  });

  it("removes two-letter parts of the patient's own name, and the patient's contacts", () => {
    const patient: Patient = {
      resourceType: 'Patient',
      id: 'p2',
      name: [{ given: ['Jo'], family: 'Wu' }],
      contact: [
        {
          name: { given: ['Harriet'], family: 'Okonkwo' },
          telecom: [{ system: 'phone', value: '555 0199 42' }],
          address: { line: ['7 Quarry Lane'], city: 'Millbrook' },
        },
      ],
    };
    const terms = phiTermsFromResources([patient]);
    for (const t of ['Jo', 'Wu', 'Harriet', 'Okonkwo', '555 0199 42', '7 Quarry Lane', 'Millbrook']) {
      assert.ok(terms.includes(t), t);
    }
    const out = redactText('Jo Wu came in with Harriet Okonkwo (555 0199 42) from Millbrook; jo said no', {
      terms,
    });
    for (const s of ['Jo ', 'Wu', 'Harriet', 'Okonkwo', '0199', 'Millbrook']) {
      assert.ok(!out.includes(s), `"${s}" survived: ${out}`);
    }
    assert.match(
      out,
      /jo said no/,
      'two-letter terms match as written or in capitals, not every lower-case word',
    );
  });
});
