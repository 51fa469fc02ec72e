import { route } from '@/lib/http/route';
import { authenticateRealtimeUser, userAuthSchema } from '@/lib/realtime/auth';

export const POST = route({ from: 'form', schema: userAuthSchema }, authenticateRealtimeUser);
