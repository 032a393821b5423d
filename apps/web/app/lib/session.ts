'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useTRPC } from './trpc';

/** The signed-in member; sends the browser to the sign-in page when there is none. */
export function useSession() {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.session.me.queryOptions(undefined, { staleTime: 60_000 }));
  const status = (me.error as { data?: { httpStatus?: number } } | null)?.data?.httpStatus;
  useEffect(() => {
    if (status === 401) router.replace(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`);
  }, [status, router]);
  return me;
}

export type Role = 'admin' | 'supervisor' | 'planner' | 'analyst' | 'agent';

/** Where each persona starts. */
export const homeOf: Record<Role, string> = {
  admin: '/wallboard',
  supervisor: '/wallboard',
  planner: '/planning',
  analyst: '/quality',
  agent: '/me',
};

export async function signOut(): Promise<void> {
  await fetch('/api/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
}
