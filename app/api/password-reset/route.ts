import { requestPasswordReset } from '@/lib/account/password-reset';
import { jsonRoute } from '@/lib/http/json-route';

export const POST = jsonRoute(requestPasswordReset);
