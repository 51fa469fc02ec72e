import { resendVerification } from '@/lib/account/verification';
import { jsonRoute } from '@/lib/http/json-route';

export const POST = jsonRoute(resendVerification);
