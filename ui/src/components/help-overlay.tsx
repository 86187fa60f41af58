import { useEffect, useRef } from 'preact/hooks';

interface HelpOverlayProps {
  readonly open: boolean;
  readonly onClose: () => void;
}

const SHORTCUTS: readonly (readonly [string[], string])[] = [
  [['j', '↓'], 'Next alert in the list'],
  [['k', '↑'], 'Previous alert in the list'],
  [['Enter'], 'Open the selected alert'],
  [['/'], 'Search (focuses the text filter)'],
  [['Esc'], 'Back to the list from an alert; leave a text field; close this help'],
  [['?'], 'Show or hide this help'],
];

/** The keyboard shortcuts, as a modal <dialog> (focus stays inside; Esc closes it). */
export function HelpOverlay({ open, onClose }: HelpOverlayProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d === null) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} class="help" aria-labelledby="help-title" onClose={onClose}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={what}>
              <th scope="row">
                {keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 ? ' or ' : ''}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}
