// Delivers a nurse's decision: the Observation to the FHIR server (with the user's token), then the
// feedback event to the audit trail. A failure leaves the decision pending in the session.

import { FhirGatewayError } from '../src/fhir/gateway.ts';
import { isOperationOutcome } from '../src/fhir/outcomes.ts';
import { acuityObservation, relativeReference } from './acuity-observation.ts';
import type { SmartAppContext } from './context.ts';
import type { PendingDecision, SmartSession } from './session.ts';
import { SESSION_TTL_MS } from './session.ts';
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

async function writeObservation(
  ctx: SmartAppContext,
  session: SmartSession,
  pending: PendingDecision,
): Promise<string> {
  const observation = acuityObservation({
    patientId: session.patientId,
    encounterId: session.encounterId,
    level: pending.level,
    action: pending.action,
    reason: pending.reason,
    decidedAt: pending.decidedAt,
    performer: session.fhirUser ? relativeReference(session.fhirUser, session.iss) : undefined,
    derivedFrom: pending.assessment.vitalRefs,
    suggestedLevel: pending.assessment.level,
  });
  try {
    const created = await withFhir(ctx, session, (g) => g.create(observation));
    if (!created.id)
      throw new DecisionError('The FHIR server stored the decision but returned no id.', 'fhir-no-id', 502);
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

/** Returns the Observation reference once both the write and the audit event succeeded. */
export async function sendDecision(
  ctx: SmartAppContext,
  session: SmartSession,
  pending: PendingDecision,
): Promise<string> {
  if (!pending.observationRef) {
    pending.observationRef = await writeObservation(ctx, session, pending);
    // Remember the write at once: a retry after an audit failure must not write a second Observation.
    await ctx.sessions.set(session.id, session, SESSION_TTL_MS);
  }
  const shown = pending.assessment;
  try {
    await ctx.runtime.audit.appendFeedback({
      service: 'smart-triage',
      cardId: shown.recordId,
      outcome: pending.action === 'accept' ? 'accepted' : 'overridden',
      ...(pending.reason ? { overrideReason: { display: pending.reason }, userComment: pending.reason } : {}),
      user: session.fhirUser,
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
