// Types of scripts/postgres.mjs for the TypeScript tests and benchmarks that import it.
export function findPostgresBin(): string | undefined;
export function ensurePostgres(): string;
export function startPostgres(options?: {
  dir?: string;
  fast?: boolean;
  settings?: string[];
}): Promise<{ url: string; dir: string; port: number }>;
export function stopPostgres(dir: string): void;
