/** Builds the web UI under `root` into `outRoot` (default root/dist/ui); returns the hashed names. */
export function buildUi(root: string, outRoot?: string): Promise<Record<string, string>>;
