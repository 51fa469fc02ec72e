import { getEnv } from '@/lib/config/env';
import { failureResponse } from '@/lib/errors/app-error';
import { carriesMetricsToken } from '@/lib/observability/metrics-access';
import { scrapeMetrics } from '@/lib/observability/scrape';

export const dynamic = 'force-dynamic';

/**
 * Prometheus metrics of this process, for a scraper holding METRICS_TOKEN. Without the setting the endpoint
 * does not exist (404); with it, anything but the right Bearer token is refused (401).
 */
export async function GET(request: Request) {
  const token = getEnv().metricsToken;
  if (!token) return failureResponse({ code: 'not_found', message: 'Not found.' });
  if (!carriesMetricsToken(request.headers.get('authorization'), token)) {
    const refused = failureResponse({
      code: 'unauthenticated',
      message: 'Metrics need the Bearer token configured in METRICS_TOKEN.',
    });
    refused.headers.set('WWW-Authenticate', 'Bearer realm="metrics"');
    return refused;
  }
  const { contentType, text } = await scrapeMetrics();
  return new Response(text, {
    headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' },
  });
}
