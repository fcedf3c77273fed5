package dev.falclient.spring.autoconfigure.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** When the proxy route exists, for which stack, and which settings fail the start. */
class FalProxyAutoConfigurationTests {

    private static final AutoConfigurations CONFIGS = AutoConfigurations.of(FalAutoConfiguration.class,
            FalProxyAutoConfiguration.class);

    private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
            .withConfiguration(CONFIGS).withPropertyValues("fal.key=k");
    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
            .withConfiguration(CONFIGS).withPropertyValues("fal.key=k");

    @Test
    void theProxyIsOffByDefault() {
        reactive.run(context -> assertThat(context).doesNotHaveBean("falProxyRoute")
                .doesNotHaveBean(ProxyForwarder.class));
        servlet.run(context -> assertThat(context).doesNotHaveBean("falProxyRoute"));
    }

    @Test
    void eachStackGetsItsOwnRoute() {
        reactive.withPropertyValues("fal.proxy.enabled=true").run(context -> assertThat(context.getBean(
                "falProxyRoute")).isInstanceOf(org.springframework.web.reactive.function.server.RouterFunction.class));
        servlet.withPropertyValues("fal.proxy.enabled=true").run(context -> assertThat(context.getBean(
                "falProxyRoute")).isInstanceOf(org.springframework.web.servlet.function.RouterFunction.class));
    }

    @Test
    void aServletApplicationWithoutSpringMvcGetsNoRoute() {
        servlet.withPropertyValues("fal.proxy.enabled=true")
                .withClassLoader(new FilteredClassLoader("org.springframework.web.servlet.function"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("falProxyRoute"));
    }

    @Test
    void aNonWebApplicationGetsNoProxy() {
        new ApplicationContextRunner().withConfiguration(CONFIGS).withPropertyValues("fal.proxy.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(ProxyForwarder.class));
    }

    @Test
    void falEnabledFalseTurnsTheProxyOffToo() {
        reactive.withPropertyValues("fal.enabled=false", "fal.proxy.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean("falProxyRoute"));
    }

    @Test
    void defaultsAreThePinnedOnes() {
        reactive.withPropertyValues("fal.proxy.enabled=true").run(context -> {
            FalProxyProperties properties = context.getBean(FalProxyProperties.class);
            assertThat(properties.path()).isEqualTo("/api/fal/proxy");
            assertThat(properties.allowedEndpoints()).isEmpty();
        });
    }

    @Test
    void badSettingsFailTheStartNamingTheProperty() {
        reactive.withPropertyValues("fal.proxy.enabled=true", "fal.proxy.allowed-endpoints=https://fal.run/x")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("fal.proxy.allowed-endpoints"));
        reactive.withPropertyValues("fal.proxy.enabled=true", "fal.proxy.path=api/{x}")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("fal.proxy.path"));
    }

    @Test
    void theApplicationsOwnRouteWins() {
        reactive.withPropertyValues("fal.proxy.enabled=true")
                .withBean("falProxyRoute", String.class, () -> "mine")
                .run(context -> assertThat(context.getBean("falProxyRoute")).isEqualTo("mine"));
    }
}
