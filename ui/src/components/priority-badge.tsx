import { priorityClass, priorityGlyph } from '../lib/priority.ts';

/** A priority as glyph + name on its colour: readable without colour. */
export function PriorityBadge({ priority }: { readonly priority: string }) {
  return (
    <span class={`badge ${priorityClass(priority)}`}>
      <span aria-hidden="true" class="badge-glyph">
        {priorityGlyph(priority)}
      </span>
      {priority}
    </span>
  );
}
