'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { homeOf, signOut, useSession, type Role } from '../lib/session';

const nav: { href: string; label: string; roles: readonly Role[] }[] = [
  { href: '/wallboard', label: 'Wallboard', roles: ['admin', 'supervisor'] },
  { href: '/reports', label: 'Reports', roles: ['admin', 'supervisor', 'planner', 'analyst'] },
  { href: '/self-service', label: 'Self-service', roles: ['admin', 'supervisor', 'planner', 'analyst'] },
  { href: '/planning', label: 'Planning', roles: ['admin', 'supervisor', 'planner'] },
  { href: '/planning/schedules', label: 'Schedules', roles: ['admin', 'supervisor', 'planner'] },
  { href: '/planning/intraday', label: 'Intraday', roles: ['admin', 'supervisor', 'planner'] },
  { href: '/adherence', label: 'Adherence', roles: ['admin', 'supervisor', 'planner'] },
  { href: '/quality', label: 'Quality', roles: ['admin', 'supervisor', 'analyst'] },
  { href: '/coaching', label: 'Coaching', roles: ['admin', 'supervisor', 'analyst'] },
  { href: '/me', label: 'My day', roles: ['agent'] },
  { href: '/ingest', label: 'Ingest status', roles: ['admin'] },
  { href: '/admin', label: 'Administration', roles: ['admin'] },
];

/** The signed-in shell: navigation for the member's persona, who they are, sign out. */
export default function AppLayout({ children }: { children: ReactNode }) {
  const me = useSession();
  const pathname = usePathname();
  const router = useRouter();
  const queryClient = useQueryClient();
  if (!me.data) {
    return <main className="muted">{me.isError && me.error.data?.httpStatus !== 401 ? me.error.message : 'Loading…'}</main>;
  }
  const role = me.data.role;
  // The most specific entry is the current one (/planning/schedules, not /planning).
  const section = nav.filter((item) => pathname.startsWith(item.href)).sort((a, b) => b.href.length - a.href.length)[0];
  const leave = async () => {
    await signOut();
    queryClient.clear();
    router.replace('/sign-in');
  };
  return (
    <div className="shell">
      <header className="topbar">
        <strong className="brand">Switchboard</strong>
        <nav aria-label="Main">
          {nav
            .filter((item) => item.roles.includes(role))
            .map((item) => (
              <Link key={item.href} href={item.href} aria-current={item === section ? 'page' : undefined}>
                {item.label}
              </Link>
            ))}
        </nav>
        <span className="who" data-testid="who">
          <Link href="/account" title="Your account: two-factor sign-in">
            {me.data.name}
          </Link>{' '}
          · <span className="role">{role}</span>
          {me.data.teams.length > 0 && <span className="muted"> · {me.data.teams.map((t) => t.name).join(', ')}</span>}
        </span>
        <button type="button" className="ghost" onClick={() => void leave()}>
          Sign out
        </button>
      </header>
      <main className="wide">
        {section && !section.roles.includes(role) ? (
          <section className="panel" data-testid="not-for-role">
            <h1>{section.label} is not part of your role</h1>
            <p className="muted">
              Signed in as {me.data.name} ({role}). <Link href={homeOf[role]}>Go to your start page</Link>.
            </p>
          </section>
        ) : (
          children
        )}
      </main>
    </div>
  );
}
