// Configuration of the dashboard's dev server (vite): where the API runs; nothing here is built into the bundle.
import { z } from 'zod';

export type DashboardDevConfig = Readonly<{ apiTarget: string; port: number }>;

const schema = z.object({
  WEBCUBE_DASHBOARD_API_TARGET: z.url().default('http://localhost:4000'),
  WEBCUBE_DASHBOARD_DEV_PORT: z.coerce.number().int().min(1).max(65535).default(5173),
});

export function loadDashboardDevConfig(env: Record<string, string | undefined>): DashboardDevConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid ${String(issue?.path[0])}: ${issue?.message}`);
  }
  return Object.freeze({
    apiTarget: parsed.data.WEBCUBE_DASHBOARD_API_TARGET,
    port: parsed.data.WEBCUBE_DASHBOARD_DEV_PORT,
  });
}
