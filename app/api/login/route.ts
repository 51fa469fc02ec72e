import { loginSchema } from '@/lib/auth/password-sign-in';
import { signInWithPassword } from '@/lib/auth/sign-in';
import { route } from '@/lib/http/route';

export const POST = route({ from: 'json', schema: loginSchema }, signInWithPassword);
