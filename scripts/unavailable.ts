import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentOutage } from '../db/outage';
import { getEnv } from '../lib/config/env';
import { UNAVAILABLE } from '../lib/errors/unavailable';
import { securityHeaders } from '../lib/http/security-headers';

/**
 * While the database is unreachable (the circuit breaker of db/availability.ts is open), the server in front
 * of Next.js answers 503 at once, before Next.js renders anything or a request waits on a pool: JSON in the
 * project's error shape under /api/, plain text to a server action (Next.js's client shows it next to the
 * form), and a small self-contained page to everything else, which reloads itself once the app is back.
 *
 * Still served: Next.js's static assets, and the endpoints that report on the outage itself.
 */
const PASS_THROUGH = new Set([
  '/api/health',
  '/api/ready',
  '/api/metrics',
  '/favicon.ico',
  '/icon.svg',
  '/robots.txt',
]);

export function passesWhileUnavailable(path: string) {
  return path.startsWith('/_next/') || PASS_THROUGH.has(path);
}

type Answer = { type: string; body: string; nonce?: string };

function answerFor(req: IncomingMessage, path: string): Answer {
  if (path.startsWith('/api/')) {
    return { type: 'application/json', body: JSON.stringify({ error: UNAVAILABLE }) };
  }
  // Next.js's client reads the message only from exactly `text/plain` (the text is ASCII).
  if (req.headers['next-action'] !== undefined)
    return { type: 'text/plain', body: UNAVAILABLE.message };
  const nonce = randomBytes(16).toString('base64');
  return { type: 'text/html; charset=utf-8', body: unavailablePage(nonce), nonce };
}

/** Answers the request with 503 when the database is unreachable; false when Next.js should handle it. */
export function answerWhileUnavailable(req: IncomingMessage, res: ServerResponse): boolean {
  if (!currentOutage()) return false;
  const path = (req.url ?? '/').split('?')[0]!;
  if (passesWhileUnavailable(path)) return false;
  const answer = answerFor(req, path);
  // A browser shows an answer only once its upload is done: take what it sends (bodies over the limit were
  // refused before this, see body-limit.ts), then answer.
  req.on('error', () => {});
  req.on('end', () => {
    const nonce = answer.nonce ?? randomBytes(16).toString('base64');
    res.writeHead(503, {
      ...securityHeaders(getEnv(), nonce),
      'Content-Type': answer.type,
      'Content-Length': Buffer.byteLength(answer.body),
      'Cache-Control': 'no-store',
      'Retry-After': String(UNAVAILABLE.retryAfterSeconds),
    });
    res.end(answer.body);
  });
  req.resume();
  return true;
}

/**
 * The page a browser gets instead of the one it asked for: the product's look in inline CSS (no request may
 * depend on the app), and a script that asks again for the same address every few seconds, without any
 * database work while the outage lasts, and reloads as soon as the answer is not a 503.
 */
export function unavailablePage(nonce: string) {
  const retryMs = UNAVAILABLE.retryAfterSeconds! * 1000;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Temporarily unavailable · Tenantry</title>
<noscript><meta http-equiv="refresh" content="10"></noscript>
<style nonce="${nonce}">
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;padding:48px 16px;background:#f8fafc;color:#0f172a;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-font-smoothing:antialiased}
.logo{display:inline-flex;align-items:center;gap:8px;margin-bottom:32px;font-weight:600;letter-spacing:-.01em}
.mark{display:grid;place-items:center;width:28px;height:28px;border-radius:6px;background:#4f46e5;color:#fff;font-size:14px}
.card{width:100%;max-width:28rem;padding:32px;text-align:center;background:#fff;border-radius:12px;box-shadow:0 1px 2px rgba(15,23,42,.06);outline:1px solid #e2e8f0}
h1{margin:0;font-size:20px;font-weight:600}
p{margin:8px 0 0;font-size:14px;line-height:1.5;color:#475569}
.status{display:inline-flex;align-items:center;gap:8px;margin-top:16px;color:#64748b}
.spinner{width:14px;height:14px;border:2px solid #c7d2fe;border-top-color:#4f46e5;border-radius:50%;animation:spin 1s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
@media (prefers-reduced-motion:reduce){.spinner{animation:none}}
a.button{display:inline-block;margin-top:24px;padding:8px 14px;border-radius:6px;background:#4f46e5;color:#fff;font-size:14px;font-weight:600;text-decoration:none}
a.button:hover{background:#4338ca}
</style>
</head>
<body>
<div class="logo"><span class="mark" aria-hidden="true">T</span>Tenantry</div>
<main class="card">
<h1>Temporarily unavailable</h1>
<p>We are having trouble reaching our database. Nothing you saved is lost.</p>
<p class="status" role="status"><span class="spinner" aria-hidden="true"></span>This page reloads by itself as soon as we are back.</p>
<div><a class="button" href="">Try again now</a></div>
</main>
<script nonce="${nonce}">
(function () {
  function check() {
    fetch(location.href, { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' }).then(
      function (r) { if (r.status !== 503) location.reload(); else later(); },
      later
    );
  }
  function later() { setTimeout(check, ${retryMs}); }
  later();
})();
</script>
</body>
</html>
`;
}
