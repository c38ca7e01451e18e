import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * A KubeConfig whose requests share one keep-alive connection pool. client-node 2.0.1 builds a new undici Agent
 * for every request, so each list, write and watch would open a new connection with a full TLS handshake
 * (tens of milliseconds each, which would dominate a rollout to thousands of clusters). Credentials still go
 * through client-node on every request, so rotating service account tokens and exec plugins keep working;
 * only the TLS settings of the first request (CA, client certificate) are kept for the life of the pool.
 */
export class PooledKubeConfig extends KubeConfig {
  private dispatcher?: Dispatcher;

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (!fresh) return; // plain http: client-node uses fetch's global pool
    this.dispatcher ??= fresh;
    if (fresh !== this.dispatcher) {
      context.setDispatcher(this.dispatcher);
      // The per-request agent never connected; close it so it holds nothing.
      void fresh.close();
    }
  }

  /** Closes the pooled connections (idle keep-alive sockets would otherwise keep the process alive). */
  async close(): Promise<void> {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    await d?.destroy();
  }
}
