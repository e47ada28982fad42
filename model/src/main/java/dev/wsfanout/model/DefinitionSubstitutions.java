package dev.wsfanout.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

    /**
     * Every placeholder broadcast.asl.json uses: the one list of the names (docs/contracts.md lists them
     * too). The CDK app and the local stack fill them through {@link Values}; a cdk test checks that the
     * file uses exactly these.
     */
    public enum Name {
        QUERY_FUNCTION_ARN("QueryFunctionArn"),
        AUDIT_FUNCTION_ARN("AuditFunctionArn"),
        BROADCASTS_TABLE_NAME("BroadcastsTableName"),
        HISTORY_TABLE_NAME("HistoryTableName"),
        PARTITION_COUNT("PartitionCount"),
        MAP_MAX_CONCURRENCY("MapMaxConcurrency"),
        TOLERATED_FAILURE_PERCENTAGE("ToleratedFailurePercentage"),
        DELIVERY_DEADLINE_SECONDS("DeliveryDeadlineSeconds"),
        POLL_INTERVAL_SECONDS("PollIntervalSeconds");

        private final String placeholder;

        Name(String placeholder) {
            this.placeholder = placeholder;
        }

        /** The name inside {@code ${...}}. */
        public String placeholder() {
            return placeholder;
        }

        /** Every placeholder name, in declaration order. */
        public static Set<String> placeholders() {
            Set<String> names = new LinkedHashSet<>();
            for (Name n : values()) {
                names.add(n.placeholder);
            }
            return Collections.unmodifiableSet(names);
        }
    }

    /**
     * A deployment's value for each {@link Name}; a new name is a new component here, so no caller
     * can forget to fill it.
     */
    public record Values(String queryFunctionArn, String auditFunctionArn, String broadcastsTableName,
                         String historyTableName, int partitionCount, int mapMaxConcurrency, int toleratedFailurePercentage,
                         long deliveryDeadlineSeconds, long pollIntervalSeconds) {

        /** Placeholder name → value, in {@link Name}'s order. */
        public Map<String, String> toMap() {
            Map<String, String> map = new LinkedHashMap<>();
            for (Name n : Name.values()) {
                map.put(n.placeholder(), switch (n) {
                    case QUERY_FUNCTION_ARN -> queryFunctionArn;
                    case AUDIT_FUNCTION_ARN -> auditFunctionArn;
                    case BROADCASTS_TABLE_NAME -> broadcastsTableName;
                    case HISTORY_TABLE_NAME -> historyTableName;
                    case PARTITION_COUNT -> Integer.toString(partitionCount);
                    case MAP_MAX_CONCURRENCY -> Integer.toString(mapMaxConcurrency);
                    case TOLERATED_FAILURE_PERCENTAGE -> Integer.toString(toleratedFailurePercentage);
                    case DELIVERY_DEADLINE_SECONDS -> Long.toString(deliveryDeadlineSeconds);
                    case POLL_INTERVAL_SECONDS -> Long.toString(pollIntervalSeconds);
                });
            }
            return Collections.unmodifiableMap(map);
        }
    }

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
