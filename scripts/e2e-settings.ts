/** What the end-to-end server is started with that its specs must know too. */
export const E2E_METRICS_TOKEN = 'e2e-metrics-token-for-tests-only';
