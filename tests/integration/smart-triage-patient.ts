// The patient the SMART app tests launch for: seeded into the FHIR server double.
import type { Bundle, Resource } from '@medplum/fhirtypes';

/**
 * A small adult ED patient with worrying vitals (tachycardia, tachypnoea, low SpO2, fever) and a few
 * earlier readings for the trend charts. Times are relative to `at` so the snapshot sees them as current.
 */
export function triagePatientBundle(at: Date, patientId = 'pt-ed-1'): Bundle {
  const iso = (minutesBefore: number) => new Date(at.getTime() - minutesBefore * 60_000).toISOString();
  const vital = (
    id: string,
    loinc: string,
    display: string,
    value: number,
    unit: string,
    code: string,
    minutes: number,
  ) => ({
    resourceType: 'Observation' as const,
    id,
    status: 'final' as const,
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
        ],
      },
    ],
    code: { coding: [{ system: 'http://loinc.org', code: loinc, display }] },
    subject: { reference: `Patient/${patientId}` },
    encounter: { reference: 'Encounter/enc-ed-1' },
    effectiveDateTime: iso(minutes),
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code },
  });
  const resources: Resource[] = [
    {
      resourceType: 'Patient',
      id: patientId,
      name: [{ use: 'official', given: ['Maria'], family: 'Lopez' }],
      gender: 'female',
      birthDate: `${at.getUTCFullYear() - 67}-03-14`,
    },
    {
      resourceType: 'Encounter',
      id: 'enc-ed-1',
      status: 'in-progress',
      class: {
        system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
        code: 'EMER',
        display: 'emergency',
      },
      subject: { reference: `Patient/${patientId}` },
      period: { start: iso(60) },
    },
    {
      resourceType: 'Condition',
      id: 'cond-copd',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      verificationStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
      },
      code: {
        coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertensive disorder' }],
      },
      subject: { reference: `Patient/${patientId}` },
    },
    vital('hr-1', '8867-4', 'Heart rate', 96, '/min', '/min', 240),
    vital('hr-2', '8867-4', 'Heart rate', 108, '/min', '/min', 120),
    vital('hr-3', '8867-4', 'Heart rate', 124, '/min', '/min', 10),
    vital('rr-1', '9279-1', 'Respiratory rate', 20, '/min', '/min', 240),
    vital('rr-2', '9279-1', 'Respiratory rate', 26, '/min', '/min', 10),
    vital('spo2-1', '59408-5', 'Oxygen saturation', 95, '%', '%', 240),
    vital('spo2-2', '59408-5', 'Oxygen saturation', 89, '%', '%', 10),
    vital('temp-1', '8310-5', 'Body temperature', 38.9, 'Cel', 'Cel', 10),
    {
      ...vital('avpu-1', '67775-7', 'Level of responsiveness', 0, '', '', 10),
      valueQuantity: undefined,
      valueCodeableConcept: {
        coding: [{ system: 'http://snomed.info/sct', code: '248234008', display: 'Alert' }],
      },
    } as Resource,
    {
      ...vital('bp-1', '85354-9', 'Blood pressure panel', 0, 'mm[Hg]', 'mm[Hg]', 10),
      valueQuantity: undefined,
      component: [
        {
          code: {
            coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }],
          },
          valueQuantity: { value: 98, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
        },
        {
          code: {
            coding: [{ system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' }],
          },
          valueQuantity: { value: 60, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
        },
      ],
    } as Resource,
  ];
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}
