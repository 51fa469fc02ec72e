import 'server-only';
import { renderMetrics } from './metrics';
import { registerQueueMetrics } from './queue-metrics';
import { queueStatsSource } from './queue-source';
import { registerUsageReport } from './usage-report';

let registered = false;

/** The exposition text of /api/metrics, with the figures read at scrape time (tenant usage, the queue). */
export function scrapeMetrics() {
  if (!registered) {
    registerUsageReport();
    if (queueStatsSource) registerQueueMetrics(queueStatsSource);
    registered = true;
  }
  return renderMetrics();
}
