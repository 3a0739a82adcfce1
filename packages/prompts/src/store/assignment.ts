import { z } from 'zod';
import { storeNameSchema } from './store-field-schemas.js';
import { lazySchema } from '../lazy-schema.js';

/** The variant a unit (a user, a session, a request) was given in an experiment; the first stored one is final. */
export interface Assignment {
  /** The experiment's id. */
  experimentId: string;
  /** The unit (user, session, request) the variant was given to; 1-500 characters. */
  unitId: string;
  /** The name of the variant the unit sees for as long as the experiment runs. */
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
