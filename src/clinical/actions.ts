// The fixed action catalogue: the only actions a card may carry (architecture invariant 3). Each entry
// names the FHIR resource it produces; model output can pick a key, never write a resource.
import type { ServiceRequest } from '@medplum/fhirtypes';
import { LOINC, SNOMED, SYSTEM } from './codes.ts';
import type { CatalogueSuggestion, ResourceRef } from './types.ts';

interface OrderEntry {
  kind: 'order';
  label: string;
  description: string;
  code: { system: string; code: string; display: string };
}
interface DeleteEntry {
  kind: 'delete-draft';
  label: string;
  description: string;
}
interface LinkEntry {
  kind: 'link';
  label: string;
  description: string;
}
export type CatalogueEntry = OrderEntry | DeleteEntry | LinkEntry;

export const ACTION_CATALOGUE = {
  'order-lactate': {
    kind: 'order',
    label: 'Order serum lactate',
    description: 'Order a serum lactate.',
    code: {
      system: SYSTEM.loinc,
      code: LOINC.lactateSerum,
      display: 'Lactate [Moles/volume] in Serum or Plasma',
    },
  },
  'order-blood-cultures': {
    kind: 'order',
    label: 'Order blood cultures',
    description: 'Order blood cultures (before antibiotics where possible).',
    code: {
      system: SYSTEM.loinc,
      code: LOINC.bloodCulture,
      display: 'Bacteria identified in Blood by Culture',
    },
  },
  'order-ecg': {
    kind: 'order',
    label: 'Order a 12-lead ECG',
    description: 'Order a 12-lead ECG.',
    code: {
      system: SYSTEM.snomed,
      code: SNOMED.electrocardiogram,
      display: 'Electrocardiographic procedure',
    },
  },
  'order-potassium-recheck': {
    kind: 'order',
    label: 'Repeat serum potassium',
    description: 'Order a repeat serum potassium (rule out a haemolysed sample).',
    code: {
      system: SYSTEM.loinc,
      code: LOINC.potassiumSerum,
      display: 'Potassium [Moles/volume] in Serum or Plasma',
    },
  },
  'order-glucose-recheck': {
    kind: 'order',
    label: 'Recheck blood glucose',
    description: 'Order a repeat glucose.',
    code: {
      system: SYSTEM.loinc,
      code: LOINC.glucoseSerum,
      display: 'Glucose [Mass/volume] in Serum or Plasma',
    },
  },
  'order-creatinine': {
    kind: 'order',
    label: 'Order serum creatinine',
    description: 'Order a serum creatinine to recheck kidney function.',
    code: {
      system: SYSTEM.loinc,
      code: LOINC.creatinineSerum,
      display: 'Creatinine [Mass/volume] in Serum or Plasma',
    },
  },
  'order-ct-head': {
    kind: 'order',
    label: 'Order non-contrast CT head',
    description: 'Order a CT of the head without contrast.',
    code: { system: SYSTEM.loinc, code: LOINC.ctHeadWithoutContrast, display: 'CT Head WO contrast' },
  },
  'remove-draft-order': {
    kind: 'delete-draft',
    label: 'Remove this draft order',
    description: 'Remove the draft order.',
  },
  'consider-anticoagulation': {
    kind: 'link',
    label: 'Review anticoagulation',
    description: 'Review whether oral anticoagulation is indicated (no order is placed).',
  },
  'review-medication': {
    kind: 'link',
    label: 'Review this medication',
    description: 'Review the medication against current kidney function (no order is placed).',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ActionKey = keyof typeof ACTION_CATALOGUE;

export function isCatalogueKey(key: string): key is ActionKey {
  return Object.hasOwn(ACTION_CATALOGUE, key);
}

export interface ActionContext {
  /** The patient's logical id (no "Patient/" prefix) or a `Patient/id` reference. */
  patientId: string;
  encounterId?: string;
  /** For 'remove-draft-order': the draft's `Type/id`. */
  targetRef?: ResourceRef;
  /** authoredOn for created orders (ISO-8601); omitted when not given. */
  at?: string;
}

/** A CDS Hooks 2.0 action. */
export interface CatalogueAction {
  type: 'create' | 'delete';
  description: string;
  /** A ServiceRequest (typed loosely so CDS wire types with an index signature accept it). */
  resource?: Record<string, unknown> & { resourceType: 'ServiceRequest' };
  resourceId?: ResourceRef;
}

const REF_RE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

/**
 * The CDS action for a catalogue key, or null when the entry is link-only (no FHIR change) or the key is
 * not in the catalogue. A delete needs a well-formed `Type/id` target; without one the result is null.
 */
export function catalogueAction(key: string, ctx: ActionContext): CatalogueAction | null {
  if (!isCatalogueKey(key)) return null;
  const entry: CatalogueEntry = ACTION_CATALOGUE[key];
  if (entry.kind === 'link') return null;
  if (entry.kind === 'delete-draft') {
    if (!ctx.targetRef || !REF_RE.test(ctx.targetRef)) return null;
    return {
      type: 'delete',
      description: `${entry.description} (${ctx.targetRef})`,
      resourceId: ctx.targetRef,
    };
  }
  const patient = ctx.patientId.startsWith('Patient/') ? ctx.patientId : `Patient/${ctx.patientId}`;
  const encounter = ctx.encounterId
    ? ctx.encounterId.startsWith('Encounter/')
      ? ctx.encounterId
      : `Encounter/${ctx.encounterId}`
    : undefined;
  const resource: ServiceRequest = {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'proposal',
    code: { coding: [{ ...entry.code }], text: entry.label },
    subject: { reference: patient },
    ...(encounter ? { encounter: { reference: encounter } } : {}),
    ...(ctx.at ? { authoredOn: ctx.at } : {}),
  };
  return {
    type: 'create',
    description: entry.description,
    resource: { ...resource, resourceType: 'ServiceRequest' },
  };
}

/** A finding's suggestion for a catalogue key (label from the catalogue, so it cannot drift). */
export function suggest(
  key: ActionKey,
  opts: { targetRef?: ResourceRef; isRecommended?: boolean } = {},
): CatalogueSuggestion {
  return {
    action: key,
    label: ACTION_CATALOGUE[key].label,
    ...(opts.targetRef ? { targetRef: opts.targetRef } : {}),
    ...(opts.isRecommended !== undefined ? { isRecommended: opts.isRecommended } : {}),
  };
}
