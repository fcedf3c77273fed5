package dev.falclient.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Most of the README's snippets rely on wildcard imports it shows once (ReadmeSnippetsTests compiles them), so its
 * "Where the types live" table must name the package of every type of ours that a Java snippet uses: a snippet that starts using a type the table does not list fails this test, and so
 * does a listed type in the wrong package.
 */
class ReadmeTypesTests {

    // surefire runs in the module's directory
    private static final Path README = Path.of("..", "README.md").toAbsolutePath().normalize();
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern TYPE_NAME = Pattern.compile("\\b[A-Z][A-Za-z0-9]+\\b");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `(dev\\.falclient[\\w.]*)` \\| (.*) \\|$",
            Pattern.MULTILINE);

    @Test
    void everyTypeOfOursInASnippetIsListedUnderItsPackage() throws IOException {
        String readme = Files.readString(README);
        Map<String, String> ours = publicApiTypes();
        Map<String, Set<String>> used = new TreeMap<>();
        Matcher block = JAVA_BLOCK.matcher(readme);
        while (block.find()) {
            Matcher name = TYPE_NAME.matcher(block.group(1));
            while (name.find()) {
                String pkg = ours.get(name.group());
                if (pkg != null) {
                    used.computeIfAbsent(pkg, p -> new TreeSet<>()).add(name.group());
                }
            }
        }
        assertThat(used).as("types of ours used in the README's Java snippets").isNotEmpty();
        assertThat(listed(readme)).as("the README's 'Where the types live' table").isEqualTo(used);
    }

    /** Simple name to package of every public top-level type outside the engine. */
    private static Map<String, String> publicApiTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.falclient")) {
            if (c.isTopLevelClass() && c.getModifiers().contains(JavaModifier.PUBLIC)
                    && !c.getPackageName().contains(".internal")) {
                types.put(c.getSimpleName(), c.getPackageName());
            }
        }
        return types;
    }

    private static Map<String, Set<String>> listed(String readme) {
        String section = readme.substring(readme.indexOf("## Where the types live"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Map<String, Set<String>> listed = new TreeMap<>();
        Matcher row = TABLE_ROW.matcher(section);
        while (row.find()) {
            Set<String> names = new TreeSet<>();
            for (String cell : row.group(2).split(",")) {
                names.add(cell.trim().replace("`", ""));
            }
            listed.put(row.group(1), names);
        }
        return listed;
    }
}
