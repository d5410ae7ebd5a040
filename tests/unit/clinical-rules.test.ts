// Rule details the vignettes do not pin down: AKI staging, allergy cross-reactivity grading, the
// interaction list, and finding shape (short summary, topics from the shared vocabulary).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assess } from '../../src/clinical/assess/assess.ts';
import { allergyConflict } from '../../src/clinical/rules/drug-allergy.ts';
import { INTERACTIONS, interactionBetween } from '../../src/clinical/rules/drug-interaction.ts';
import { hyperkalaemiaBand } from '../../src/clinical/rules/hyperkalaemia.ts';
import { hypoglycaemiaLevel } from '../../src/clinical/rules/hypoglycaemia.ts';
import { detectAki } from '../../src/clinical/rules/kidney.ts';
import { isTopic } from '../../src/clinical/topics.ts';
import type { AllergyFact, MedicationFact } from '../../src/clinical/types.ts';
import { m, NORMAL_VITALS, snapshot } from './clinical-test-helpers.ts';

const med = (ingredients: string[], classes: string[], draft = false): MedicationFact => ({
  source: `MedicationRequest/${ingredients.join('-')}`,
  rxnorm: [],
  display: ingredients.join(' / '),
  status: draft ? 'draft' : 'active',
  ingredients,
  classes,
  draft,
});
const allergy = (classes: string[], criticality?: 'low' | 'high', ingredients?: string[]): AllergyFact => ({
  source: 'AllergyIntolerance/a',
  codes: [],
  display: classes.join(', '),
  category: ['medication'],
  classes,
  ...(criticality ? { criticality } : {}),
  ...(ingredients ? { ingredients } : {}),
});

describe('thresholds', () => {
  test('hyperkalaemia bands (UKKA)', () => {
    assert.deepEqual([5.4, 5.5, 5.9, 6.0, 6.4, 6.5].map(hyperkalaemiaBand), [
      undefined,
      'mild',
      'mild',
      'moderate',
      'moderate',
      'severe',
    ]);
  });
  test('hypoglycaemia levels (ADA)', () => {
    assert.deepEqual([70, 69.9, 54, 53.9].map(hypoglycaemiaLevel), [undefined, 1, 1, 2]);
  });
});

describe('AKI (KDIGO creatinine criteria)', () => {
  const at = (h: number) => new Date(Date.parse('2026-03-01T12:00:00Z') - h * 3_600_000).toISOString();
  test('a rise of 0.3 within 48 h is stage 1; 0.29 is not', () => {
    assert.equal(detectAki(m(1.3, { at: at(0) }), [m(1.0, { at: at(40) })])?.stage, 1);
    assert.equal(detectAki(m(1.29, { at: at(0) }), [m(1.0, { at: at(40) })]), undefined);
    assert.equal(detectAki(m(1.3, { at: at(0) }), [m(1.0, { at: at(50) })]), undefined);
  });
  test('ratio to the 7-day minimum: 2× stage 2, 3× stage 3', () => {
    assert.equal(detectAki(m(2.0, { at: at(0) }), [m(1.0, { at: at(24 * 5) })])?.stage, 2);
    assert.equal(detectAki(m(3.0, { at: at(0) }), [m(1.0, { at: at(24 * 6) })])?.stage, 3);
    assert.equal(detectAki(m(3.0, { at: at(0) }), [m(1.0, { at: at(24 * 8) })]), undefined);
  });
});

describe('drug–allergy conflicts', () => {
  test('penicillin allergy: amoxicillin same class (critical); cephalosporin cross-reactivity graded by criticality', () => {
    assert.equal(
      allergyConflict(
        allergy(['penicillin', 'beta-lactam']),
        med(['amoxicillin'], ['penicillin', 'beta-lactam', 'antibacterial']),
      )?.severity,
      'critical',
    );
    const ceph = med(['cefalexin'], ['cephalosporin', 'beta-lactam', 'antibacterial']);
    assert.equal(allergyConflict(allergy(['penicillin'], 'low'), ceph)?.severity, 'warning');
    assert.equal(allergyConflict(allergy(['penicillin'], 'high'), ceph)?.severity, 'critical');
    assert.equal(
      allergyConflict(allergy(['penicillin']), med(['meropenem'], ['carbapenem']))?.kind,
      'cross-reactivity',
    );
  });
  test('an antibiotic allergy does not flag every antibiotic', () => {
    assert.equal(
      allergyConflict(
        allergy(['penicillin', 'beta-lactam', 'antibacterial'], 'high', ['amoxicillin']),
        med(['doxycycline'], ['antibacterial']),
      ),
      undefined,
    );
  });
});

describe('interaction list', () => {
  test('15 ONC pairs plus local warfarin rows, matched in both directions', () => {
    assert.equal(INTERACTIONS.filter((i) => i.id.startsWith('onc-')).length, 15);
    const ssri = med(['sertraline'], ['ssri', 'serotonergic']);
    const maoi = med(['phenelzine'], ['maoi', 'serotonergic']);
    assert.equal(interactionBetween(ssri, maoi)?.id, 'onc-4');
    assert.equal(interactionBetween(maoi, ssri)?.id, 'onc-4');
    assert.equal(
      interactionBetween(
        med(['simvastatin'], ['statin-cyp3a4']),
        med(['clarithromycin'], ['strong-cyp3a4-inhibitor', 'qt-prolonging']),
      )?.id,
      'onc-11',
    );
    assert.equal(
      interactionBetween(med(['citalopram'], ['qt-prolonging']), med(['citalopram'], ['qt-prolonging'])),
      undefined,
    );
    assert.equal(
      interactionBetween(med(['metformin'], ['metformin']), med(['lisinopril'], ['ace-inhibitor'])),
      undefined,
    );
  });
});

describe('finding shape', () => {
  test('summaries under 140 characters, topics from the shared vocabulary, no citations yet', () => {
    const a = assess(
      snapshot({
        ageYears: 80,
        vitals: { ...NORMAL_VITALS, respiratoryRate: 26, systolicBP: 88, heartRate: 125, temperature: 39.4 },
        labs: { potassium: 6.7, glucose: 50, lactate: 4.2, creatinine: 2.8 },
        conditions: ['Pneumonia', 'Atrial fibrillation', 'Hypertension'],
        medications: [
          { ingredients: ['metformin'], classes: ['metformin', 'renally-cleared'] },
          { ingredients: ['insulin'], classes: ['insulin'] },
          {
            ingredients: ['ibuprofen'],
            classes: ['nsaid'],
            draft: true,
            display: 'Ibuprofen 400 MG Oral Tablet',
          },
        ],
      }),
    );
    const ids = a.findings.map((f) => f.id);
    for (const id of [
      'sepsis-screen',
      'news2-escalation',
      'hyperkalaemia',
      'hypoglycaemia',
      'metformin-renal',
      'nsaid-renal',
      'afib-anticoagulation',
    ]) {
      assert.ok(ids.includes(id), `${id} in ${ids}`);
    }
    assert.equal(a.findings[0].severity, 'critical');
    for (const f of a.findings) {
      assert.ok(f.summary.length < 140);
      assert.ok(f.topics.length > 0 && f.topics.every(isTopic));
      assert.ok(f.query && f.query.length > 0);
      assert.ok(f.detail && f.detail.length > 0);
      assert.deepEqual(f.citations, []);
    }
    const sepsis = a.findings.find((f) => f.id === 'sepsis-screen');
    assert.deepEqual(
      sepsis?.suggestions.map((s) => s.action),
      ['order-blood-cultures'],
    );
    const nsaid = a.findings.find((f) => f.id === 'nsaid-renal');
    const draft = a.findings.length > 0 ? nsaid?.evidence[0] : undefined;
    assert.ok(draft?.startsWith('MedicationRequest/'));
    assert.deepEqual(
      nsaid?.suggestions.map((s) => [s.action, s.targetRef]),
      [['remove-draft-order', draft]],
    );
  });
});
