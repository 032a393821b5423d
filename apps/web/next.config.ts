import type { NextConfig } from 'next';

// The pages never touch a store: the host process serves every /api route itself.
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typescript: { tsconfigPath: './tsconfig.json' },
  // No page may be framed by another site (clickjacking). The one exception, the embedded desktop panel
  // (/desktop/embed/<tenant>), gets its tenant's own frame-ancestors allowlist from the host (docs/desktop.md, Embedding).
  async headers() {
    return [
      {
        source: '/:path((?!desktop/embed/).*)',
        headers: [
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
};

export default config;
