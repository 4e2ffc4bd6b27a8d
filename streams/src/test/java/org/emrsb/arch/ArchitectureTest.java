package org.emrsb.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the sources: the ledger core is plain Java (no
 * Kafka, no stream or app code), and the stages do not import each other.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/org/emrsb");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void theCoreHasNoKafkaStreamOrAppDependencies() {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles(MAIN.resolve("core"))) {
            for (String imported : imports(file)) {
                if (imported.startsWith("org.apache.kafka.") || imported.startsWith("org.emrsb.stream.")
                        || imported.startsWith("org.emrsb.app.")) {
                    violations.add(MAIN.relativize(file) + " imports " + imported);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void stagesDoNotImportEachOther() {
        List<String> violations = new ArrayList<>();
        List<Path> stages = javaFiles(MAIN.resolve("stream")).stream()
                .filter(f -> f.getFileName().toString().endsWith("Topology.java")).toList();
        for (Path stage : stages) {
            String self = stage.getFileName().toString().replace(".java", "");
            for (String imported : imports(stage)) {
                String simple = imported.substring(imported.lastIndexOf('.') + 1);
                if (simple.endsWith("Topology") && !simple.equals(self) && imported.startsWith("org.emrsb.")) {
                    violations.add(self + " imports " + imported);
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void theScanSeesTheSources() {
        assertTrue(Files.isDirectory(MAIN.resolve("stream")), "run from the streams module: " + MAIN.toAbsolutePath());
        assertTrue(javaFiles(MAIN).size() > 10);
    }

    private static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> imports(Path file) {
        try {
            Matcher m = IMPORT.matcher(Files.readString(file));
            List<String> found = new ArrayList<>();
            while (m.find()) {
                found.add(m.group(1));
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
