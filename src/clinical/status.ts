// The one status vocabulary: which FHIR statuses make a condition, an allergy or a medicine current.
// The snapshot decides with it on the raw resources, and the model's input (src/llm/render.ts)
// decides with it again on the facts, so both always agree on what is "active".

/** Condition.clinicalStatus codes of a current condition. */
const CURRENT_CONDITION: ReadonlySet<string> = new Set(['active', 'recurrence', 'relapse']);
/** AllergyIntolerance.clinicalStatus codes of an allergy that no longer applies. */
const INACTIVE_ALLERGY: ReadonlySet<string> = new Set(['inactive', 'resolved']);
/** verificationStatus codes (Condition and AllergyIntolerance) that say the record is not true. */
const EXCLUDED_VERIFICATION: ReadonlySet<string> = new Set(['refuted', 'entered-in-error']);
/** verificationStatus codes of a diagnosis kept but not confirmed. */
const TENTATIVE_VERIFICATION: ReadonlySet<string> = new Set(['provisional', 'differential', 'unconfirmed']);
/** MedicationRequest.status codes of a medicine being taken. */
const ACTIVE_REQUEST: ReadonlySet<string> = new Set(['active']);
/** MedicationStatement.status codes of a medicine being (or about to be) taken. */
const ACTIVE_STATEMENT: ReadonlySet<string> = new Set(['active', 'intended']);

/**
 * What a fact records when its resource stated no clinical or verification status. A Condition
 * without clinicalStatus counts as current: older senders omit it.
 */
export const NO_STATUS = 'unknown';

/** Whether a condition with this clinicalStatus (undefined: none stated) is current. */
export function isCurrentConditionStatus(clinicalStatus: string | undefined): boolean {
  return clinicalStatus === undefined || CURRENT_CONDITION.has(clinicalStatus);
}

/** Whether a verificationStatus (Condition or AllergyIntolerance) says the record is not true. */
export function isExcludedVerification(verificationStatus: string | undefined): boolean {
  return verificationStatus !== undefined && EXCLUDED_VERIFICATION.has(verificationStatus);
}

/** Whether a verificationStatus marks a possible, not a confirmed, diagnosis. */
export function isTentativeVerification(verificationStatus: string): boolean {
  return TENTATIVE_VERIFICATION.has(verificationStatus);
}

/** Whether an allergy with this clinicalStatus (undefined: none stated) still applies. */
export function isCurrentAllergyStatus(clinicalStatus: string | undefined): boolean {
  return clinicalStatus === undefined || !INACTIVE_ALLERGY.has(clinicalStatus);
}

/**
 * Whether a condition fact is current: the same decision the snapshot made on the resource, read
 * back from the fact (which records a missing status as NO_STATUS).
 */
export function isCurrentCondition(fact: { clinicalStatus: string; verificationStatus: string }): boolean {
  const clinical = fact.clinicalStatus === NO_STATUS ? undefined : fact.clinicalStatus;
  return isCurrentConditionStatus(clinical) && !isExcludedVerification(fact.verificationStatus);
}

/** Whether a MedicationRequest or MedicationStatement with this status is a current medicine. */
export function isActiveMedicationStatus(resourceType: string, status: string): boolean {
  return resourceType === 'MedicationRequest' ? ACTIVE_REQUEST.has(status) : ACTIVE_STATEMENT.has(status);
}

/**
 * Whether a medication fact is a current medicine: a draft order always is; otherwise its status
 * decides, by the type of resource it came from (`Type/id`).
 */
export function isCurrentMedication(fact: { source: string; status: string; draft: boolean }): boolean {
  return fact.draft || isActiveMedicationStatus(fact.source.split('/')[0]!, fact.status);
}
