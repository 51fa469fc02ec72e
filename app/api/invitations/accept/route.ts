import { route } from '@/lib/http/route';
import { acceptInvitation } from '@/lib/invitations/accept';
import { joinSchema } from '@/lib/invitations/schemas';

export const POST = route({ from: 'json', schema: joinSchema }, acceptInvitation);
