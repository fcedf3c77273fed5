package dev.falclient.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of the README against this module's test class path (core, starter, starter
 * test, emulator, Boot's test and web stacks), so that a reader who copies a snippet gets code that compiles.
 *
 * <p>The convention: each {@code ```java} block is preceded (on the line before its fence) by a marker comment,
 * {@code <!-- snippet: KIND[; given: DECL, DECL, ...][; reason: TEXT] -->}. Kinds:
 * <ul>
 * <li>{@code imports}: exactly one block, the import lines the other snippets assume (the README shows it once);</li>
 * <li>{@code statements}: code for a method body ({@code throws Exception}), after those imports;</li>
 * <li>{@code members}: fields and methods (e.g. {@code @Bean} methods) for a class body, after those imports;</li>
 * <li>{@code class}: top-level declarations, after those imports;</li>
 * <li>{@code file}: a whole source file with its own imports, compiled as shown (only a package line is added);</li>
 * <li>{@code skip}: not compiled; {@code reason: ...} says why, visibly in the README source.</li>
 * </ul>
 * A snippet may start with import lines of its own; they are added to the assumed ones. {@code given} declares, in
 * Java, what a snippet uses without showing it: variables ({@code FalClient fal}: parameters of the method of a
 * {@code statements} snippet, fields of the class of a {@code members} one), methods of that class
 * ({@code void store(String id)}) and types of your own ({@code record ImageOutput(String url) {}}, the only givens
 * of {@code class} and {@code file} snippets). Commas and semicolons inside brackets do not split.
 *
 * <p>New README sections follow the same convention (the README's "Building and contributing" says it in short). All
 * snippets are compiled in one javac run, each in a package of its own ({@code readme.l<fence line>}); a syntax error
 * in one stops javac before it checks the types of the others, so the first failure may be the only one reported.
 */
class ReadmeSnippetsTests {

    // surefire runs in the module's directory
    private static final Path README = Path.of("..", "README.md").toAbsolutePath().normalize();
    private static final Pattern FENCE = Pattern.compile("^( *)```(\\w*)\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!-- snippet: (.*?) -->\\s*$");
    private static final Pattern TYPE_GIVEN = Pattern.compile("^(?:record|class|interface|enum|abstract class)\\s.*",
            Pattern.DOTALL);
    private static final Pattern IMPORT = Pattern.compile("^import\\s[\\w.*\\s]+;$");

    @Test
    void everyJavaSnippetCompiles(@TempDir Path classes) throws IOException {
        List<String> readme = Files.readAllLines(README);
        List<Snippet> snippets = snippets(readme);
        List<Snippet> importBlocks = snippets.stream().filter(s -> s.kind == SnippetKind.IMPORTS).toList();
        assertThat(importBlocks).as("README blocks marked <!-- snippet: imports -->").hasSize(1);
        Snippet imports = importBlocks.get(0);
        assertThat(imports.code).as("the README's assumed imports (line %d)", imports.line)
                .allMatch(line -> line.isBlank() || IMPORT.matcher(line.trim()).matches());

        List<Source> sources = new ArrayList<>();
        for (Snippet snippet : snippets) {
            if (snippet.kind != SnippetKind.IMPORTS && snippet.kind != SnippetKind.SKIP) {
                sources.add(Source.of(snippet, imports));
            }
        }
        assertThat(sources).as("compiled README snippets").hasSizeGreaterThan(30);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-proc:none", "--release", "17", "-Xmaxerrs", "10000", "-encoding", "UTF-8",
                "-classpath", System.getProperty("java.class.path"), "-d", classes.toString());
        javac.getTask(null, null, diagnostics, options, null, sources).call();

        String failures = sources.stream()
                .map(source -> source.failure(diagnostics.getDiagnostics()))
                .filter(f -> !f.isEmpty())
                .collect(Collectors.joining("\n\n"));
        assertThat(failures).as("README snippets that do not compile (fix the README; see the test's Javadoc)")
                .isEmpty();
    }

    /** Every {@code ```java} block, with its marker; a block without a valid marker fails the test. */
    private static List<Snippet> snippets(List<String> readme) {
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            Matcher fence = FENCE.matcher(readme.get(i));
            if (!fence.matches() || fence.group(2).isEmpty()) {
                continue;
            }
            int start = i;
            int indent = fence.group(1).length();
            List<String> code = new ArrayList<>();
            for (i++; i < readme.size() && !FENCE.matcher(readme.get(i)).matches(); i++) {
                String line = readme.get(i);
                code.add(line.length() >= indent && line.substring(0, indent).isBlank()
                        ? line.substring(indent) : line.strip());
            }
            if (fence.group(2).equals("java")) {
                snippets.add(Snippet.parse(start + 1, start > 0 ? readme.get(start - 1) : "", code));
            }
        }
        return snippets;
    }

    enum SnippetKind { IMPORTS, STATEMENTS, MEMBERS, CLASS, FILE, SKIP }

    /** A {@code ```java} block: {@code line} is the README line of its opening fence (1-based). */
    record Snippet(int line, SnippetKind kind, List<String> given, List<String> code) {

        static Snippet parse(int line, String markerLine, List<String> code) {
            Matcher marker = MARKER.matcher(markerLine);
            if (!marker.matches()) {
                throw new AssertionError("README.md:" + line + ": a ```java block needs a marker on the line before,"
                        + " e.g. <!-- snippet: statements; given: FalClient fal --> or <!-- snippet: skip; reason:"
                        + " ... --> (see ReadmeSnippetsTests), found: '" + markerLine + "'");
            }
            List<String> fields = split(marker.group(1), ';');
            SnippetKind kind;
            try {
                kind = SnippetKind.valueOf(fields.get(0).toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException e) {
                throw new AssertionError("README.md:" + (line - 1) + ": unknown snippet kind '" + fields.get(0)
                        + "'; one of imports, statements, members, class, file, skip");
            }
            List<String> given = new ArrayList<>();
            String reason = "";
            for (String field : fields.subList(1, fields.size())) {
                if (field.startsWith("given:")) {
                    given.addAll(split(field.substring("given:".length()), ','));
                }
                else if (field.startsWith("reason:")) {
                    reason = field.substring("reason:".length()).trim();
                }
                else {
                    throw new AssertionError("README.md:" + (line - 1) + ": unknown marker field '" + field
                            + "'; given: or reason:");
                }
            }
            if (kind == SnippetKind.SKIP && reason.isEmpty()) {
                throw new AssertionError("README.md:" + (line - 1) + ": a skipped snippet needs '; reason: ...'");
            }
            return new Snippet(line, kind, given, code);
        }

        /** Splits at {@code separator} outside (), <>, {} and []. */
        private static List<String> split(String text, char separator) {
            List<String> parts = new ArrayList<>();
            int depth = 0;
            StringBuilder part = new StringBuilder();
            for (char c : text.toCharArray()) {
                if ("(<{[".indexOf(c) >= 0) {
                    depth++;
                }
                else if (")>}]".indexOf(c) >= 0) {
                    depth--;
                }
                if (c == separator && depth == 0) {
                    parts.add(part.toString().trim());
                    part.setLength(0);
                }
                else {
                    part.append(c);
                }
            }
            parts.add(part.toString().trim());
            parts.removeIf(String::isEmpty);
            return parts;
        }
    }

    /** The generated source of one snippet; {@code origin} maps each of its lines to a README line, or 0. */
    static final class Source extends SimpleJavaFileObject {

        private final Snippet snippet;
        private final List<String> lines = new ArrayList<>();
        private final List<Integer> origin = new ArrayList<>();

        private Source(Snippet snippet) {
            super(URI.create("string:///readme/l" + snippet.line + "/Snippet.java"), Kind.SOURCE);
            this.snippet = snippet;
        }

        static Source of(Snippet snippet, Snippet readmeImports) {
            Source source = new Source(snippet);
            source.add("package readme.l" + snippet.line + ";");
            List<String> code = snippet.code;
            List<String> types = new ArrayList<>();
            List<String> variables = new ArrayList<>();
            List<String> methods = new ArrayList<>();
            for (String given : snippet.given) {
                (TYPE_GIVEN.matcher(given).matches() ? types : given.contains("(") ? methods : variables).add(given);
            }
            if (snippet.kind == SnippetKind.FILE || snippet.kind == SnippetKind.CLASS) {
                assertThat(variables).as("README.md:%d: variables given to a %s snippet", snippet.line,
                        snippet.kind).isEmpty();
                assertThat(methods).as("README.md:%d: methods given to a %s snippet", snippet.line,
                        snippet.kind).isEmpty();
            }
            if (snippet.kind != SnippetKind.FILE) {
                for (int i = 0; i < readmeImports.code.size(); i++) {
                    source.add(readmeImports.code.get(i), readmeImports.line + 1 + i);
                }
            }
            int body = 0;
            if (snippet.kind == SnippetKind.STATEMENTS
                    || snippet.kind == SnippetKind.MEMBERS) {
                // the snippet's own imports go before the wrapping class
                while (body < code.size() && (code.get(body).isBlank() || code.get(body).startsWith("import "))) {
                    source.add(code.get(body), snippet.line + 1 + body);
                    body++;
                }
                source.add("abstract class Snippet {");
                methods.forEach(m -> source.add("    abstract " + m + ";"));
                if (snippet.kind == SnippetKind.STATEMENTS) {
                    source.add("    void snippet(" + String.join(", ", variables) + ") throws Exception {");
                }
                else {
                    variables.forEach(v -> source.add("    " + v + ";"));
                }
            }
            for (int i = body; i < code.size(); i++) {
                source.add(code.get(i), snippet.line + 1 + i);
            }
            if (snippet.kind == SnippetKind.STATEMENTS) {
                source.add("    }");
            }
            if (snippet.kind == SnippetKind.STATEMENTS
                    || snippet.kind == SnippetKind.MEMBERS) {
                source.add("}");
            }
            types.forEach(source::add);
            return source;
        }

        private void add(String line) {
            add(line, 0);
        }

        private void add(String line, int readmeLine) {
            lines.add(line);
            origin.add(readmeLine);
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return String.join("\n", lines) + "\n";
        }

        @Override
        public boolean isNameCompatible(String simpleName, Kind kind) {
            return true;   // a file snippet may declare a public class of any name
        }

        /** Empty when the snippet compiled; else where it is, what javac said and what it compiled. */
        String failure(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
                if (d.getSource() == this && d.getKind() == Diagnostic.Kind.ERROR) {
                    int generated = (int) d.getLineNumber();
                    int readmeLine = generated >= 1 && generated <= origin.size() ? origin.get(generated - 1) : 0;
                    errors.add((readmeLine > 0 ? "README.md:" + readmeLine : "generated line " + generated)
                            + ": " + d.getMessage(Locale.ROOT));
                }
            }
            if (errors.isEmpty()) {
                return "";
            }
            StringBuilder text = new StringBuilder("README.md:" + snippet.line + ": the " + snippet.kind.name()
                    .toLowerCase(Locale.ROOT) + " snippet does not compile\n");
            errors.forEach(e -> text.append("  ").append(e.replace("\n", "\n  ")).append('\n'));
            text.append("  generated source (README line | code):\n");
            for (int i = 0; i < lines.size(); i++) {
                text.append(String.format(Locale.ROOT, "  %5s | %s%n", origin.get(i) > 0 ? origin.get(i) : "",
                        lines.get(i)));
            }
            return text.toString();
        }
    }
}
