import { signInWithSecondFactor } from '@/lib/auth/sign-in';
import { jsonRoute } from '@/lib/http/json-route';

export const POST = jsonRoute(signInWithSecondFactor);
