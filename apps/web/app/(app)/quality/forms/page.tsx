'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';
import { useTRPC } from '../../../lib/trpc';
import { FormEditor } from './form-editor';
import { FormList } from './form-list';

/** The form designer: every form with its latest version, one form's editor, and a new form made from the standard one. */
export default function FormDesignerPage() {
  return (
    <section>
      <div className="page-head">
        <h1>Form designer</h1>
        <span className="muted small">
          <Link href="/quality">← Quality</Link> · Saving makes a new version; evaluations keep the version they were scored with.
        </span>
      </div>
      <Suspense fallback={<p className="muted">Loading…</p>}>
        <Designer />
      </Suspense>
    </section>
  );
}

/** Which form is open lives in the address (?key=…&version=…, or ?new=1), so Back and reload keep it. */
function Designer() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const key = params.get('key');
  const version = Number(params.get('version')) || undefined;
  const go = (query: Record<string, string>) => router.push(`${pathname}?${new URLSearchParams(query).toString()}`);
  if (params.get('new') === '1') return <NewForm onSaved={(saved) => go({ key: saved.key })} />;
  if (key) return <OpenForm formKey={key} version={version} onVersion={(v) => go(v === undefined ? { key } : { key, version: String(v) })} />;
  return <FormList onNew={() => go({ new: '1' })} />;
}

function OpenForm({ formKey, version, onVersion }: { formKey: string; version: number | undefined; onVersion: (version: number | undefined) => void }) {
  const trpc = useTRPC();
  const form = useQuery(trpc.quality.forms.get.queryOptions({ key: formKey, version }));
  // Kept here, above the editor that a new version replaces, so they outlive it.
  const [saved, setSaved] = useState<number | null>(null);
  const [text, setText] = useState('');
  if (form.error) {
    return (
      <p className="error" role="alert">
        {form.error.message}
      </p>
    );
  }
  if (!form.data) return <p className="muted">Loading…</p>;
  return (
    <FormEditor
      key={form.data.id}
      source={form.data}
      definition={form.data.definition}
      savedVersion={saved}
      transcript={{ text, onText: setText }}
      onVersion={(v) => (setSaved(null), onVersion(v))}
      onSaved={(v) => (setSaved(v.version), onVersion(undefined))}
    />
  );
}

/** A new form starts as a copy of the standard form as the tenant has it now. */
function NewForm({ onSaved }: { onSaved: (saved: { key: string }) => void }) {
  const trpc = useTRPC();
  const standard = useQuery(trpc.quality.forms.get.queryOptions({ key: 'standard' }));
  const [text, setText] = useState('');
  if (standard.error) {
    return (
      <p className="error" role="alert">
        {standard.error.message}
      </p>
    );
  }
  if (!standard.data) return <p className="muted">Loading…</p>;
  return (
    <FormEditor
      source={null}
      definition={standard.data.definition}
      copyName={`Copy of ${standard.data.name}`}
      transcript={{ text, onText: setText }}
      onSaved={onSaved}
    />
  );
}
