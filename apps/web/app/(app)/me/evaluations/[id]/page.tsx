'use client';

import { useParams } from 'next/navigation';
import { EvaluationDetail } from '../../../quality/evaluation-detail';

/** One of the agent's released evaluations: the evidence behind each answer, acknowledge or dispute. */
export default function MyEvaluationPage() {
  const { id } = useParams<{ id: string }>();
  return <EvaluationDetail id={id} mode="agent" />;
}
