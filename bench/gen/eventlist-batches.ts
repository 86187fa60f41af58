import { generateEvents, type Mix } from '../generate.ts';

/**
 * Pre-rendered EventList bodies of `batch` generated events each, as kube-apiserver's
 * webhook backend posts them, so a load generator spends its CPU on sending, not building.
 */
export function eventListBodies(o: {
  readonly mix: Mix;
  readonly events: number;
  readonly seed: number;
  readonly batch: number;
}): Buffer[] {
  const bodies: Buffer[] = [];
  let items: string[] = [];
  const flush = (): void => {
    bodies.push(
      Buffer.from(
        `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[${items.join(',')}]}`,
      ),
    );
    items = [];
  };
  for (const line of generateEvents({ mix: o.mix, events: o.events, seed: o.seed })) {
    items.push(line);
    if (items.length === o.batch) flush();
  }
  if (items.length > 0) flush();
  return bodies;
}
