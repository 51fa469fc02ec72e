import { toErrorResponse } from '@/lib/errors/app-error';
import { getRequestMeta } from '@/lib/http/request-meta';
import { consumeRateLimit, LIMITS } from '@/lib/rate-limit/limit';
import { checkSlugAvailability } from '@/lib/signup/create-organization';
import { slugSchema } from '@/lib/tenant/slugs';

export async function GET(request: Request) {
  try {
    const raw = new URL(request.url).searchParams.get('slug') ?? '';
    const parsed = slugSchema.safeParse(raw);
    if (!parsed.success) {
      return Response.json({
        available: false,
        message: parsed.error.issues[0]?.message ?? 'Invalid subdomain.',
      });
    }
    await consumeRateLimit(LIMITS.slugCheckPerIp, (await getRequestMeta()).ip ?? 'unknown');
    return Response.json(await checkSlugAvailability(parsed.data), {
      headers: { 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    return toErrorResponse(error);
  }
}
