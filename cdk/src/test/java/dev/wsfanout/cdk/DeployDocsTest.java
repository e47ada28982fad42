package dev.wsfanout.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docs/deploy.md's "Every knob" tables list exactly the context keys the app reads. */
class DeployDocsTest {

    private static final Pattern KEY = Pattern.compile("`([a-z][A-Za-z]+)`");

    @Test
    void everyContextKeyHasARowAndEveryRowIsAKey() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "deploy.md"));
        int start = lines.indexOf("## Every knob");
        Set<String> documented = new TreeSet<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("| `")) {
                Matcher first = KEY.matcher(line);
                if (first.find()) {
                    documented.add(first.group(1));
                }
            } else if (line.startsWith("| ") && line.contains("MemoryMb`")) {
                Matcher keys = KEY.matcher(line);
                while (keys.find()) {
                    documented.add(keys.group(1));
                }
            }
        }
        assertEquals(new TreeSet<>(DeployContext.knownKeys()), documented);
    }
}
