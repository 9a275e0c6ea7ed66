package dev.projectdashboard.localstack;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * spring-test is an optional dependency of this library: only the two classes that hand the stack to a Spring test
 * context may use it, so a plain JUnit test (or {@code ./dashboard up}) never needs Spring on its class path.
 */
class ArchitectureTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.projectdashboard.localstack");

    @Test
    void onlyTheContextCustomizerUsesSpring() {
        noClasses()
                .that()
                .doNotHaveSimpleName("LocalStackContextCustomizer")
                .and()
                .doNotHaveSimpleName("LocalStackContextCustomizerFactory")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework..")
                .check(CLASSES);
    }
}
