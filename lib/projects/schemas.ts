import { z } from 'zod';
import { versionSchema } from '@/lib/validation/version';

const name = z
  .string()
  .trim()
  .min(1, 'Give the project a name.')
  .max(120, 'Use at most 120 characters.');
const description = z.string().trim().max(2000, 'Use at most 2,000 characters.');
const id = z.string().uuid('This project does not exist.');

export const createProjectSchema = z.object({ name, description: description.default('') });
export const renameProjectSchema = z.object({
  id,
  name,
  version: versionSchema,
});
export const deleteProjectSchema = z.object({ id });
