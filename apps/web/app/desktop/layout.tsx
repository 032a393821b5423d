import type { Metadata } from 'next';
import type { ReactNode } from 'react';

export const metadata: Metadata = { title: 'Switchboard · Desktop' };

/**
 * The desktop panel has no main navigation and no page chrome. The root layout already wraps every route (this one
 * too) in the query and tRPC providers; wrapping again would give the panel a second, separate query cache.
 */
export default function DesktopLayout({ children }: { children: ReactNode }) {
  return children;
}
