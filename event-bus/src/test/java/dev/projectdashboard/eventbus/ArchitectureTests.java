package dev.projectdashboard.eventbus;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The library's package rules (the services apply the same ones through service-starter's ArchitectureRules, which
 * this module cannot depend on): no package cycles, and the API services code against (events, payloads,
 * publisher and handler interfaces) knows nothing of Redis or of Spring Boot's auto-configuration.
 */
class ArchitectureTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.projectdashboard.eventbus");

    @Test
    void packagesFormNoCycle() {
        slices().matching("dev.projectdashboard.eventbus.(*)..")
                .should()
                .beFreeOfCycles()
                .check(CLASSES);
    }

    @Test
    void theApiKnowsNothingOfRedisOrSpringBoot() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.projectdashboard.eventbus", "dev.projectdashboard.eventbus.payload..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.projectdashboard.eventbus.redis..",
                        "dev.projectdashboard.eventbus.autoconfigure..",
                        "io.lettuce..",
                        "org.springframework.boot..")
                .check(CLASSES);
    }
}
