// Funnel steps as a URL parameter ("event:sign_up|page:/pricing") so a funnel link reproduces it.
import type { FunnelStepInput } from '../../api/funnels-api.ts';

export const DEFAULT_STEPS: readonly FunnelStepInput[] = [
  { type: 'page', value: '/' },
  { type: 'page', value: '/pricing' },
  { type: 'event', value: 'sign_up' },
];

export function parseSteps(param: string | null): FunnelStepInput[] {
  if (!param) return [...DEFAULT_STEPS];
  const steps = param.split('|').map((part) => {
    const i = part.indexOf(':');
    const type = part.slice(0, i) === 'page' ? 'page' : 'event';
    return { type, value: decodeURIComponent(part.slice(i + 1)) } as FunnelStepInput;
  }).filter((s) => s.value);
  return steps.length ? steps : [...DEFAULT_STEPS];
}

export function serializeSteps(steps: readonly FunnelStepInput[]): string {
  return steps.map((s) => `${s.type}:${encodeURIComponent(s.value)}`).join('|');
}

export const WINDOWS: readonly { seconds: number; label: string }[] = [
  { seconds: 1800, label: '30 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86400, label: '1 day' },
  { seconds: 7 * 86400, label: '7 days' },
  { seconds: 30 * 86400, label: '30 days' },
];
