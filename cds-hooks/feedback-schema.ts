// CDS Hooks 2.0 feedback body (with the 3.0 invariants cds-fb-1..3, which 2.0 clients also meet).
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1, 'must be a non-empty string');

const feedbackItem = z
  .looseObject({
    card: nonEmpty,
    outcome: z.enum(['accepted', 'overridden'], { error: 'must be "accepted" or "overridden"' }),
    acceptedSuggestions: z.array(z.looseObject({ id: nonEmpty })).optional(),
    overrideReason: z
      .looseObject({
        reason: z
          .looseObject({ code: nonEmpty, system: nonEmpty, display: z.string().optional() })
          .optional(),
        userComment: z.string().optional(),
      })
      .optional(),
    outcomeTimestamp: z.iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time' }),
  })
  .superRefine((f, ctx) => {
    if (f.outcome === 'accepted' && !(f.acceptedSuggestions && f.acceptedSuggestions.length > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['acceptedSuggestions'],
        message: 'is required when outcome is accepted',
      });
    }
    if (f.overrideReason && !f.overrideReason.reason && !f.overrideReason.userComment?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['overrideReason'], message: 'needs a reason or a userComment' });
    }
  });

export const feedbackSchema = z.looseObject({
  feedback: z.array(feedbackItem).min(1, 'must hold at least one feedback item').max(500),
});
