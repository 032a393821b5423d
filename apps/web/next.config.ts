import type { NextConfig } from 'next';

// The pages never touch a store: the host process serves every /api route itself.
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typescript: { tsconfigPath: './tsconfig.json' },
  // No page may be framed by another site (clickjacking): the desktop panel too, until a tenant's allowlist and a
  // sign-in that works inside a cross-site frame exist (docs/desktop.md, Embedding).
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
};

export default config;
