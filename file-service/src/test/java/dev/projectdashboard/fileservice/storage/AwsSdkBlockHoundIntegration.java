package dev.projectdashboard.fileservice.storage;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * A short, bounded lock inside the AWS SDK that BlockHound reports when two event loops sign at the same moment:
 * SigV4 hashes the canonical request with a {@code MessageDigest} borrowed from, and given back to, a pool guarded by
 * a {@code LinkedBlockingDeque}'s lock, held only for the poll or offer ({@code UrlSignerNonBlockingTests}' concurrent
 * signatures met on it). Loaded by BlockHound through {@code META-INF/services} in this module's tests, the only place
 * BlockHound runs.
 */
public final class AwsSdkBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("software.amazon.awssdk.checksums.internal.DigestAlgorithm", "getDigest");
        builder.allowBlockingCallsInside(
                "software.amazon.awssdk.checksums.internal.DigestAlgorithm$CloseableMessageDigest", "close");
    }
}
