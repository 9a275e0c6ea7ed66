package dev.projectdashboard.launcher.fake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * Stands in for local-stack in tests: writes {@code $LOCAL_STACK_DIR/local-stack.env} atomically, prints the
 * ready line, and runs until SIGTERM. With {@code FAKE_POSTGRES} set (a copy of {@code sleep}) it first starts
 * that program as {@code $LOCAL_STACK_DIR/bin/postgres} in the background the way pg_ctl does (orphaned), so
 * the launcher's leftover hunt has something to find.
 */
public final class FakeLocalStack {

    private FakeLocalStack() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getenv("LOCAL_STACK_DIR"));
        Files.createDirectories(dir);
        String postgres = System.getenv("FAKE_POSTGRES");
        if (postgres != null) {
            // like the real servers, the binary runs from inside our directory, which the leftover hunt looks for
            Path binary = Files.createDirectories(dir.resolve("bin")).resolve("postgres");
            Files.copy(Path.of(postgres), binary, StandardCopyOption.REPLACE_EXISTING);
            binary.toFile().setExecutable(true);
            new ProcessBuilder("sh", "-c", "'" + binary + "' 300 >/dev/null 2>&1 &")
                    .inheritIO()
                    .start()
                    .waitFor();
        }
        Path temporary = dir.resolve("local-stack.env.tmp");
        Files.writeString(temporary, "REDIS_URL=redis://127.0.0.1:6390\nPOSTGRES_PORT=5439\nFAKE_FROM_STACK=stack\n");
        Files.move(temporary, dir.resolve("local-stack.env"), StandardCopyOption.ATOMIC_MOVE);
        System.out.println("local-stack ready");
        new CountDownLatch(1).await();
    }
}
