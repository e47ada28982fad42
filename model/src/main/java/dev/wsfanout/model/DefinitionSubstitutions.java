package dev.wsfanout.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${Name}} placeholders of statemachine/broadcast.asl.json, filled the way
 * CloudFormation's DefinitionSubstitutions fills them. Strict both ways, for the CDK app and the
 * local stack alike: Step Functions would leave an unmatched placeholder in the definition as
 * literal text, and a value nobody uses means the file and its caller drifted apart.
 */
public final class DefinitionSubstitutions {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    private DefinitionSubstitutions() {
    }

    /** The distinct {@code ${...}} names in a definition. */
    public static Set<String> placeholdersIn(String definition) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(definition);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * Checks a definition file against the values a caller supplies.
     *
     * @return {@code supplied}, unchanged
     * @throws IllegalArgumentException naming the file and every name on either side without a partner
     */
    public static Map<String, String> requireExactly(Path definitionFile, Map<String, String> supplied) {
        String definition;
        try {
            definition = Files.readString(definitionFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state machine definition " + definitionFile, e);
        }
        return requireExactly(definition, "state machine definition " + definitionFile, supplied);
    }

    /** Fills every placeholder; fails like {@link #requireExactly} if the names do not match. */
    public static String apply(String definition, Map<String, String> values) {
        requireExactly(definition, "the state machine definition", values);
        StringBuilder out = new StringBuilder();
        Matcher matcher = PLACEHOLDER.matcher(definition);
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(values.get(matcher.group(1))));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static Map<String, String> requireExactly(String definition, String source, Map<String, String> supplied) {
        Set<String> used = placeholdersIn(definition);
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(supplied.keySet());
        Set<String> unused = new TreeSet<>(supplied.keySet());
        unused.removeAll(used);
        if (!missing.isEmpty() || !unused.isEmpty()) {
            StringBuilder message = new StringBuilder(source + " does not match the definition substitutions:");
            if (!missing.isEmpty()) {
                message.append(" the file uses ").append(missing).append(", which are not supplied;");
            }
            if (!unused.isEmpty()) {
                message.append(" ").append(unused).append(" are supplied but the file does not use them;");
            }
            message.append(" the names are fixed in docs/contracts.md");
            throw new IllegalArgumentException(message.toString());
        }
        return supplied;
    }
}
