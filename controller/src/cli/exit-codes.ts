/** Exit statuses of the command line, as documented in the README. */
export const EXIT_OK = 0;
/** `plan` printed its document, and it lists validation errors */
export const EXIT_PLAN_ERRORS = 1;
/** unreadable or malformed input, or bad flags; a one-line message on stderr */
export const EXIT_USAGE = 2;
/** a bug: something the command did not expect (stack trace on stderr) */
export const EXIT_INTERNAL = 3;
/** `plan --diff`: the hub could not be read (unreachable, credentials refused, a permission missing) */
export const EXIT_HUB = 4;
/** `plan --diff`: applying the MCMs would change ManifestWorks (the difference is printed) */
export const EXIT_CHANGES = 5;
/** `plan --diff`: the changes go past --max-changed-clusters */
export const EXIT_CHANGES_OVER_LIMIT = 6;
