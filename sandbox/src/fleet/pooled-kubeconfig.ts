import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * A KubeConfig whose requests share one connection pool. client-node 2.0.1 redoes its whole TLS setup for
 * every request (applySecurityAuthentication decodes the CA and builds a new undici Agent), so every call
 * pays a fresh TLS handshake: about 20 ms per request against the sandbox, which would make registering
 * thousands of clusters take minutes. With a static bearer token (the sandbox's kubeconfig) the headers and
 * the dispatcher are the same for every request, so they are computed once; other credentials (exec
 * plugins, auth providers, whose tokens change) still go through client-node each time, on the shared pool.
 */
export class PooledKubeConfig extends KubeConfig {
  private dispatcher: Dispatcher | undefined;
  private staticHeaders: [string, string][] | undefined;

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
    this.dispatcher ??= context.getDispatcher();
    if (this.dispatcher) context.setDispatcher(this.dispatcher);
    const user = this.getCurrentUser();
    if (user?.token && !user.exec && !user.authProvider) {
      this.staticHeaders = [['Authorization', `Bearer ${user.token}`]];
    }
  }

  /** Closes the pooled connections (idle keep-alive sockets would otherwise hold the process open). */
  async close(): Promise<void> {
    const dispatcher = this.dispatcher;
    this.dispatcher = undefined;
    this.staticHeaders = undefined;
    await dispatcher?.destroy();
  }
}
