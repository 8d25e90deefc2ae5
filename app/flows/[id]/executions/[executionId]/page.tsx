import { ExecutionView } from "./ExecutionView";

export default async function ExecutionPage({ params }: { params: Promise<{ id: string; executionId: string }> }) {
  const { id, executionId } = await params;
  return <ExecutionView flowId={id} executionId={executionId} />;
}
