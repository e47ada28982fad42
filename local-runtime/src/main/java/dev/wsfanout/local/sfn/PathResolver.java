package dev.wsfanout.local.sfn;

import java.util.Map;

/**
 * Resolves a JSONPath-language path against what a state can see: {@code $...} is the state's
 * data, {@code $$...} the context object, {@code $name...} a workflow variable.
 */
record PathResolver(Object data, Map<String, Object> context, Map<String, Object> variables) {

    Object resolve(String path) throws JsonPath.NotFound {
        if (path.startsWith("$$")) {
            return JsonPath.parse("$" + path.substring(2)).read(context);
        }
        if (path.length() > 1 && (Character.isLetter(path.charAt(1)) || path.charAt(1) == '_')) {
            int end = 1;
            while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                end++;
            }
            String name = path.substring(1, end);
            if (!variables.containsKey(name)) {
                throw new JsonPath.NotFound("The variable '$" + name + "' is not defined");
            }
            return JsonPath.parse("$" + path.substring(end)).read(variables.get(name));
        }
        return JsonPath.parse(path).read(data);
    }
}
