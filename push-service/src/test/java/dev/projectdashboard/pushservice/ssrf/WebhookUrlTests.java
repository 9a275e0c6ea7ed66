package dev.projectdashboard.pushservice.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class WebhookUrlTests {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.com/hooks/idp",
                "http://example.com",
                "HTTPS://Example.COM:8443/a?b=c&d=%20e",
                "https://hooks.example.co.uk:1/",
                "https://hooks.example.com:65535/x",
                "http://a-b.example/x",
                "http://xn--fsqu00a.xn--0zwm56d/",
                "http://203.0.113.7:8080/hook",
                "http://127.0.0.1:9000/hook",
                "http://[2001:db8::1]/hook",
                "http://[::ffff:127.0.0.1]:8080/",
                "http://localhost:8080/hook",
                "http://example.com:/empty-port",
            })
    void acceptsWebhookUrls(String url) {
        URI uri = WebhookUrl.check(url);

        assertThat(uri.toString()).isEqualTo(url);
        assertThat(uri.getHost()).isNotNull();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "ftp://example.com/               | must start with http:// or https://",
                "file:///etc/passwd               | must start with http:// or https://",
                "gopher://127.0.0.1:6379/_INFO    | must start with http:// or https://",
                "example.com/hook                 | must start with http:// or https://",
                "http:example.com                 | has no host",
                "http:///hook                     | has no host",
                "http://user:pass@example.com/    | must not contain a user name or password",
                "http://user@example.com/         | must not contain a user name or password",
                "http://example.com@127.0.0.1/    | must not contain a user name or password",
                "http://example.com/#frag         | must not have a fragment",
                "http://example.com/#             | must not have a fragment",
                "http://example.com:0/            | port must be a number from 1 to 65535, not '0'",
                "http://example.com:65536/        | port must be a number from 1 to 65535, not '65536'",
                "http://[::1]:99999/              | port must be a number from 1 to 65535, not '99999'",
                "http://example.com:80a/          | port must be a number from 1 to 65535, not '80a'",
                "http://exa mple.com/             | is not a valid URL",
                "http://my_host:8080/             | host 'my_host' is not a valid host name",
                "http://-bad.example/             | host '-bad.example' is not a valid host name",
                "http://a..b/                     | host 'a..b' is not a valid host name",
                "http://example.com./             | host 'example.com.' is not a valid host name",
                "http://例子.测试/                 | must be ASCII",
                "http://2130706433/               | host '2130706433' is not an IPv4 address as four decimal numbers",
                "http://0x7f.1/                   | host '0x7f.1' is not an IPv4 address as four decimal numbers",
                "http://127.1/                    | host '127.1' is not an IPv4 address as four decimal numbers",
                "http://0177.0.0.1/               | host '0177.0.0.1' is not an IPv4 address as four decimal numbers",
                "http://010.0.0.1/                | host '010.0.0.1' is not an IPv4 address as four decimal numbers",
                "http://127.0.0.1./               | host '127.0.0.1.' is not an IPv4 address as four decimal numbers",
                "http://1.2.3.4.5/                | host '1.2.3.4.5' is not an IPv4 address as four decimal numbers",
                "http://256.0.0.1/                | host '256.0.0.1' is not an IPv4 address as four decimal numbers",
                "http://foo.0x10/                 | host 'foo.0x10' is not an IPv4 address as four decimal numbers",
                "http://[fe80::1%25eth0]/         | must not have a zone id",
                "http://[::1/                     | is not a valid URL",
            })
    void refusesWhatItWillNotCall(String url, String reason) {
        assertThatThrownBy(() -> WebhookUrl.check(url))
                .isInstanceOf(WebhookUrlException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void refusesEmptyAndOverlongUrls() {
        String longest = "https://example.com/" + "a".repeat(WebhookUrl.MAX_LENGTH - 20);

        assertThat(WebhookUrl.check(longest)).isNotNull();
        assertThatThrownBy(() -> WebhookUrl.check(longest + "a"))
                .isInstanceOf(WebhookUrlException.class)
                .hasMessageContaining("longer than 2048 characters");
        assertThatThrownBy(() -> WebhookUrl.check(" "))
                .isInstanceOf(WebhookUrlException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> WebhookUrl.check(null)).isInstanceOf(WebhookUrlException.class);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "http://127.0.0.1/             | 127.0.0.1",
                "http://2130706433/            | 127.0.0.1",
                "http://0x7f000001/            | 127.0.0.1",
                "http://0x7f.1/                | 127.0.0.1",
                "http://0x7F.0x0.0X0.0x1/      | 127.0.0.1",
                "http://127.1/                 | 127.0.0.1",
                "http://127.0.1/               | 127.0.0.1",
                "http://0177.0.0.1/            | 127.0.0.1",
                "http://017700000001/          | 127.0.0.1",
                "http://0x7f.0.0.1./           | 127.0.0.1",
                "http://010.0.0.1/             | 8.0.0.1",
                "http://0/                     | 0.0.0.0",
                "http://0x/                    | 0.0.0.0",
                "http://0xa9fea9fe/            | 169.254.169.254",
                "http://169.254.43518/         | 169.254.169.254",
                "http://0251.0376.0251.0376/   | 169.254.169.254",
                "http://4294967295/            | 255.255.255.255",
                "http://10.0.0.1:8080/         | 10.0.0.1",
                "http://user@0x7f.1:80/        | 127.0.0.1",
            })
    void readsNumericHostsAsInetAtonDoes(String url, String address) throws Exception {
        Optional<InetAddress> literal = WebhookUrl.literal(URI.create(url));

        assertThat(literal).containsInstanceOf(Inet4Address.class);
        assertThat(literal.orElseThrow().getHostAddress()).isEqualTo(address);
    }

    @Test
    void readsIpv6LiteralsTheWayTheJdkConnectsToThem() throws Exception {
        assertThat(WebhookUrl.literal(URI.create("http://[::ffff:127.0.0.1]/")))
                .contains(InetAddress.getByName("127.0.0.1"));
        assertThat(WebhookUrl.literal(URI.create("http://[::ffff:7f00:1]:8080/")))
                .contains(InetAddress.getByName("127.0.0.1"));
        assertThat(WebhookUrl.literal(URI.create("http://[::1]/"))).contains(InetAddress.getByName("::1"));
        assertThat(WebhookUrl.literal(URI.create("http://[64:ff9b::7f00:1]/")).orElseThrow())
                .isInstanceOf(Inet6Address.class)
                .isEqualTo(InetAddress.getByName("64:ff9b::7f00:1"));
        assertThat(WebhookUrl.literal(URI.create("http://[fe80::1%25eth0]/"))
                        .orElseThrow()
                        .getAddress())
                .isEqualTo(InetAddress.getByName("fe80::1").getAddress());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://example.com/",
                "http://1e100.net/",
                "http://0x7f.example/",
                "http://deadbeef/",
                "http://foo.0x10/",
                "http://my_host/"
            })
    void findsNoLiteralInAHostName(String url) {
        assertThat(WebhookUrl.literal(URI.create(url))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://4294967296/", "http://1.2.3.4.5/", "http://256.1/", "http://08.0.0.1/"})
    void refusesNumericHostsThatAreNoAddress(String url) {
        assertThatThrownBy(() -> WebhookUrl.literal(URI.create(url)))
                .isInstanceOf(WebhookUrlException.class)
                .hasMessageContaining("looks like an IPv4 address but is not one");
    }

    @Test
    void everyBypassFormOfLoopbackMeetsTheAddressPolicy() {
        AddressPolicy policy = new AddressPolicy(List.of());
        for (String url : List.of(
                "http://2130706433/",
                "http://0x7f.1/",
                "http://0177.0.0.1/",
                "http://127.1/",
                "http://[::ffff:127.0.0.1]/",
                "http://[::127.0.0.1]/",
                "http://[64:ff9b::127.0.0.1]/",
                "http://[2002:7f00:1::]/",
                "http://0xa9fea9fe/",
                "http://0/")) {
            InetAddress address = WebhookUrl.literal(URI.create(url)).orElseThrow();
            assertThat(policy.refusal(address)).as(url).isPresent();
        }
    }

    @Test
    void checksAndReadsLiteralsOnAnEventLoop() {
        // BlockHound runs in every test JVM: a blocking call (a file read, a lock wait) here fails the Mono. It does
        // not
        // see DNS lookups; literal() makes none because it hands the JDK only bracketed IPv6 text or bytes
        StepVerifier.create(Mono.fromCallable(() -> List.of(
                                WebhookUrl.literal(WebhookUrl.check("http://[::ffff:10.0.0.1]:8080/x")),
                                WebhookUrl.literal(WebhookUrl.check("http://hooks.example.com/x")),
                                WebhookUrl.literal(URI.create("http://0x7f.1/"))))
                        .subscribeOn(Schedulers.parallel()))
                .assertNext(literals -> assertThat(literals)
                        .extracting(literal -> literal.map(InetAddress::getHostAddress))
                        .containsExactly(Optional.of("10.0.0.1"), Optional.empty(), Optional.of("127.0.0.1")))
                .verifyComplete();
    }
}
