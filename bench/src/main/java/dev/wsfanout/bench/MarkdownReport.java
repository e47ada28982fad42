package dev.wsfanout.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The report as it is written, section by section; saved after every section so a failed run keeps what it measured. */
public final class MarkdownReport {

    private final Path file;
    private final StringBuilder text = new StringBuilder();

    public MarkdownReport(Path file) {
        this.file = file;
    }

    public MarkdownReport heading(int level, String title) {
        text.append('\n').append("#".repeat(level)).append(' ').append(title).append("\n\n");
        return this;
    }

    public MarkdownReport paragraph(String format, Object... args) {
        text.append(String.format(format, args)).append("\n\n");
        return this;
    }

    public MarkdownReport code(String body) {
        text.append("```\n").append(body.strip()).append("\n```\n\n");
        return this;
    }

    public MarkdownReport table(List<String> header, List<List<String>> rows) {
        text.append(tableText(header, rows)).append('\n');
        return this;
    }

    /** A table in Markdown, also readable as it is on a terminal. */
    public static String tableText(List<String> header, List<List<String>> rows) {
        StringBuilder table = new StringBuilder();
        table.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> table.append("---|"));
        table.append('\n');
        for (List<String> row : rows) {
            table.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return table.toString();
    }

    public MarkdownReport image(String alt, String fileName) {
        text.append("![").append(alt).append("](").append(fileName).append(")\n\n");
        return this;
    }

    public void save() {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file, e);
        }
    }

    public Path file() {
        return file;
    }
}
