import { jsonRoute } from '@/lib/http/json-route';
import { signUp } from '@/lib/signup/sign-up';

export const POST = jsonRoute(signUp);
