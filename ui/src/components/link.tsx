import type { ComponentChildren } from 'preact';
import { withBase } from '../api/base.ts';
import { isOwnPath, navigate } from '../lib/router.ts';

interface LinkProps {
  /** A route of this UI ("/alerts?user=x"); links never point anywhere else. */
  readonly to: string;
  readonly children?: ComponentChildren;
  readonly class?: string;
  readonly 'aria-label'?: string;
  readonly 'aria-current'?: 'page' | undefined;
  readonly onFocus?: () => void;
}

/** An anchor to one of our routes: a real href (open in new tab works), navigated in place. */
export function Link({ to, children, ...rest }: LinkProps) {
  const target = isOwnPath(to) ? to : '/';
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    e.preventDefault();
    navigate(target);
  };
  return (
    <a {...rest} href={withBase(target)} onClick={onClick}>
      {children}
    </a>
  );
}
