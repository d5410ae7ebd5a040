// Replies with a FHIR OperationOutcome: the one way the CDS routes answer an error.
import type { FastifyReply } from 'fastify';

export function sendOutcome(reply: FastifyReply, status: number, outcome: object) {
  return reply.code(status).type('application/fhir+json').send(outcome);
}
