import { toErrorResponse } from '@/lib/errors/app-error';
import { authorizeChannel } from '@/lib/realtime/auth';

export async function POST(request: Request) {
  try {
    return Response.json(await authorizeChannel(request), {
      headers: { 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}
