import { requestPasswordReset } from '@/lib/account/password-reset';
import { forgotPasswordSchema } from '@/lib/account/schemas';
import { route } from '@/lib/http/route';

export const POST = route({ from: 'json', schema: forgotPasswordSchema }, requestPasswordReset);
