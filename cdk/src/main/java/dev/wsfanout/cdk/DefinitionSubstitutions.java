package dev.wsfanout.cdk;

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
 * Checks a state machine definition file against the substitutions the stack supplies. Step
 * Functions leaves an unmatched {@code ${Name}} in the definition as literal text, and an unused
 * substitution means the file and the stack drifted apart; both fail the synth here instead.
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
     * @return {@code supplied}, unchanged
     * @throws IllegalArgumentException naming the file and every name on either side that has no partner
     */
    public static Map<String, String> requireExactly(Path definitionFile, Map<String, String> supplied) {
        String definition;
        try {
            definition = Files.readString(definitionFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state machine definition " + definitionFile, e);
        }
        Set<String> used = placeholdersIn(definition);
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(supplied.keySet());
        Set<String> unused = new TreeSet<>(supplied.keySet());
        unused.removeAll(used);
        if (!missing.isEmpty() || !unused.isEmpty()) {
            StringBuilder message = new StringBuilder("state machine definition " + definitionFile
                    + " does not match the stack's definitionSubstitutions:");
            if (!missing.isEmpty()) {
                message.append(" the file uses ").append(missing).append(", which the stack does not supply;");
            }
            if (!unused.isEmpty()) {
                message.append(" the stack supplies ").append(unused).append(", which the file does not use;");
            }
            message.append(" the names are fixed in docs/contracts.md");
            throw new IllegalArgumentException(message.toString());
        }
        return supplied;
    }
}
