import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * A KubeConfig whose requests share one keep-alive connection pool. client-node 2.0.1 builds a new undici Agent
 * for every request, so each list, write and watch would open a new connection with a full TLS handshake
 * (tens of milliseconds each, which would dominate a rollout to thousands of clusters). Only the TLS settings of
 * the first request (CA, client certificate) are kept for the life of the pool. A static bearer token is turned
 * into headers once; other credentials (exec plugins, auth providers such as the in-cluster token file, whose
 * tokens rotate) still go through client-node on every request.
 */
export class PooledKubeConfig extends KubeConfig {
  private dispatcher?: Dispatcher;
  private staticHeaders?: [string, string][];

  static fromString(yaml: string): PooledKubeConfig {
    const kc = new PooledKubeConfig();
    kc.loadFromString(yaml);
    return kc;
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    if (this.staticHeaders && this.dispatcher) {
      for (const [key, value] of this.staticHeaders) context.setHeaderParam(key, value);
      context.setDispatcher(this.dispatcher);
      return;
    }
    await super.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (!fresh) return; // plain http: client-node uses fetch's global pool
    this.dispatcher ??= fresh;
    if (fresh !== this.dispatcher) {
      context.setDispatcher(this.dispatcher);
      // The per-request agent never connected; close it so it holds nothing.
      void fresh.close();
    }
    const user = this.getCurrentUser();
    if (user?.token && !user.exec && !user.authProvider && !user.certFile && !user.certData) {
      this.staticHeaders = [['Authorization', `Bearer ${user.token}`]];
    }
  }

  /** Closes the pooled connections (idle keep-alive sockets would otherwise keep the process alive). */
  async close(): Promise<void> {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    this.staticHeaders = undefined;
    await d?.destroy();
  }
}
