import { z } from 'zod';

const transitionPart = z
  .object({
    target_state: z.string().max(500).nullish(),
    context_update: z.record(z.string(), z.unknown()).nullish(),
  })
  .nullish();

/** A single-pass reply: `{"transition": {"target_state", "context_update"}, "message", "reasoning"}`. */
export const singlePassReplySchema = z.object({
  transition: transitionPart,
  message: z.string(),
  reasoning: z.string().nullish(),
});

/** The first pass of a two-pass turn: the same without the message. */
export const analysisReplySchema = z.object({
  transition: transitionPart,
  reasoning: z.string().nullish(),
});

/** A parsed single-pass reply (see `singlePassReplySchema`). */
export type SinglePassReply = z.output<typeof singlePassReplySchema>;
/** A parsed first-pass reply of a two-pass turn (see `analysisReplySchema`). */
export type AnalysisReply = z.output<typeof analysisReplySchema>;
