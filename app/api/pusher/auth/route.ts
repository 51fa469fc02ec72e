import { route } from '@/lib/http/route';
import { authorizeChannel, channelAuthSchema } from '@/lib/realtime/auth';

export const POST = route({ from: 'form', schema: channelAuthSchema }, authorizeChannel);
