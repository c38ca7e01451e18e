// What webpack's module federation runtime and the console page give the host.
declare function __webpack_init_sharing__(scope: string): Promise<void>;
declare const __webpack_share_scopes__: Record<string, Record<string, unknown>>;

interface Window {
  SERVER_FLAGS: {
    basePath: string;
    consolePlugins: string[];
    releaseVersion: string;
    i18nNamespaces: string[];
  };
}
