package dev.falclient.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.NullMarked;

/**
 * The API stays apart from the engine: no public or protected signature of an API type mentions a type of
 * {@code dev.falclient.internal}; the starter and its test support never import the engine; the engine's packages
 * have no cycles; every package is {@link NullMarked} (JSpecify), so a new package cannot ship without nullness.
 * Reads the classes of the core, the emulator, the starter and this module (the sample has its own check).
 */
@AnalyzeClasses(packages = "dev.falclient", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    private static final String INTERNAL = "dev.falclient.internal..";

    @ArchTest
    static final ArchRule apiSignaturesNeverMentionTheEngine = classes()
            .that().resideOutsideOfPackage(INTERNAL).and().arePublic()
            .should(exposeNoInternalType());

    @ArchTest
    static final ArchRule integrationsNeverImportTheEngine = noClasses()
            .that().resideInAnyPackage("dev.falclient.spring..", "dev.falclient.test..")
            .should().dependOnClassesThat().resideInAPackage(INTERNAL);

    @ArchTest
    static final ArchRule enginePackagesHaveNoCycles = slices()
            .matching("dev.falclient.internal.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule everyPackageIsNullMarked = classes()
            .should(resideInANullMarkedPackage());

    private static ArchCondition<JavaClass> resideInANullMarkedPackage() {
        return new ArchCondition<>("reside in a package annotated @NullMarked in its package-info.java") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                boolean marked = type.getPackage().isAnnotatedWith(NullMarked.class);
                events.add(new SimpleConditionEvent(type, marked,
                        type.getPackageName() + " has no package-info.java with @NullMarked (" + type.getName() + ")"));
            }
        };
    }

    private static ArchCondition<JavaClass> exposeNoInternalType() {
        return new ArchCondition<>("expose no type of " + INTERNAL + " in a public or protected signature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                List<String> leaks = new ArrayList<>();
                type.getRawSuperclass().ifPresent(s -> leak(leaks, "superclass", Set.of(s)));
                type.getRawInterfaces().forEach(i -> leak(leaks, "interface", Set.of(i)));
                for (JavaCodeUnit unit : type.getCodeUnits()) {
                    if (visible(unit.getModifiers())) {
                        leak(leaks, unit.getFullName(), unit.getReturnType().getAllInvolvedRawTypes());
                        for (JavaType parameter : unit.getParameterTypes()) {
                            leak(leaks, unit.getFullName(), parameter.getAllInvolvedRawTypes());
                        }
                        leak(leaks, unit.getFullName(), Set.copyOf(unit.getExceptionTypes()));
                    }
                }
                for (JavaField field : type.getFields()) {
                    if (visible(field.getModifiers())) {
                        leak(leaks, field.getFullName(), field.getType().getAllInvolvedRawTypes());
                    }
                }
                leaks.forEach(leak -> events.add(SimpleConditionEvent.violated(type, leak)));
            }
        };
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static void leak(List<String> leaks, String where, Set<JavaClass> types) {
        for (JavaClass type : types) {
            if (type.getPackageName().startsWith("dev.falclient.internal")) {
                leaks.add(where + " exposes " + type.getName());
            }
        }
    }
}
