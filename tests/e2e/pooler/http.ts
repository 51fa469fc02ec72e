import { type Agent, request as httpRequest } from 'node:http';
import { keepAliveAgent } from '../../../scripts/bench/load';
import type { AppProcess } from './stack';

/**
 * Requests from Node to one app process of the pooler stack: connect to its port on 127.0.0.1 and name the
 * host in the header (Node does not resolve *.localhost), as a load balancer in front of both would.
 * Keep-alive, so that a load of many concurrent requests measures the app, not TCP set-up.
 */

export type Answer = { status: number; headers: Record<string, string | string[]>; body: string };

const agents = new Map<number, Agent>();
const agentFor = (port: number) => {
  let agent = agents.get(port);
  if (!agent) {
    // Closed by this side after 4 s idle: the app closes a connection after 5 s (Node's keepAliveTimeout), and a
    // request sent on one at that moment failed with ECONNRESET (seen once in CI, right after the set-up).
    agent = keepAliveAgent(64, 4_000);
    agents.set(port, agent);
  }
  return agent;
};

export function closeAgents() {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

export function call(
  app: AppProcess,
  host: string,
  path: string,
  options: { method?: string; cookie?: string; json?: unknown; form?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { host };
  let body: string | undefined;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: app.port,
        path,
        method: options.method ?? 'GET',
        headers,
        agent: agentFor(app.port),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string | string[]>,
            body: text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The body as JSON, or an error that shows what the app answered instead. */
export function json<T>(answer: Answer, expectedStatus = 200): T {
  if (answer.status !== expectedStatus)
    throw new Error(
      `Expected ${expectedStatus}, got ${answer.status}: ${answer.body.slice(0, 300)}`,
    );
  return JSON.parse(answer.body) as T;
}

/** `name=value` of the session cookie a sign-in set. */
export function sessionCookie(answer: Answer): string {
  const cookies = ([] as string[]).concat(answer.headers['set-cookie'] ?? []);
  const session = cookies.find((c) => c.startsWith('authjs.session-token='));
  if (!session)
    throw new Error(`No session cookie in the answer (${answer.status}): ${answer.body}`);
  return session.split(';')[0]!;
}
