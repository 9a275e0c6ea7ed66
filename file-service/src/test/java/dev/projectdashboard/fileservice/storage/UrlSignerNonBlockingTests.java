package dev.projectdashboard.fileservice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Presigning runs on event-loop threads (every upload-url and download request), so it must never block one, not
 * even the first time a freshly started service signs (CI once caught a blocking call inside the SDK's presigner
 * under concurrent first reads). BlockHound, installed in every test JVM, turns a blocking call into an error here.
 */
class UrlSignerNonBlockingTests {

    private final ApplicationContextRunner runner =
            S3PropertiesTests.LOCAL_ENDPOINT.withUserConfiguration(Signer.class);

    @Test
    void concurrentFirstSignaturesOfANewSignerDoNotBlockAReactorThread() {
        runner.run(context -> {
            UrlSigner signer = context.getBean(UrlSigner.class);
            List<UrlSigner.Signed> signed = Flux.range(0, 32)
                    .flatMap(n -> Mono.fromCallable(() -> n % 2 == 0
                                    ? signer.get("t/" + n, "f" + n, Duration.ofMinutes(5))
                                    : signer.put("t/" + n, Duration.ofMinutes(5), put -> {}))
                            .subscribeOn(Schedulers.parallel()))
                    .collectList()
                    .block(Duration.ofSeconds(30));

            assertThat(signed).hasSize(32).allSatisfy(one -> assertThat(one.url())
                    .contains("X-Amz-Signature="));
        });
    }

    @Test
    void theFirstSignaturesOfANewSignerDoNotBlockAReactorThread() {
        runner.run(context -> {
            UrlSigner signer = context.getBean(UrlSigner.class);
            UrlSigner.Signed get = Mono.fromCallable(() -> signer.get("t/a.bin", "a.bin", Duration.ofMinutes(5)))
                    .subscribeOn(Schedulers.parallel())
                    .block(Duration.ofSeconds(30));
            UrlSigner.Signed put = Mono.fromCallable(() -> signer.put("t/b.bin", Duration.ofMinutes(5), put2 -> {}))
                    .subscribeOn(Schedulers.parallel())
                    .block(Duration.ofSeconds(30));
            UrlSigner.Signed part = Mono.fromCallable(
                            () -> signer.uploadPart("t/c.bin", "u1", 1, Duration.ofMinutes(5)))
                    .subscribeOn(Schedulers.parallel())
                    .block(Duration.ofSeconds(30));

            assertThat(get.url()).contains("X-Amz-Signature=");
            assertThat(put.method()).isEqualTo("PUT");
            assertThat(part.url()).contains("partNumber=1");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @Import({S3Configuration.class, UrlSigner.class})
    static class Signer {}
}
