package dev.projectdashboard.starter.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The package rules of every module, in one place (docs/development.md explains them): the packages directly
 * under a module's root package form no cycle, and its domain packages, the middle of the module, import neither
 * its web nor its persistence packages nor the frameworks those are built on. A module's {@code ArchitectureTests}
 * names its packages and calls {@link #check()}:
 *
 * <pre>{@code
 * ArchitectureRules.of("dev.projectdashboard.deploynotifier")
 *         .domain("deployment")
 *         .web("api", "ingest")
 *         .persistence("store", "outbox")
 *         .check();
 * }</pre>
 *
 * Only production classes are imported: tests may reach across packages to arrange a scenario.
 */
public final class ArchitectureRules {

    /** What web code is built on: a domain class that needs one of these belongs in a web package. */
    private static final List<String> WEB_FRAMEWORKS =
            List.of("org.springframework.web..", "org.springframework.http..", "org.springframework.boot.webflux..");

    /** What persistence code is built on. */
    private static final List<String> PERSISTENCE_FRAMEWORKS = List.of(
            "org.springframework.r2dbc..",
            "org.springframework.data..",
            "io.r2dbc..",
            "org.springframework.jdbc..",
            "java.sql..",
            "io.lettuce..",
            "org.springframework.transaction..");

    private final String root;
    private final List<String> domain = new ArrayList<>();
    private final List<String> web = new ArrayList<>();
    private final List<String> persistence = new ArrayList<>();

    private ArchitectureRules(String root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** The rules for the classes under {@code rootPackage} (e.g. {@code dev.projectdashboard.fileservice}). */
    public static ArchitectureRules of(String rootPackage) {
        return new ArchitectureRules(rootPackage);
    }

    /** Packages (relative to the root, sub-packages included) holding the domain. */
    public ArchitectureRules domain(String... packages) {
        domain.addAll(Arrays.asList(packages));
        return this;
    }

    /** Packages (relative to the root) holding controllers, request parsing and views. */
    public ArchitectureRules web(String... packages) {
        web.addAll(Arrays.asList(packages));
        return this;
    }

    /** Packages (relative to the root) holding queries, stores and other adapters to a database or Redis. */
    public ArchitectureRules persistence(String... packages) {
        persistence.addAll(Arrays.asList(packages));
        return this;
    }

    /** Fails with ArchUnit's report of every violation. */
    public void check() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(root);
        if (classes.isEmpty()) {
            throw new AssertionError("no production classes found under " + root);
        }
        slices().matching(root + ".(*)..")
                .namingSlices("package " + root + ".$1")
                .should()
                .beFreeOfCycles()
                .because("a cycle between packages means neither can be understood, tested or moved alone")
                // a module whose classes all sit in its root package has no slices, and so no cycle
                .allowEmptyShould(true)
                .check(classes);
        if (domain.isEmpty()) {
            return;
        }
        List<String> forbidden = new ArrayList<>();
        web.forEach(name -> forbidden.add(root + "." + name + ".."));
        persistence.forEach(name -> forbidden.add(root + "." + name + ".."));
        forbidden.addAll(WEB_FRAMEWORKS);
        forbidden.addAll(PERSISTENCE_FRAMEWORKS);
        noClasses()
                .that()
                .resideInAnyPackage(
                        domain.stream().map(name -> root + "." + name + "..").toArray(String[]::new))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden.toArray(String[]::new))
                .because("the domain is the middle of the module: web and persistence depend on it, never the reverse")
                .check(classes);
    }
}
