// The example log as a function, so that tests can check examples/audit.log is current.
import { createEventFactory, createRandom, renderLog } from './audit-event.ts';
import { generateAttacks } from './attack-story.ts';
import { generateBackground } from './cluster-traffic.ts';

export const EXAMPLE_SEED = 20260302;
export const EXAMPLE_START = Date.parse('2026-03-02T10:00:00.000Z');

/** Renders the whole example log (JSON lines, newline-terminated). */
export function generateAuditLog(seed = EXAMPLE_SEED, start = EXAMPLE_START): string {
  const random = createRandom(seed);
  const factory = createEventFactory(random);
  const events = [
    ...generateBackground(factory, random, start),
    ...generateAttacks(factory, start),
  ];
  return renderLog(events);
}
