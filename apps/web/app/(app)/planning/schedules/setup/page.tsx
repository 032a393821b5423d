'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useSession } from '../../../../lib/session';
import { useTRPC } from '../../../../lib/trpc';
import { AgentRules } from './agent-rules';
import { Contracts } from './contracts';
import { PlanningGroups } from './groups';
import { ScheduleSettings } from './settings';
import { ShiftTemplates } from './templates';

const sections = [
  { id: 'groups', label: 'Planning groups' },
  { id: 'templates', label: 'Shift templates' },
  { id: 'contracts', label: 'Contracts' },
  { id: 'rules', label: 'Agents’ rules' },
  { id: 'settings', label: 'Settings' },
] as const;
type Section = (typeof sections)[number]['id'];

/** What scheduling works from: planning groups, shift templates, contracts, each agent's rules and the tenant's settings. */
export default function ScheduleSetupPage() {
  const trpc = useTRPC();
  const me = useSession().data;
  const canEdit = me?.role === 'planner' || me?.role === 'admin';
  const setup = useQuery(trpc.schedules.setup.get.queryOptions());
  // The queues and the tenant's time zone, as the planning pages read them.
  const planning = useQuery(trpc.planning.overview.queryOptions());
  const [section, setSection] = useState<Section>('groups');
  const data = setup.data;
  const error = setup.error ?? planning.error;
  return (
    <section>
      <div className="page-head">
        <h1>Schedule setup</h1>
        <span className="muted small">
          <Link href="/planning/schedules">← Schedules</Link>
          {planning.data ? ` · Times in ${planning.data.timezone}` : ''}
        </span>
        {!canEdit && (
          <span className="pill muted" data-testid="read-only">
            Read-only: planners and admins change what scheduling works from
          </span>
        )}
      </div>
      <p className="muted">Changes apply to the weeks generated from now on; weeks already generated keep their shifts.</p>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {!data || !planning.data ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <>
          <div role="radiogroup" aria-label="Section" className="segmented view-switch">
            {sections.map((s) => (
              <button
                key={s.id}
                type="button"
                role="radio"
                aria-checked={section === s.id}
                className={section === s.id ? 'on' : ''}
                onClick={() => setSection(s.id)}
              >
                {s.label}
              </button>
            ))}
          </div>
          {section === 'groups' && <PlanningGroups setup={data} queues={planning.data.queues} canEdit={canEdit} />}
          {section === 'templates' && <ShiftTemplates setup={data} canEdit={canEdit} />}
          {section === 'contracts' && <Contracts setup={data} canEdit={canEdit} />}
          {section === 'rules' && <AgentRules setup={data} timezone={planning.data.timezone} canEdit={canEdit} />}
          {section === 'settings' && <ScheduleSettings setup={data} canEdit={canEdit} />}
        </>
      )}
    </section>
  );
}
