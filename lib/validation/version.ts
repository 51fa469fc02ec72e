import { z } from 'zod';

/** A row version as the user saw it, in PostgreSQL's integer range: an absurd one is a 400, not a 500. */
export const versionSchema = z.coerce
  .number({ message: 'This version is not a number.' })
  .int('This version is not a whole number.')
  .positive('This version is not valid.')
  .max(2_147_483_647, 'This version is not valid.');
