import { z } from 'zod';
import { getRequestMeta } from '@/lib/http/request-meta';
import { route } from '@/lib/http/route';
import { consumeRateLimit, LIMITS } from '@/lib/rate-limit/limit';
import { checkSlugAvailability } from '@/lib/signup/create-organization';
import { slugSchema } from '@/lib/tenant/slugs';

/**
 * The sign-up form's live check. A malformed subdomain is an answer ("not available", and why), not an
 * error, so the form shows it beside the field as the user types.
 */
export const GET = route(
  {
    from: 'query',
    schema: z.object({ slug: z.string().max(200, 'Use at most 63 characters.').default('') }),
  },
  async ({ slug }) => {
    const parsed = slugSchema.safeParse(slug);
    if (!parsed.success) {
      return {
        available: false,
        message: parsed.error.issues[0]?.message ?? 'Invalid subdomain.',
      };
    }
    await consumeRateLimit(LIMITS.slugCheckPerIp, (await getRequestMeta()).ip ?? 'unknown');
    return checkSlugAvailability(parsed.data);
  },
);
