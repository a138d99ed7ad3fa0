/** A command used wrongly: printed in one line, exit code 2. */
export class UsageError extends Error {}
