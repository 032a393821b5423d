'use client';

import { useParams } from 'next/navigation';
import { EvaluationDetail } from '../../evaluation-detail';

/** An evaluation as an analyst reviews it. */
export default function EvaluationPage() {
  const { id } = useParams<{ id: string }>();
  return <EvaluationDetail id={id} mode="analyst" />;
}
