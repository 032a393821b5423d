import type { NextConfig } from 'next';

// The pages never touch a store: the host process serves every /api route itself.
const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typescript: { tsconfigPath: './tsconfig.json' },
};

export default config;
