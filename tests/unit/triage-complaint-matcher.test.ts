// The one chief-complaint matcher: abbreviations, lay wording and misspellings find their concept;
// denied and past mentions do not count; a clause boundary ends a denial.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withinOneEdit } from '../../src/clinical/triage/complaint-matcher.ts';
import { normaliseComplaint } from '../../src/clinical/triage/complaint-text.ts';
import { type Concept, complaintConcepts, complaintMatcher } from '../../src/clinical/triage/concepts.ts';

const has = (text: string, concept: Concept) => complaintConcepts(text).has(concept);
const statusOf = (text: string, concept: Concept) =>
  complaintMatcher.mentions(text).find((m) => m.concept === concept)?.status;

describe('normalising a chief complaint', () => {
  test('pasted text names the same concepts: full-width letters, invisible separators, look-alike letters', () => {
    assert.equal(normaliseComplaint('\uFF43\uFF48\uFF45\uFF53\uFF54 \uFF50\uFF41\uFF49\uFF4E'), 'chest pain');
    assert.equal(normaliseComplaint('chest\u200Bpain'), 'chest pain');
    assert.equal(normaliseComplaint('ches\u00ADt pain'), 'chest pain');
    // Cyrillic "С" and "а" inside Latin words.
    assert.equal(normaliseComplaint('\u0421hest p\u0430in'), 'chest pain');
    assert.ok(has('\uFF33\uFF29', 'suicidal-ideation'), 'full-width SI');
    // A word wholly in another script is left as it is.
    assert.equal(normaliseComplaint('\u0431\u043E\u043B\u044C'), '\u0431\u043E\u043B\u044C');
  });

  test('clinical abbreviations are spelled out', () => {
    assert.equal(normaliseComplaint('CP and SOB'), 'chest pain and shortness of breath');
    assert.equal(normaliseComplaint('abd pain, N/V'), 'abdominal pain , nausea and vomiting');
    assert.equal(normaliseComplaint('h/o MI'), 'history of myocardial infarction');
    assert.equal(normaliseComplaint('?torsion'), 'possible torsion');
    assert.equal(normaliseComplaint('PV bleed'), 'vaginal bleed');
    assert.equal(normaliseComplaint('pos UPT'), 'positive pregnancy test');
    assert.equal(normaliseComplaint('RIF pain'), 'iliac fossa pain');
  });

  test('"SI" and "HI" in capitals are ideation; the SI joint and a greeting are not', () => {
    assert.match(normaliseComplaint('SI with plan'), /suicidal ideation/);
    assert.match(normaliseComplaint('denies SI/HI'), /suicidal ideation .* homicidal ideation/);
    assert.doesNotMatch(normaliseComplaint('left SI joint pain'), /suicidal/);
    assert.doesNotMatch(normaliseComplaint('said hi to the nurse'), /homicidal/);
  });

  test("a stated temperature of 38 °C or 100.4 °F and more reads as fever; can't reads as cannot", () => {
    assert.match(normaliseComplaint('temp 38.6'), /\bfever\b/);
    assert.match(normaliseComplaint('T 101.2F'), /\bfever\b/);
    assert.doesNotMatch(normaliseComplaint('temp 37.2'), /\bfever\b/);
    assert.equal(normaliseComplaint("can't catch my breath"), 'cannot catch my breath');
  });

  test('one typo in a long word is tolerated, two are not', () => {
    assert.ok(withinOneEdit('abdomnial', 'abdominal'));
    assert.ok(withinOneEdit('testicel', 'testicle'));
    assert.ok(!withinOneEdit('abdomnl', 'abdominal'));
    assert.ok(has('abdomnial pain', 'abdominal-pain'));
    assert.ok(has('siezure at home', 'seizure'), 'a listed misspelling');
    assert.ok(has('strock symptoms', 'stroke-signs'), 'a short word needs a listed misspelling');
  });
});

describe('concepts from lay wording and abbreviations', () => {
  const cases: Array<[string, Concept]> = [
    ["can't catch my breath", 'severe-breathlessness'],
    ['worst headache ever', 'thunderclap-headache'],
    ['swallowed a battery', 'button-battery'],
    ['period is late and the test was positive', 'stated-pregnancy'],
    ['CP radiating to jaw', 'chest-pain'],
    ['LOC after MVC', 'loss-of-consciousness'],
    ['LOC after MVC', 'vehicle-crash'],
    ['?torsion L testicle', 'testicular-pain'],
    ['PV bleed since this morning', 'vaginal-bleeding'],
    ['N/V x3 days', 'vomiting-diarrhoea'],
    ['SI with plan', 'suicidal-ideation'],
    ['says he wants to kill his neighbour', 'homicidal-or-violent'],
    ['suddenly confused since this morning', 'new-confusion'],
    ['woke up unable to move L arm and leg', 'stroke-signs'],
    ['fever after chemo last week', 'recent-chemotherapy'],
    ['severe colicky flank pain', 'renal-colic'],
    ['cold painful leg, cant feel a pulse in the foot', 'limb-ischaemia'],
    ['vomiting blood', 'upper-gi-bleed'],
    ['bleach splashed in eye', 'chemical-eye'],
    ['missed dialysis on Friday', 'missed-dialysis'],
    ['stomache pain all day', 'abdominal-pain'],
    ['heavy feeling in the middle of my chest', 'chest-pain'],
    ['pain on the left side of my pelvis', 'lower-abdominal-pain'],
    ["took a whole strip of her mum's tablets", 'overdose'],
    ['swallowed button batt', 'button-battery'],
    ['little finger caught in a door, ?#', 'limb-injury'],
    ['went over on ankle at netball', 'limb-injury'],
    ['baby not feeding, sunken fontanelle', 'dehydration-severe'],
    ['HD pt, missed session Friday', 'missed-session'],
  ];
  for (const [text, concept] of cases) test(`"${text}" → ${concept}`, () => assert.ok(has(text, concept)));
});

describe('negation and history', () => {
  test('a denied mention does not count, before or after the words', () => {
    assert.equal(statusOf('denies chest pain', 'chest-pain'), 'negated');
    assert.equal(statusOf('no LOC, hit head on cupboard', 'loss-of-consciousness'), 'negated');
    assert.equal(statusOf('chest pain: denied', 'chest-pain'), 'negated');
    assert.equal(statusOf('Denies SI/HI', 'suicidal-ideation'), 'negated');
    assert.ok(!has('pregnancy test negative', 'stated-pregnancy'));
  });

  test("a past or someone else's mention does not count", () => {
    assert.equal(statusOf('h/o MI', 'chest-pain'), 'historical');
    assert.equal(statusOf('seizure as a child, now ankle pain', 'seizure'), 'historical');
    assert.equal(statusOf('mother had a stroke, here for BP check', 'stroke-signs'), 'historical');
    assert.equal(statusOf('confused at baseline, had a fall', 'new-confusion'), 'historical');
  });

  test("a relative's illness or a condition in remission is not the patient's complaint today", () => {
    assert.notEqual(statusOf('father died of a heart attack, here for a cough', 'chest-pain'), 'present');
    assert.notEqual(
      statusOf('mum died from a stroke last spring, wants a BP check', 'stroke-signs'),
      'present',
    );
    assert.equal(statusOf('seizure free for 5 years, cut finger', 'seizure'), 'historical');
    // The patient's own event is still present.
    assert.equal(statusOf('had a seizure an hour ago', 'seizure'), 'present');
  });

  test('a number of tablets taken at once reads as an overdose; a normal dose does not', () => {
    assert.ok(has('took 20 tylenol', 'overdose'));
    assert.ok(has('took 30 pills', 'overdose'));
    assert.ok(has('swallowed 16 of her sleeping tablets', 'overdose'));
    assert.ok(!has('took 2 tylenol for a headache', 'overdose'));
    assert.ok(!has('took 20 minutes to stop bleeding', 'overdose'));
    assert.ok(!has('took my pills this morning', 'overdose'));
  });

  test('the denial ends at the clause: "no fever but chest pain" still finds chest pain', () => {
    assert.ok(has('no fever but chest pain', 'chest-pain'));
    assert.ok(!has('no fever but chest pain', 'fever'));
    assert.ok(has('h/o MI, now CP radiating to back', 'chest-pain'));
  });

  test('"won\'t stop vomiting" is not a denial, and a present mention wins over an earlier denied one', () => {
    assert.ok(has("won't stop vomiting", 'vomiting-diarrhoea'));
    assert.ok(has('no chest pain yesterday; chest pain now', 'chest-pain'));
  });

  test('a reason quotes only the phrase words, never the free text a gap let through', () => {
    const m = complaintMatcher
      .mentions('pain ignore all rules chest')
      .find((x) => x.concept === 'chest-pain');
    assert.equal(m?.words, 'pain … chest');
  });

  test('look-alikes do not match', () => {
    for (const [text, concept] of [
      ['left SI joint pain', 'suicidal-ideation'],
      ['feeling SICK', 'suicidal-ideation'],
      ['testicular lump, painless, 3 months', 'testicular-pain'],
      ['rolled ankle playing netball', 'high-risk-mechanism'],
      ['the pain is killing him', 'homicidal-or-violent'],
    ] as Array<[string, Concept]>)
      assert.ok(!has(text, concept), `${text} → ${concept}`);
  });
});
