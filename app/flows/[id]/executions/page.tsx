import { ExecutionList } from "./ExecutionList";

export default async function ExecutionsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ExecutionList flowId={id} />;
}
