'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { homeOf, useSession } from './lib/session';

/** Sends each member to their persona's home page. */
export default function Home() {
  const me = useSession();
  const router = useRouter();
  useEffect(() => {
    if (me.data) router.replace(homeOf[me.data.role]);
  }, [me.data, router]);
  return (
    <main>
      <p className="muted">{me.error && (me.error as { data?: { httpStatus?: number } }).data?.httpStatus !== 401 ? me.error.message : 'Loading…'}</p>
    </main>
  );
}
