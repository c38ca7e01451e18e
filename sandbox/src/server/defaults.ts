// kube-apiserver's watch timings, the API server's defaults (a module of its own so that the command line can
// show them in --help without loading the server).

/** kube-apiserver's watch cache sends a bookmark about every minute (cacher.go `defaultBookmarkFrequency`). */
export const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;

/** kube-apiserver's `--min-request-timeout` default. */
export const DEFAULT_MIN_REQUEST_TIMEOUT_SECONDS = 1800;
