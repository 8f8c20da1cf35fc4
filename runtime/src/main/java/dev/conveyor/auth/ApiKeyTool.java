package dev.conveyor.auth;

import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Set;

/**
 * Makes an API key:
 *
 * <pre>{@code java -cp conveyor-producer-app-<version>-all.jar dev.conveyor.auth.ApiKeyTool \
 *     new <key id> <task type globs> [<scopes, default submit,read>] [<tasks per second>]}</pre>
 *
 * prints the key (line 1) and the line to store for it (line 2) on standard output, and what to do with
 * each on standard error, so a script can read the two values alone. The key is shown this once: only
 * its hash is stored.
 */
public final class ApiKeyTool {

    static final String USAGE = "usage: ApiKeyTool new <key id> <task type globs, e.g. 'email.*,report.render' or '*'>"
            + " [<scopes, default submit,read>] [<tasks per second>]";
    static final Set<Scope> DEFAULT_SCOPES = EnumSet.of(Scope.SUBMIT, Scope.READ);

    private ApiKeyTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 3 || args.length > 5 || !args[0].equals("new")) {
            err.println(USAGE);
            return 2;
        }
        NewApiKey made;
        try {
            Set<Scope> scopes = args.length > 3 ? KeyLines.scopes(args[3]) : DEFAULT_SCOPES;
            made = NewApiKey.generate(args[1], scopes, args[2], args.length > 4 ? KeyLines.rate(args[4]) : 0);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        }
        err.println("API key '" + made.stored().id() + "' (shown once: give it to its client, which sends Authorization: Bearer <key>):");
        out.println(made.key());
        err.println("line to add to the keys file (API_KEYS_FILE) or to API_KEYS:");
        out.println(made.line());
        return 0;
    }
}
