import { z } from 'zod';

const transitionPart = z
  .object({
    /** The state the model proposes; null, absent or the current state: no move proposed. */
    target_state: z.string().max(500).nullish(),
    /** Data extracted from the user's message, by context key; null values are skipped. */
    context_update: z.record(z.string(), z.unknown()).nullish(),
  })
  .nullish();

/** A single-pass reply: `{"transition": {"target_state", "context_update"}, "message", "reasoning"}`. */
export const singlePassReplySchema = z.object({
  /** The proposed move and the extracted data; null or absent: neither. */
  transition: transitionPart,
  /** The reply to the user. */
  message: z.string(),
  /** Why the model chose as it did; recorded with the turn and returned, not sent to the user. */
  reasoning: z.string().nullish(),
});

/** The first pass of a two-pass turn: the same without the message. */
export const analysisReplySchema = z.object({
  /** The proposed move and the extracted data; null or absent: neither. */
  transition: transitionPart,
  /** Why the model chose as it did; recorded with the turn and returned, not sent to the user. */
  reasoning: z.string().nullish(),
});

/** A parsed single-pass reply (see `singlePassReplySchema`). */
export type SinglePassReply = z.output<typeof singlePassReplySchema>;
/** A parsed first-pass reply of a two-pass turn (see `analysisReplySchema`). */
export type AnalysisReply = z.output<typeof analysisReplySchema>;
