package dev.projectdashboard.fileservice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.projectdashboard.starter.test.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The domain (the file record, pending uploads, names, settings and the object-store port) is the middle: the
 * controllers in {@code web}, the R2DBC stores in {@code persistence} and the S3 adapter in {@code storage} depend on
 * it, never the reverse. The application services in {@code files} and {@code device} sit between web and the
 * adapters.
 */
class ArchitectureTests {

    private static final String ROOT = "dev.projectdashboard.fileservice";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(ROOT);

    @Test
    void packagesFollowTheRules() {
        ArchitectureRules.of(ROOT)
                .domain("domain")
                .web("web")
                .persistence("persistence", "storage")
                .check();
    }

    @Test
    void domainKnowsNothingOfTheS3Sdk() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".domain..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .because("the object store is an adapter: S3 types stay in the storage package")
                .check(CLASSES);
    }

    @Test
    void nothingButTheWebPackageImportsControllers() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".web..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT + ".web..")
                .because("controllers are the outside edge: services and adapters never call back into them")
                .check(CLASSES);
    }
}
