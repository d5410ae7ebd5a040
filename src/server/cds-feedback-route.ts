// POST /cds-services/{id}/feedback: the clinician's accepted or overridden cards, linked to the audit
// record of the decision that returned them. Limited per client (a runaway EHR loop, or a client
// poisoning the metrics).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { feedbackSchema } from '../../cds-hooks/feedback-schema.ts';
import type { CdsServiceModule } from '../../cds-hooks/index.ts';
import { describeIssues } from '../../cds-hooks/request-schema.ts';
import { badRequest, notFound, operationOutcome } from '../fhir/outcomes.ts';
import { registerRateLimit } from '../http/rate-limit.ts';
import { appendCounted } from './counted-audit.ts';
import { sendOutcome } from './fhir-reply.ts';
import type { Runtime } from './runtime.ts';

/** The same caller: issuer and tenant (absent on both sides when CDS_AUTH=disabled). */
function sameCaller(
  recorded: { iss: string; tenant?: string } | undefined,
  caller: { iss: string; tenant?: string } | undefined,
): boolean {
  if (!recorded || !caller) return !recorded && !caller;
  return recorded.iss === caller.iss && recorded.tenant === caller.tenant;
}

/**
 * Feedback must be about a card this service returned to this very client (issuer and tenant), and
 * accept only suggestions that card had. Another client's card is answered as unknown: it learns
 * nothing about cards it never received.
 */
async function feedbackProblem(
  runtime: Runtime,
  serviceId: string,
  caller: FastifyRequest['cdsCaller'],
  f: { card: string; outcome: string; acceptedSuggestions?: Array<{ id: string }> },
): Promise<{ status: number; message: string; field: string } | undefined> {
  const record = await runtime.audit.recordForCard(f.card);
  if (!record || !sameCaller(record.client, caller))
    return { status: 404, message: `card ${f.card} was not returned by CiteCare`, field: 'card' };
  if (record.service !== serviceId) {
    return {
      status: 400,
      message: `card ${f.card} was returned by another service (${record.service})`,
      field: 'card',
    };
  }
  const card = (record.cards as Array<{ uuid?: string; suggestions?: Array<{ uuid?: string }> }>).find(
    (c) => c.uuid === f.card,
  );
  const offered = new Set((card?.suggestions ?? []).map((s) => s.uuid));
  const unknown = (f.acceptedSuggestions ?? []).find((s) => !offered.has(s.id));
  if (unknown)
    return {
      status: 400,
      message: `suggestion ${unknown.id} is not one of this card's suggestions`,
      field: 'acceptedSuggestions',
    };
  return undefined;
}

export async function registerFeedbackRoute(
  app: FastifyInstance,
  runtime: Runtime,
  byId: ReadonlyMap<string, CdsServiceModule>,
): Promise<void> {
  await registerRateLimit(app, runtime.config, {
    name: 'cds-feedback',
    key: (request) => request.cdsCaller?.iss,
    global: false,
    redis: runtime.redis,
  });

  app.post<{ Params: { id: string } }>(
    '/cds-services/:id/feedback',
    { config: { rateLimit: {} } },
    async (request, reply) => {
      const service = byId.get(request.params.id);
      if (!service) return sendOutcome(reply, 404, notFound(`No CDS service "${request.params.id}"`));
      const parsed = feedbackSchema.safeParse(request.body);
      if (!parsed.success) {
        const { message, fields } = describeIssues(parsed.error);
        return sendOutcome(reply, 400, badRequest(message, fields));
      }
      // Check the whole batch before storing any of it: all or nothing, so a retry loses nothing.
      for (const [i, f] of parsed.data.feedback.entries()) {
        const problem = await feedbackProblem(runtime, service.descriptor.id, request.cdsCaller, f);
        if (problem)
          return sendOutcome(
            reply,
            problem.status,
            badRequest(problem.message, [`feedback[${i}].${problem.field}`]),
          );
      }
      try {
        // One transaction: a batch is stored whole or not at all, so a retry never duplicates.
        await appendCounted(runtime, () =>
          runtime.audit.appendFeedbackBatch(
            parsed.data.feedback.map((f) => ({
              channel: 'cds-hooks' as const,
              service: service.descriptor.id,
              cardId: f.card,
              outcome: f.outcome,
              acceptedSuggestions: f.acceptedSuggestions?.map((s) => s.id),
              overrideReason: f.overrideReason?.reason,
              userComment: f.overrideReason?.userComment,
              outcomeTimestamp: f.outcomeTimestamp,
            })),
          ),
        );
      } catch (err) {
        request.log.error({ err }, 'feedback could not be stored');
        return sendOutcome(
          reply,
          503,
          operationOutcome('error', 'transient', 'Feedback could not be stored; please send it again'),
        );
      }
      return reply.code(200).send();
    },
  );
}
