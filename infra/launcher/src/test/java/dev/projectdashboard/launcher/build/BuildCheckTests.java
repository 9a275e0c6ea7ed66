package dev.projectdashboard.launcher.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.launcher.suite.Component;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCheckTests {

    @TempDir
    Path module;

    private Path jar;
    private Path source;
    private Component component;

    @BeforeEach
    void module() throws Exception {
        source = Files.createDirectories(module.resolve("src/main/java/x")).resolve("A.java");
        Files.writeString(source, "class A {}");
        jar = module.resolve("target/m.jar");
        component = new Component(
                "m",
                Component.Kind.SERVICE,
                1,
                jar,
                List.of(module.resolve("src"), module.resolve("pom.xml")),
                List.of());
        touch(source, "2026-11-22T10:00:00Z");
    }

    @Test
    void missingJarIsStale() {
        assertThat(BuildCheck.isStale(component)).isTrue();
    }

    @Test
    void jarNewerThanEverySourceIsFresh() throws Exception {
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        touch(jar, "2026-11-22T11:00:00Z");

        assertThat(BuildCheck.isStale(component)).isFalse();
        assertThat(BuildCheck.stale(List.of(component))).isEmpty();
    }

    @Test
    void aSourceChangedAfterTheBuildMakesItStale() throws Exception {
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        touch(jar, "2026-11-22T11:00:00Z");
        Path pom = Files.writeString(module.resolve("pom.xml"), "<project/>");
        touch(pom, "2026-11-22T12:00:00Z");

        assertThat(BuildCheck.stale(List.of(component))).containsExactly(component);
    }

    private static void touch(Path file, String instant) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(instant)));
    }
}
