import { route } from '@/lib/http/route';
import { signupSchema } from '@/lib/signup/schemas';
import { signUp } from '@/lib/signup/sign-up';

export const POST = route({ from: 'json', schema: signupSchema }, signUp);
