package dev.projectdashboard.launcher.suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code ./dashboard up} runs: local-stack plus the six services, in start order, and where the backend services
 * listen.
 */
public record SuiteDefinition(
        Component localStack, List<Component> services, StackPorts stackPorts, BindAddress bindAddress) {

    public static final String VERSION = "0.1.0-SNAPSHOT";
    public static final List<String> SERVICE_JVM_OPTIONS =
            List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    public static final List<String> LOCAL_STACK_JVM_OPTIONS =
            List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    /** A service, its port and the variable other services find it by (nobody calls the gateway). */
    private record ServiceSpec(String name, int port, String urlVariable) {}

    private static final List<ServiceSpec> SERVICES = List.of(
            new ServiceSpec("gateway", 8080, ""),
            new ServiceSpec("file-service", 8081, "FILE_SERVICE_URL"),
            new ServiceSpec("realtime-service", 8082, "REALTIME_SERVICE_URL"),
            new ServiceSpec("device-bridge", 8083, "DEVICE_BRIDGE_URL"),
            new ServiceSpec("push-service", 8084, "PUSH_SERVICE_URL"),
            new ServiceSpec("deploy-notifier", 8085, "DEPLOY_NOTIFIER_URL"));

    public SuiteDefinition {
        services = List.copyOf(services);
    }

    /** A suite whose backend services listen on loopback only. */
    public SuiteDefinition(Component localStack, List<Component> services, StackPorts stackPorts) {
        this(localStack, services, stackPorts, BindAddress.LOOPBACK);
    }

    public static SuiteDefinition standard(Path root, Map<String, String> env) {
        Path rootPom = root.resolve("pom.xml");
        Component localStack = new Component(
                "local-stack",
                Component.Kind.LOCAL_STACK,
                0,
                root.resolve("infra/local-stack/target/local-stack-" + VERSION + "-exec.jar"),
                List.of(root.resolve("infra/local-stack/src"), root.resolve("infra/local-stack/pom.xml"), rootPom),
                LOCAL_STACK_JVM_OPTIONS);
        // Services are repackaged with the shared libraries inside, so a library change makes them stale too.
        List<Path> shared = List.of(
                root.resolve("event-bus/src"),
                root.resolve("event-bus/pom.xml"),
                root.resolve("service-starter/src"),
                root.resolve("service-starter/pom.xml"),
                rootPom);
        List<Component> services = new ArrayList<>();
        for (ServiceSpec service : SERVICES) {
            String name = service.name();
            List<Path> sources = Stream.concat(
                            Stream.of(root.resolve(name + "/src"), root.resolve(name + "/pom.xml")), shared.stream())
                    .toList();
            services.add(new Component(
                    name,
                    Component.Kind.SERVICE,
                    service.port(),
                    root.resolve(name + "/target/" + name + "-" + VERSION + ".jar"),
                    sources,
                    SERVICE_JVM_OPTIONS));
        }
        return new SuiteDefinition(
                localStack, services, StackPorts.fromEnvironment(env), BindAddress.fromEnvironment(env));
    }

    /** The URLs services use to call each other, pointing at the ports this suite runs them on. */
    public Map<String, String> upstreamUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        for (ServiceSpec spec : SERVICES) {
            if (!spec.urlVariable().isEmpty()) {
                services.stream()
                        .filter(c -> c.name().equals(spec.name()))
                        .findFirst()
                        .ifPresent(c -> urls.put(spec.urlVariable(), "http://localhost:" + c.port()));
            }
        }
        return urls;
    }

    public List<Component> all() {
        List<Component> all = new ArrayList<>();
        all.add(localStack);
        all.addAll(services);
        return all;
    }

    public Optional<Component> component(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Component gateway() {
        return services.get(0);
    }

    /** Every port the suite needs, services first, for the pre-start check. */
    public List<StackPorts.PortClaim> portClaims() {
        List<StackPorts.PortClaim> claims = new ArrayList<>();
        for (Component service : services) {
            claims.add(new StackPorts.PortClaim(service.port(), service.name(), "stop whatever listens there"));
        }
        claims.addAll(stackPorts.claims());
        return claims;
    }
}
