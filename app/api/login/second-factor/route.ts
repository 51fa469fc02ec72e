import { secondFactorSchema, signInWithSecondFactor } from '@/lib/auth/sign-in';
import { route } from '@/lib/http/route';

export const POST = route({ from: 'json', schema: secondFactorSchema }, signInWithSecondFactor);
