#!/usr/bin/env node
/**
 * The CLI executable (dist/cli.js; bin/elb-health.js runs it): the command line of src/cli with
 * the pack's catalogue passed in, so nothing under src/ imports policies/.
 */
import { catalogue } from "./policies";
import { main as run } from "./src/cli/main";

export { USAGE } from "./src/cli/main";

type Out = Pick<NodeJS.WritableStream, "write"> & { isTTY?: boolean };

/** Runs one command line; resolves to the exit code (0, 1 mandatory findings, 2 bad input or usage). */
export function main(argv: readonly string[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
    return run(argv, catalogue, out, err);
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        // Let stdout drain (a pipe to a slow reader) before exiting.
        (code) => process.stdout.write("", () => process.exit(code)),
        () => process.exit(2),
    );
}
