package dev.wsfanout.local.sfn;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the ${Name} placeholders of a definition file, as CloudFormation's
 * DefinitionSubstitutions does. Strict both ways: a placeholder without a value and a value
 * without a placeholder are both errors, so the file and its callers cannot drift apart.
 */
public final class DefinitionSubstitutions {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    private DefinitionSubstitutions() {
    }

    public static String apply(String definition, Map<String, String> values) {
        Set<String> named = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(definition);
        while (matcher.find()) {
            named.add(matcher.group(1));
        }
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(values.keySet());
        Set<String> unused = new TreeSet<>(values.keySet());
        unused.removeAll(named);
        if (!missing.isEmpty() || !unused.isEmpty()) {
            throw new IllegalArgumentException("definition substitutions do not match the definition:"
                    + (missing.isEmpty() ? "" : " no value for " + missing)
                    + (unused.isEmpty() ? "" : " supplied but not named by the definition: " + unused));
        }
        StringBuilder out = new StringBuilder();
        matcher = PLACEHOLDER.matcher(definition);
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(values.get(matcher.group(1))));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
