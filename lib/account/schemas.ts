import { z } from 'zod';
import { newPasswordSchema } from '@/lib/auth/password-policy';
import { emailSchema } from '@/lib/signup/schemas';

const token = z.string().min(20, 'This link is incomplete.').max(100, 'This link is invalid.');

export const confirmEmailSchema = z.object({ token });
export const forgotPasswordSchema = z.object({ email: emailSchema });
export const resetPasswordSchema = z
  .object({ token, password: newPasswordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, {
    path: ['confirm'],
    message: 'The two passwords differ.',
  });
