package dev.falclient.sample;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The sample uses the client as any application would: through its API, never its engine. */
@AnalyzeClasses(packages = "dev.falclient.sample", importOptions = ImportOption.DoNotIncludeTests.class)
class SampleArchitectureTests {

    @ArchTest
    static final ArchRule sampleNeverImportsTheEngine = noClasses()
            .that().resideInAPackage("dev.falclient.sample..")
            .should().dependOnClassesThat().resideInAPackage("dev.falclient.internal..");
}
