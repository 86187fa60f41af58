import type { NatsNode } from '../../scripts/nats.mjs';
import { startNatsCluster, startNode, stopNatsCluster, waitHealthy } from '../../scripts/nats.mjs';

/**
 * A NATS JetStream cluster of three real nats-server processes on loopback, in a temp
 * directory, for one test: each test gets its own so that it can kill and restart nodes.
 * .ci/run installs nats-server (scripts/nats.mjs install); a test without it fails with the
 * reason. KAUDIT_TEST_NO_NATS=1 is the explicit opt-out for a developer without it.
 */
export const NATS_SKIP =
  process.env.KAUDIT_TEST_NO_NATS === '1'
    ? 'KAUDIT_TEST_NO_NATS=1: NATS tests skipped on request'
    : false;

/** A running test cluster. */
export interface TestNatsCluster {
  /** Every node's client URL, comma-separated (what `--bus` takes). */
  readonly url: string;
  readonly urls: readonly string[];
  readonly nodes: readonly NatsNode[];
  /** SIGKILLs node `i` (0-based). */
  kill(i: number): void;
  /** Starts node `i` again with its config and store; resolves once the cluster is healthy. */
  restart(i: number): Promise<void>;
  stop(): void;
}

export async function startTestNats(): Promise<TestNatsCluster> {
  const c = await startNatsCluster();
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    stopNatsCluster(c.dir);
  };
  process.on('exit', stop);
  return {
    url: c.url,
    urls: c.urls,
    nodes: c.nodes,
    kill(i) {
      c.nodes[i]?.process?.kill('SIGKILL');
    },
    async restart(i) {
      const n = c.nodes[i] as NatsNode;
      startNode(c.bin, c.dir, n);
      await waitHealthy(c.nodes, 60_000);
    },
    stop,
  };
}
