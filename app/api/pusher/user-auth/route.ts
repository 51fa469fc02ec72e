import { toErrorResponse } from '@/lib/errors/app-error';
import { authenticateRealtimeUser } from '@/lib/realtime/auth';

export async function POST(request: Request) {
  try {
    return Response.json(await authenticateRealtimeUser(request), {
      headers: { 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}
