// Types of scripts/nats.mjs for the TypeScript tests and benchmarks that import it.
import type { ChildProcess } from 'node:child_process';

export interface NatsNode {
  readonly name: string;
  readonly port: number;
  readonly clusterPort: number;
  readonly httpPort: number;
  process?: ChildProcess;
  log?: string;
}
export function findNatsServer(): string | undefined;
export function ensureNatsServer(): string;
export function freePort(): Promise<number>;
export function startNode(bin: string, dir: string, node: NatsNode): ChildProcess;
export function waitHealthy(nodes: readonly NatsNode[], ms?: number): Promise<void>;
export function startNatsCluster(options?: { dir?: string; size?: number }): Promise<{
  urls: string[];
  url: string;
  dir: string;
  nodes: NatsNode[];
  bin: string;
}>;
export function stopNatsCluster(dir: string): void;
