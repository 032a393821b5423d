'use client';

import { useState } from 'react';
import { useSession } from '../../lib/session';
import { AssignmentsView } from './assignments';
import { EffectsView } from './effects';
import { RulesView } from './rules';
import styles from './coaching.module.css';

const tabs = [
  { id: 'assignments', label: 'Assignments' },
  { id: 'effects', label: 'Effect' },
  { id: 'rules', label: 'Rules' },
] as const;
type Tab = (typeof tabs)[number]['id'];

/** Coaching for supervisors, analysts and admins: the assignments the rules and people make, which coaching works, and the rules. */
export default function CoachingPage() {
  const [tab, setTab] = useState<Tab>('assignments');
  const timezone = useSession().data?.timezone ?? 'UTC';
  return (
    <section>
      <div className="page-head">
        <h1>Coaching</h1>
        <span className="muted small">Which coaching works: each assignment is measured against comparable agents nobody coached. Times in {timezone}.</span>
      </div>
      <div className={`segmented ${styles.tabs}`} role="tablist" aria-label="Coaching views">
        {tabs.map((t) => (
          <button
            key={t.id}
            id={`coaching-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls="coaching-tabpanel"
            className={tab === t.id ? 'on' : ''}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div id="coaching-tabpanel" role="tabpanel" aria-labelledby={`coaching-tab-${tab}`}>
        {tab === 'assignments' && <AssignmentsView timezone={timezone} />}
        {tab === 'effects' && <EffectsView />}
        {tab === 'rules' && <RulesView />}
      </div>
    </section>
  );
}
