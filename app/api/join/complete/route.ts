import { route } from '@/lib/http/route';
import { completeJoin } from '@/lib/invitations/join-by-domain';
import { joinSchema } from '@/lib/invitations/schemas';

export const POST = route({ from: 'json', schema: joinSchema }, completeJoin);
