package dev.projectdashboard.pushservice.delivery;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The only name resolution the webhook client does: a host resolves to the address the {@code EndpointGuard} checked
 * for it just before, never through DNS (which may answer differently a moment later: rebinding). The URL keeps its
 * host name, so the {@code Host} header, TLS SNI and certificate checks still use the name. A host nobody pinned does
 * not resolve at all.
 */
final class PinnedResolver extends AddressResolverGroup<InetSocketAddress> {

    private final Map<String, InetAddress> pins = new ConcurrentHashMap<>();

    /** {@code host} resolves to {@code address} from now on (the latest check wins; each was allowed). */
    void pin(String host, InetAddress address) {
        pins.put(key(host), address);
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new InetSocketAddressResolver(executor, new InetNameResolver(executor) {

            @Override
            protected void doResolve(String host, Promise<InetAddress> promise) {
                InetAddress pinned = pins.get(key(host));
                if (pinned == null) {
                    promise.setFailure(new UnknownHostException(host + " was not checked before sending"));
                } else {
                    promise.setSuccess(pinned);
                }
            }

            @Override
            protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                InetAddress pinned = pins.get(key(host));
                if (pinned == null) {
                    promise.setFailure(new UnknownHostException(host + " was not checked before sending"));
                } else {
                    promise.setSuccess(List.of(pinned));
                }
            }
        });
    }

    private static String key(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.toLowerCase(Locale.ROOT);
    }
}
