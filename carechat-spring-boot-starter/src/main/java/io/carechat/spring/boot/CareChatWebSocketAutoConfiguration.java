package io.carechat.spring.boot;

import io.carechat.messaging.hub.Hub;
import io.carechat.messaging.websocket.jakarta.CareChatEndpointConfig;
import jakarta.servlet.Servlet;
import jakarta.websocket.server.ServerContainer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Mounts CareChat's Jakarta WebSocket endpoint on the application's own servlet container (Tomcat,
 * Boot's default, is the one tested) at {@code carechat.websocket.path}: the upgrade servlet checks each
 * upgrade (origin, query string, budget) and hands it to the container's {@link ServerContainer}.
 * On shutdown {@link EndpointDrain} drains the sockets before the web server stops. Active in a
 * servlet web application with the Jakarta WebSocket API present, unless
 * {@code carechat.websocket.enabled=false}.
 */
@AutoConfiguration(after = CareChatAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ServerContainer.class, ServletRegistrationBean.class})
@ConditionalOnBean(Hub.class)
@ConditionalOnProperty(prefix = "carechat.websocket", name = "enabled", havingValue = "true", matchIfMissing = true)
public class CareChatWebSocketAutoConfiguration {

    /**
     * The endpoint's configuration.
     *
     * @param hub the hub that serves the sockets
     * @param properties the settings
     * @return the endpoint configuration; closed with the context
     */
    @Bean
    @ConditionalOnMissingBean
    public CareChatEndpointConfig carechatEndpointConfig(Hub hub, CareChatProperties properties) {
        CareChatProperties.WebSocket websocket = properties.getWebsocket();
        CareChatEndpointConfig.Builder builder = CareChatEndpointConfig.builder()
                .hub(hub)
                .path(websocket.getPath())
                .shutdownGrace(websocket.getShutdownGrace());
        websocket.getAllowedOrigins().forEach(builder::allowOrigin);
        return builder.build();
    }

    /**
     * Registers the upgrade servlet at the endpoint's path.
     *
     * @param endpoint the endpoint configuration
     * @return the registration
     */
    @Bean
    @ConditionalOnMissingBean(name = "carechatUpgradeServlet")
    public ServletRegistrationBean<Servlet> carechatUpgradeServlet(CareChatEndpointConfig endpoint) {
        ServletRegistrationBean<Servlet> registration =
                new ServletRegistrationBean<>(endpoint.upgradeServlet(), endpoint.path());
        registration.setName("carechat");
        registration.setAsyncSupported(true);
        return registration;
    }

    /**
     * Drains the sockets when the context stops, before the web server does.
     *
     * @param endpoint the endpoint configuration
     * @param properties the settings
     * @return the drain
     */
    @Bean
    @ConditionalOnMissingBean
    public EndpointDrain carechatEndpointDrain(CareChatEndpointConfig endpoint, CareChatProperties properties) {
        return new EndpointDrain(endpoint, properties.getWebsocket().getShutdownGrace());
    }
}
