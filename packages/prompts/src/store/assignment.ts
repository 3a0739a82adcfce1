import { z } from 'zod';
import { storeNameSchema } from './store-field-schemas.js';
import { lazySchema } from '../lazy-schema.js';

/** The variant a unit (a user, a session, a request) was given in an experiment; the first stored one is final. */
export interface Assignment {
  experimentId: string;
  unitId: string;
  variant: string;
  /** ISO 8601, UTC. */
  assignedAt: string;
}

/** The arguments of `assign`, checked together. */
export const assignInputSchema = lazySchema(() =>
  z.strictObject({
    experimentId: storeNameSchema,
    unitId: storeNameSchema,
    variant: storeNameSchema,
  }),
);
