'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../../../lib/trpc';

/** Every form by its latest version: what it is called, its key, how far its versions go and whether evaluations use it. */
export function FormList({ onNew }: { onNew: () => void }) {
  const trpc = useTRPC();
  const forms = useQuery(trpc.quality.forms.list.queryOptions());
  return (
    <div className="panel">
      <div className="page-head">
        <h2>Forms</h2>
        <button type="button" onClick={onNew}>
          New form
        </button>
        <span className="muted small">A new form starts as a copy of the standard form.</span>
      </div>
      {forms.error && (
        <p className="error" role="alert">
          {forms.error.message}
        </p>
      )}
      {forms.data && (
        <div className="table-wrap">
          <table data-testid="forms">
            <caption className="sr-only">Forms</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col" className="num">
                  Latest version
                </th>
                <th scope="col">Saved</th>
                <th scope="col">Used</th>
              </tr>
            </thead>
            <tbody>
              {forms.data.map((f) => (
                <tr key={f.key} data-key={f.key}>
                  <td>
                    <Link href={`/quality/forms?key=${encodeURIComponent(f.key)}`}>{f.name}</Link>
                    {f.builtIn && <span className="muted small"> · built-in template</span>}
                  </td>
                  <td>
                    <code>{f.key}</code>
                  </td>
                  <td className="num" data-testid="latest-version">
                    {f.version}
                  </td>
                  <td>{new Date(f.savedAt).toLocaleString()}</td>
                  <td>{f.used ? 'by evaluations' : <span className="muted">not yet</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
