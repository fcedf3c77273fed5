package dev.falclient.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM has no parent (so that consumers do not import Spring Boot's dependency management through it), so its
 * version is not inherited ({@code versions:set -DprocessAllModules} does set it): this test checks that it is the
 * project's, that it manages exactly the published modules (every module of the root pom, in any profile, that does
 * not set {@code maven.deploy.skip}), each at {@code ${project.version}}, and that the README's dependency snippets
 * take their versions from it.
 */
class BomTests {

    // surefire runs in the module's directory
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private final Document root = read(ROOT.resolve("pom.xml"));
    private final Document bom = read(ROOT.resolve("fal-bom/pom.xml"));

    @Test
    void bomHasNoParentAndTheProjectsVersion() {
        assertThat(children(bom.getDocumentElement(), "parent")).isEmpty();
        assertThat(text(bom.getDocumentElement(), "groupId")).isEqualTo("dev.falclient");
        assertThat(text(bom.getDocumentElement(), "artifactId")).isEqualTo("fal-bom");
        assertThat(text(bom.getDocumentElement(), "version")).isEqualTo(text(root.getDocumentElement(), "version"));
    }

    @Test
    void bomManagesEveryPublishedModuleAtTheProjectVersion() {
        Set<String> published = new TreeSet<>();
        NodeList modules = root.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().trim();
            Element pom = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
            if (!module.equals("fal-bom") && !deploySkipped(pom)) {
                published.add(text(pom, "artifactId"));
            }
        }
        assertThat(published).contains("fal-client-core", "fal-emulator", "fal-spring-boot-starter",
                "fal-spring-boot-starter-test");

        Set<String> managed = new TreeSet<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertThat(text(dependency, "groupId")).isEqualTo("dev.falclient");
            assertThat(text(dependency, "version")).isEqualTo("${project.version}");
            managed.add(text(dependency, "artifactId"));
        }
        assertThat(managed).isEqualTo(published);
    }

    @Test
    void readmeSnippetsTakeVersionsFromTheBom() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String version = text(root.getDocumentElement(), "version");
        Matcher dependency = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(readme);
        int ours = 0;
        while (dependency.find()) {
            String block = dependency.group(1);
            if (!block.contains("<groupId>dev.falclient</groupId>")) {
                continue;
            }
            ours++;
            if (block.contains("<artifactId>fal-bom</artifactId>")) {
                assertThat(block).contains("<version>" + version + "</version>", "<type>pom</type>",
                        "<scope>import</scope>");
            } else {
                assertThat(block).as("a fal dependency snippet takes its version from the BOM").doesNotContain(
                        "<version>");
            }
        }
        assertThat(ours).as("fal dependency snippets in the README").isGreaterThanOrEqualTo(5);
        Matcher gradle = Pattern.compile("\"dev\\.falclient:([a-z-]+)(:[^\"]*)?\"").matcher(readme);
        while (gradle.find()) {
            if (gradle.group(1).equals("fal-bom")) {
                assertThat(gradle.group(2)).isEqualTo(":" + version);
            } else {
                assertThat(gradle.group(2)).as("Gradle coordinates of %s", gradle.group(1)).isNull();
            }
        }
    }

    private static boolean deploySkipped(Element pom) {
        return children(pom, "properties").stream()
                .flatMap(properties -> children(properties, "maven.deploy.skip").stream())
                .anyMatch(skip -> skip.getTextContent().trim().equals("true"));
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).hasSize(1);
        return found.get(0).getTextContent().trim();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    private static Document read(Path pom) {
        assertThat(pom).exists();
        try (var in = Files.newInputStream(pom)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(in);
        } catch (Exception e) {
            throw new AssertionError("cannot read " + pom, e);
        }
    }
}
