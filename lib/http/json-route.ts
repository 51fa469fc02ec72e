import 'server-only';
import { AppError, toErrorResponse } from '@/lib/errors/app-error';

/**
 * POST route handlers for the forms that must answer with real HTTP statuses (429 with Retry-After above
 * all), which server actions cannot set. The body must be JSON: a page on another site cannot send that
 * without a CORS preflight, on top of the Origin check in scripts/serve.ts. AppErrors map to their status.
 */
export function jsonRoute<T>(handler: (body: unknown) => Promise<T>) {
  return async (request: Request): Promise<Response> => {
    try {
      const type = request.headers.get('content-type') ?? '';
      if (!type.toLowerCase().startsWith('application/json')) {
        throw new AppError('invalid', 'Send this form as JSON (Content-Type: application/json).');
      }
      const body: unknown = await request.json().catch(() => {
        throw new AppError('invalid', 'The request body is not valid JSON.');
      });
      const data = await handler(body);
      return Response.json(data, { headers: { 'Cache-Control': 'no-store' } });
    } catch (error) {
      const response = toErrorResponse(error);
      response.headers.set('Cache-Control', 'no-store');
      return response;
    }
  };
}
