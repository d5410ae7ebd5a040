// Delivers a nurse's decision: the Observation to the FHIR server (with the user's token), then the
// feedback event to the audit trail. A failure leaves the decision in the unsent-decision store.
import type { Observation } from '@medplum/fhirtypes';
import { type CreatedResource, FhirGatewayError } from '../src/fhir/gateway.ts';
import { isOperationOutcome } from '../src/fhir/outcomes.ts';
import { acuityObservation, relativeReference } from './acuity-observation.ts';
import { ASSESSMENT_IDENTIFIER_SYSTEM } from './codes.ts';
import type { SmartAppContext } from './context.ts';
import type { PendingDecision, SmartSession } from './session.ts';
import { withFhir } from './session-fhir.ts';

export class DecisionError extends Error {
  constructor(
    message: string,
    public readonly code: string,
    public readonly status: number,
  ) {
    super(message);
    this.name = 'DecisionError';
  }
}

/** The OperationOutcome's own words, so a refusal reads as the server meant it. */
export function outcomeText(body: unknown): string | undefined {
  if (!isOperationOutcome(body)) return typeof body === 'string' && body.length < 500 ? body : undefined;
  const texts = (body.issue ?? [])
    .map((i) => i.diagnostics ?? i.details?.text)
    .filter((t): t is string => Boolean(t));
  return texts.length ? texts.join('; ') : undefined;
}

/**
 * POST with If-None-Exist on the assessment identifier: when an earlier attempt was stored but its
 * answer was lost (timeout), the server returns that Observation instead of making a second one.
 */
function conditionalCreate(
  ctx: SmartAppContext,
  session: SmartSession,
  observation: Observation,
  recordId: string,
): Promise<CreatedResource<Observation>> {
  return withFhir(ctx, session, (fhir) =>
    fhir.createIfNoneExist(observation, `identifier=${ASSESSMENT_IDENTIFIER_SYSTEM}|${recordId}`),
  );
}

async function writeObservation(
  ctx: SmartAppContext,
  session: SmartSession,
  pending: PendingDecision,
): Promise<string> {
  const observation = acuityObservation({
    patientId: pending.patientId,
    encounterId: pending.encounterId,
    level: pending.level,
    action: pending.action,
    reason: pending.reason,
    decidedAt: pending.decidedAt,
    performer: pending.user ? relativeReference(pending.user, pending.iss) : undefined,
    derivedFrom: pending.assessment.vitalRefs,
    suggestedLevel: pending.assessment.level,
    assessmentRecordId: pending.assessment.recordId,
  });
  try {
    const created = await conditionalCreate(ctx, session, observation, pending.assessment.recordId);
    if (!created.id)
      throw new DecisionError('The FHIR server stored the decision but returned no id.', 'fhir-no-id', 502);
    // The identifier matched an Observation from another decision on this assessment: do not
    // report this decision as saved when the chart holds a different one.
    const existing = created.resource?.effectiveDateTime;
    if (existing && Date.parse(existing) !== Date.parse(pending.decidedAt)) {
      throw new DecisionError(
        `A decision on this assessment is already recorded as Observation/${created.id}. Re-assess to record a new one.`,
        'already-decided',
        409,
      );
    }
    return `Observation/${created.id}`;
  } catch (err) {
    if (err instanceof FhirGatewayError && err.kind === 'http' && err.status !== 401) {
      const text = outcomeText(err.body);
      throw new DecisionError(
        `The FHIR server refused to save the decision (HTTP ${err.status})${text ? `: ${text}` : '.'}`,
        'fhir-refused',
        502,
      );
    }
    throw err;
  }
}

/**
 * Returns the Observation reference once both the write and the audit event succeeded. `persist`
 * stores the pending decision after the write, so a retry after an audit failure only repeats the
 * audit step. Performer and audit user are the deciding nurse's, whoever sends it.
 */
export async function sendDecision(
  ctx: SmartAppContext,
  session: SmartSession,
  pending: PendingDecision,
  persist: () => Promise<void>,
): Promise<string> {
  if (!pending.observationRef) {
    pending.observationRef = await writeObservation(ctx, session, pending);
    await persist();
  }
  const shown = pending.assessment;
  try {
    await ctx.runtime.audit.appendFeedback({
      service: 'smart-triage',
      cardId: shown.recordId,
      outcome: pending.action === 'accept' ? 'accepted' : 'overridden',
      ...(pending.reason ? { overrideReason: { display: pending.reason }, userComment: pending.reason } : {}),
      user: pending.user,
      outcomeTimestamp: pending.decidedAt,
      channel: 'smart-app',
      decision: {
        level: pending.level,
        floorLevel: shown.floorLevel,
        suggestedLevel: shown.level,
        modelLevel: shown.modelLevel ?? null,
        observation: pending.observationRef,
      },
    });
  } catch {
    throw new DecisionError(
      `The decision was saved as ${pending.observationRef}, but the audit trail could not record it. Retry to complete it.`,
      'audit-failed',
      503,
    );
  }
  return pending.observationRef;
}
