import { z } from 'zod';
import { resendVerification } from '@/lib/account/verification';
import { route } from '@/lib/http/route';

export const POST = route({ from: 'json', schema: z.object({}) }, resendVerification);
