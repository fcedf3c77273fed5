package dev.falclient.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Keeps the README's starter property tables in step with the generated configuration metadata. */
class StarterDocumentationTests {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z0-9.\\-\\[\\]]+)`\\s*\\|(.*)\\|\\s*(.*?)\\s*\\|\\s*$");

    @Test
    void everyPropertyIsDocumentedWithItsDefault() throws Exception {
        JsonNode metadata = JsonMapper.builder().build().readTree(
                MODULE.resolve("target/classes/META-INF/spring-configuration-metadata.json").toFile());
        Map<String, String> documented = documentedDefaults();

        Map<String, String> generated = new LinkedHashMap<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asString();
            if (name.startsWith("fal.") || name.equals("management.health.fal.enabled")
                    || name.startsWith("management.endpoint.fal.")) {
                JsonNode value = property.get("defaultValue");
                generated.put(name, value == null || value.isNull() ? "(none)" : "`" + value.asString() + "`");
            }
        }
        assertThat(generated).as("properties in the generated metadata").hasSizeGreaterThan(30);
        assertThat(documented.keySet()).as("README.md property tables")
                .containsAll(generated.keySet());
        assertThat(new TreeSet<>(generated.keySet())).as("no documented property is missing from the metadata")
                .containsAll(documented.keySet());
        generated.forEach((name, value) -> assertThat(documented.get(name)).as("default of " + name)
                .isEqualTo(value));
    }

    private static Map<String, String> documentedDefaults() throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(MODULE.resolve("../README.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.matches() && (row.group(1).startsWith("fal.") || row.group(1).startsWith("management."))) {
                rows.put(row.group(1), row.group(3));
            }
        }
        return rows;
    }
}
