package dev.wsfanout.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a synthesized template's IAM policies as plain lines ("actions on resource"), with
 * CloudFormation references written by construct path instead of logical id hash, so a test can
 * state a role's whole permission set and compare it exactly.
 */
final class TemplateView {

    private final Map<String, Object> resources;

    @SuppressWarnings("unchecked")
    TemplateView(Map<String, Object> template) {
        this.resources = (Map<String, Object>) template.get("Resources");
    }

    /**
     * Role (logical id without its hash) → its statements, one line per resource, over its inline
     * policies and the managed policies attached to it (CDK's overflow policies among them).
     */
    Map<String, Set<String>> permissionsByRole() {
        Map<String, Set<String>> byRole = new TreeMap<>();
        List<Map<String, Object>> policies = new ArrayList<>(ofType("AWS::IAM::Policy"));
        policies.addAll(ofType("AWS::IAM::ManagedPolicy"));
        for (Map<String, Object> policy : policies) {
            Map<String, Object> props = map(policy.get("Properties"));
            for (Object role : props.get("Roles") == null ? List.of() : list(props.get("Roles"))) {
                Set<String> lines = byRole.computeIfAbsent(render(role), r -> new TreeSet<>());
                for (Object statement : list(map(props.get("PolicyDocument")).get("Statement"))) {
                    lines.addAll(lines(map(statement)));
                }
            }
        }
        return byRole;
    }

    /** Every statement as (sorted actions, rendered resource) lines, over all policies. */
    List<String> allStatementLines() {
        return permissionsByRole().values().stream().flatMap(Set::stream).toList();
    }

    /** The logical ids (without their hash) of the managed policies attached to {@code role} ("{PostMessageRole}"). */
    Set<String> managedPoliciesOf(String role) {
        Set<String> found = new TreeSet<>();
        for (Map.Entry<String, Object> resource : resources.entrySet()) {
            Map<String, Object> r = map(resource.getValue());
            Object roles = map(r.get("Properties")).get("Roles");
            if ("AWS::IAM::ManagedPolicy".equals(r.get("Type")) && roles != null
                    && list(roles).stream().map(TemplateView::render).anyMatch(role::equals)) {
                found.add(withoutHash(resource.getKey()));
            }
        }
        return found;
    }

    /**
     * Logical id (without its hash) → the cdk-nag rules suppressed on that resource
     * ({@code Metadata.cdk_nag.rules_to_suppress[].id}).
     */
    Map<String, Set<String>> nagSuppressionsByResource() {
        Map<String, Set<String>> found = new TreeMap<>();
        for (Map.Entry<String, Object> resource : resources.entrySet()) {
            Object metadata = map(resource.getValue()).get("Metadata");
            Object nag = metadata == null ? null : map(metadata).get("cdk_nag");
            if (nag == null) {
                continue;
            }
            Set<String> ids = found.computeIfAbsent(withoutHash(resource.getKey()), k -> new TreeSet<>());
            for (Object rule : list(map(nag).get("rules_to_suppress"))) {
                ids.add(map(rule).get("id").toString());
            }
        }
        return found;
    }

    /** Logical id (without its hash) of every resource of {@code type} whose properties hold {@code key = value}. */
    Set<String> logicalIds(String type, String key, Object value) {
        Set<String> found = new TreeSet<>();
        for (Map.Entry<String, Object> resource : resources.entrySet()) {
            Map<String, Object> r = map(resource.getValue());
            if (type.equals(r.get("Type")) && value.equals(map(r.get("Properties")).get(key))) {
                found.add(withoutHash(resource.getKey()));
            }
        }
        return found;
    }

    /** The resource whose logical id without its hash is {@code logicalId}. */
    Map<String, Object> resource(String logicalId) {
        return resources.entrySet().stream()
                .filter(e -> withoutHash(e.getKey()).equals(logicalId))
                .map(e -> map(e.getValue()))
                .findFirst().orElseThrow(() -> new AssertionError("no resource " + logicalId));
    }

    /** One policy document's statements as "actions on resource" lines. */
    static Set<String> statementLines(Map<String, Object> policyDocument) {
        Set<String> lines = new TreeSet<>();
        for (Object statement : list(policyDocument.get("Statement"))) {
            lines.addAll(lines(map(statement)));
        }
        return lines;
    }

    List<Map<String, Object>> ofType(String type) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Object resource : resources.values()) {
            Map<String, Object> r = map(resource);
            if (type.equals(r.get("Type"))) {
                found.add(r);
            }
        }
        return found;
    }

    private static Set<String> lines(Map<String, Object> statement) {
        if (!"Allow".equals(statement.get("Effect"))) {
            throw new AssertionError("unexpected non-Allow statement " + statement);
        }
        Object action = statement.get("Action");
        List<Object> actions = action instanceof List<?> l ? new ArrayList<>(l) : List.of(action);
        String actionText = actions.stream().map(Object::toString).sorted().collect(Collectors.joining(","));
        Object resource = statement.get("Resource");
        List<Object> targets = resource instanceof List<?> l ? new ArrayList<>(l) : List.of(resource);
        Set<String> result = new TreeSet<>();
        for (Object target : targets) {
            result.add(actionText + " on " + render(target));
        }
        return result;
    }

    /**
     * {Ref: X} → {X}, {Fn::GetAtt: [X, A]} → {X.A}, {Fn::Join: [sep, parts]} → the parts joined,
     * Fn::Select / Fn::Split → select(i,...) / split(sep,...); logical-id hashes dropped.
     */
    static String render(Object value) {
        if (value instanceof String s) {
            return s;
        }
        Map<String, Object> m = map(value);
        if (m.containsKey("Ref")) {
            return "{" + withoutHash(m.get("Ref").toString()) + "}";
        }
        if (m.containsKey("Fn::GetAtt")) {
            List<Object> att = list(m.get("Fn::GetAtt"));
            return "{" + withoutHash(att.get(0).toString()) + "." + att.get(1) + "}";
        }
        if (m.containsKey("Fn::Join")) {
            List<Object> join = list(m.get("Fn::Join"));
            return list(join.get(1)).stream().map(TemplateView::render)
                    .collect(Collectors.joining(join.get(0).toString()));
        }
        if (m.containsKey("Fn::Select")) {
            List<Object> select = list(m.get("Fn::Select"));
            return "select(" + select.get(0) + "," + render(select.get(1)) + ")";
        }
        if (m.containsKey("Fn::Split")) {
            List<Object> split = list(m.get("Fn::Split"));
            return "split(" + split.get(0) + "," + render(split.get(1)) + ")";
        }
        throw new AssertionError("cannot render " + value);
    }

    private static String withoutHash(String logicalId) {
        return logicalId.replaceFirst("[0-9A-F]{8}$", "");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
