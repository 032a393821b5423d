'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { describeError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { describeOffer, describeOfferWhen, outcomeText, type OfferOutcome } from '../planning/intraday/prepare';
import styles from '../planning/intraday/intraday.module.css';

// Offers go first come, first served: half a minute's poll shows places going without loading the server.
const POLL_MS = 30_000;
const TICK_MS = 60_000;

/** Voluntary time off and overtime the agent may take today, first come first served; taking one republishes their schedule. */
export function MyOffers() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const offers = useQuery(trpc.intraday.offers.queryOptions(undefined, { refetchInterval: POLL_MS }));
  // The agent's own clock, as their schedule reads it (the same query the page makes).
  const schedule = useQuery(trpc.me.schedule.queryOptions({}));
  // The last answer stays in view: an offer that closed or filled leaves the list with the next poll.
  const [notice, setNotice] = useState<{ id: string; offer: string; outcome: OfferOutcome } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const accept = useMutation(
    trpc.intraday.acceptOffer.mutationOptions({
      onSuccess: (result) => {
        // Taking an offer changes the schedule, and with it what adherence judges against.
        void queryClient.invalidateQueries({ queryKey: trpc.intraday.offers.queryKey() });
        if (result.outcome === 'accepted' || result.outcome === 'already') {
          void queryClient.invalidateQueries({ queryKey: trpc.me.schedule.queryKey() });
          void queryClient.invalidateQueries({ queryKey: trpc.adherence.mine.queryKey() });
        }
      },
    }),
  );
  const timezone = schedule.data?.timezone;
  const list = offers.data ?? [];
  const error = offers.error ?? schedule.error;
  const notified = notice && list.some((o) => o.id === notice.id) ? notice.id : null;
  return (
    <div className="panel" data-testid="my-offers">
      <h2>Offers</h2>
      {!offers.data || !timezone ? (
        <p className="muted small">{error ? describeError(error) : 'Loading offers…'}</p>
      ) : list.length === 0 ? (
        <p className="muted small" data-testid="no-offers">
          No offers right now
        </p>
      ) : (
        <ul className={styles.offers}>
          {list.map((o) => {
            const text = describeOffer(o, timezone, now);
            return (
              <li key={o.id} data-testid="my-offer" data-kind={o.kind} data-status={o.status}>
                <span data-testid="my-offer-text">{text}</span>
                {o.status === 'open' && !o.mine && (
                  <button
                    type="button"
                    className="small"
                    disabled={accept.isPending}
                    aria-label={`Accept: ${text}`}
                    onClick={() =>
                      accept.mutate({ id: o.id }, { onSuccess: (r) => setNotice({ id: o.id, offer: describeOfferWhen(o, timezone, now), outcome: r.outcome }) })
                    }
                  >
                    Accept
                  </button>
                )}
                {notified === o.id && <Outcome outcome={notice!.outcome} />}
              </li>
            );
          })}
        </ul>
      )}
      {notice && notified === null && (
        <p className="small">
          <span className="muted">{notice.offer}: </span>
          <Outcome outcome={notice.outcome} />
        </p>
      )}
      {accept.error && (
        <p className="error" role="alert">
          {describeError(accept.error)}
        </p>
      )}
    </div>
  );
}

function Outcome({ outcome }: { outcome: OfferOutcome }) {
  return (
    <span className={outcome === 'accepted' || outcome === 'already' ? 'good small' : 'muted small'} role="status" data-testid="my-offer-outcome">
      {outcomeText[outcome]}
    </span>
  );
}
