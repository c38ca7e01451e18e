// Defaults shared by the fleet and the command line (kept free of imports so `--help` loads nothing else).

/** OCM's default work-agent status sync interval. */
export const DEFAULT_STATUS_SYNC_INTERVAL_MS = 10_000;
