package dev.projectdashboard.pushservice.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class SecretBoxTests {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] WEBHOOK_ID = "wh_01".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".getBytes(StandardCharsets.UTF_8);

    private final SecretBox box = new SecretBox(KEY);

    @Test
    void opensWhatItSealed() {
        byte[] sealed = box.seal(SECRET, WEBHOOK_ID);

        assertThat(box.open(sealed, WEBHOOK_ID)).isEqualTo(SECRET);
        assertThat(box.open(box.seal(new byte[0], WEBHOOK_ID), WEBHOOK_ID)).isEmpty();
    }

    @Test
    void sealedFormIsVersionNonceCiphertextAndTag() {
        byte[] sealed = box.seal(SECRET, WEBHOOK_ID);

        assertThat(sealed).hasSize(1 + 12 + SECRET.length + 16);
        assertThat(sealed[0]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(sealed, 13, 13 + SECRET.length)).isNotEqualTo(SECRET);
    }

    @Test
    void opensNistGcmTestCase16InItsFormat() {
        // AES-256-GCM with associated data, test case 16 of McGrew and Viega's GCM specification (NIST's vectors)
        byte[] key = HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
        byte[] iv = HEX.parseHex("cafebabefacedbaddecaf888");
        byte[] aad = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        byte[] ciphertext = HEX.parseHex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662");
        byte[] tag = HEX.parseHex("76fc6ece0f4e1768cddf8853bb2d551b");
        byte[] sealed = new byte[1 + iv.length + ciphertext.length + tag.length];
        sealed[0] = 1;
        System.arraycopy(iv, 0, sealed, 1, iv.length);
        System.arraycopy(ciphertext, 0, sealed, 1 + iv.length, ciphertext.length);
        System.arraycopy(tag, 0, sealed, 1 + iv.length + ciphertext.length, tag.length);

        assertThat(HEX.formatHex(new SecretBox(key).open(sealed, aad)))
                .isEqualTo("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    }

    @Test
    void everySealUsesAFreshNonce() {
        byte[] first = box.seal(SECRET, WEBHOOK_ID);
        byte[] second = box.seal(SECRET, WEBHOOK_ID);

        assertThat(Arrays.copyOfRange(first, 1, 13)).isNotEqualTo(Arrays.copyOfRange(second, 1, 13));
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void doesNotOpenForOtherAssociatedData() {
        byte[] sealed = box.seal(SECRET, WEBHOOK_ID);

        assertThatThrownBy(() -> box.open(sealed, "wh_02".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SecretBoxException.class)
                .hasMessageContaining("does not open")
                .hasMessageNotContaining(new String(SECRET, StandardCharsets.UTF_8));
        assertThatThrownBy(() -> box.open(sealed, new byte[0])).isInstanceOf(SecretBoxException.class);
    }

    @Test
    void doesNotOpenUnderAnotherKey() {
        byte[] otherKey = KEY.clone();
        otherKey[31] ^= 1;
        byte[] sealed = box.seal(SECRET, WEBHOOK_ID);

        assertThatThrownBy(() -> new SecretBox(otherKey).open(sealed, WEBHOOK_ID))
                .isInstanceOf(SecretBoxException.class);
    }

    @Test
    void doesNotOpenWhenAnyByteWasChanged() {
        byte[] sealed = box.seal(SECRET, WEBHOOK_ID);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> box.open(tampered, WEBHOOK_ID))
                    .as("byte %d changed", i)
                    .isInstanceOf(SecretBoxException.class)
                    .hasMessageNotContaining(new String(SECRET, StandardCharsets.UTF_8));
        }
    }

    @Test
    void namesWhyShortOrForeignDataDoesNotOpen() {
        byte[] sealed = box.seal(SECRET, WEBHOOK_ID);

        assertThatThrownBy(() -> box.open(Arrays.copyOf(sealed, 28), WEBHOOK_ID))
                .isInstanceOf(SecretBoxException.class)
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> box.open(Arrays.copyOf(sealed, sealed.length - 1), WEBHOOK_ID))
                .isInstanceOf(SecretBoxException.class)
                .hasMessageContaining("does not open");
        byte[] version2 = sealed.clone();
        version2[0] = 2;
        assertThatThrownBy(() -> box.open(version2, WEBHOOK_ID))
                .isInstanceOf(SecretBoxException.class)
                .hasMessageContaining("unknown format version 2");
        assertThatThrownBy(() -> box.open(SECRET, WEBHOOK_ID)).isInstanceOf(SecretBoxException.class);
    }

    @Test
    void refusesKeysThatAreNot32Bytes() {
        for (int length : new int[] {0, 16, 31, 33, 64}) {
            assertThatThrownBy(() -> new SecretBox(new byte[length]))
                    .as("%d bytes", length)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("PUSH_ENCRYPTION_KEY")
                    .hasMessageContaining(length + " bytes");
        }
        assertThatThrownBy(() -> new SecretBox(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PUSH_ENCRYPTION_KEY");
    }

    @Test
    void readsTheKeyFromBase64() {
        String encoded = Base64.getEncoder().encodeToString(KEY);
        byte[] sealed = box.seal(SECRET, WEBHOOK_ID);

        assertThat(SecretBox.fromBase64(encoded + "\n").open(sealed, WEBHOOK_ID))
                .isEqualTo(SECRET);
    }

    @Test
    void refusesBadBase64KeysWithoutShowingThem() {
        String notBase64 = "this is not base64 at all!";
        String tooShort = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> SecretBox.fromBase64(notBase64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PUSH_ENCRYPTION_KEY is not valid base64")
                .hasMessageNotContaining(notBase64);
        assertThatThrownBy(() -> SecretBox.fromBase64(tooShort))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PUSH_ENCRYPTION_KEY must be 32 bytes")
                .hasMessageNotContaining(tooShort);
        assertThatThrownBy(() -> SecretBox.fromBase64(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PUSH_ENCRYPTION_KEY is not set");
        assertThatThrownBy(() -> SecretBox.fromBase64(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PUSH_ENCRYPTION_KEY is not set");
    }

    @Test
    void toStringShowsNoKey() {
        String shown = box.toString();

        assertThat(shown)
                .doesNotContain(Base64.getEncoder().encodeToString(KEY))
                .doesNotContainIgnoringCase(HEX.formatHex(KEY))
                .doesNotContain(Arrays.toString(KEY));
    }

    @Test
    void keyIsCopiedNotShared() {
        byte[] key = KEY.clone();
        SecretBox copied = new SecretBox(key);
        byte[] sealed = copied.seal(SECRET, WEBHOOK_ID);

        Arrays.fill(key, (byte) 0);

        assertThat(copied.open(sealed, WEBHOOK_ID)).isEqualTo(SECRET);
    }

    @Test
    void sealsAndOpensFromManyThreadsAtOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                byte[] associated = ("wh_" + t).getBytes(StandardCharsets.UTF_8);
                tasks.add(() -> {
                    for (int i = 0; i < 200; i++) {
                        byte[] plaintext = ("secret " + i).getBytes(StandardCharsets.UTF_8);
                        if (!Arrays.equals(box.open(box.seal(plaintext, associated), associated), plaintext)) {
                            return false;
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> result : threads.invokeAll(tasks)) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            threads.shutdown();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void sealsAndOpensOnAnEventLoopWithoutBlocking() {
        // BlockHound runs in every test JVM: a read of the entropy source here would fail the Mono
        SecretBox fresh = new SecretBox(KEY);

        StepVerifier.create(Mono.fromCallable(() -> fresh.open(fresh.seal(SECRET, WEBHOOK_ID), WEBHOOK_ID))
                        .subscribeOn(Schedulers.parallel()))
                .assertNext(opened -> assertThat(opened).isEqualTo(SECRET))
                .verifyComplete();
    }
}
