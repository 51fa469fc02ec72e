import { route } from '@/lib/http/route';
import { requestJoinLink } from '@/lib/invitations/join-by-domain';
import { joinRequestSchema } from '@/lib/invitations/schemas';

export const POST = route({ from: 'json', schema: joinRequestSchema }, requestJoinLink);
