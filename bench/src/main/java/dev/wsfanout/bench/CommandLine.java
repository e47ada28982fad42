package dev.wsfanout.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the bench commands' command lines share: {@code --name value} options, {@code -h}/{@code --help}, the seed. */
final class CommandLine {

    private CommandLine() {
    }

    /**
     * The {@code --name value} pairs of {@code args}, in order. Prints {@code usage} and exits 0
     * on {@code -h} or {@code --help}.
     *
     * @throws IllegalArgumentException for an option without its value
     */
    static List<Map.Entry<String, String>> options(String[] args, String usage) {
        List<Map.Entry<String, String>> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                System.out.print(usage);
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            options.add(Map.entry(option, args[++i]));
        }
        return options;
    }

    static long seed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be a whole number, was '" + value + "'");
        }
    }

    /** @throws IllegalArgumentException naming the option when {@code value} is not a whole number of at least 1 */
    static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new IllegalArgumentException(option + " must be a positive whole number, was " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a positive whole number, was '" + value + "'");
        }
    }
}
