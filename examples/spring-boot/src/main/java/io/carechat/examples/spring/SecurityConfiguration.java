package io.carechat.examples.spring;

import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The application's security rules. The chat socket gets a chain of its own without the resource
 * server's bearer filter: CareChat checks each socket's token itself (and answers a bad one with
 * close code 4401, as the wire contract says, instead of an HTTP 401 before the upgrade). The
 * application's API is the hospital identity provider's resource server; health is open.
 * Its decoder takes the same issuer and keys as CareChat, and accepts access tokens typed
 * {@code at+jwt} (RFC 9068) for the audience {@code carechat}.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /**
     * The resource server's decoder: the provider's keys, its issuer, the {@code carechat}
     * audience, and RFC 9068's token type (Spring Security accepts only {@code JWT} by default).
     *
     * @param jwksUrl the provider's JWKS URL
     * @param issuer the provider's issuer
     * @return the decoder
     */
    @Bean
    public JwtDecoder jwtDecoder(@Value("${spring.security.oauth2.resourceserver.jwt.jwk-set-uri}") String jwksUrl,
            @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}") String issuer) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwksUrl).build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(List.<OAuth2TokenValidator<Jwt>>of(
                new JwtIssuerValidator(issuer),
                new JwtTypeValidator("at+jwt", "application/at+jwt"),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                        audiences -> audiences != null && audiences.contains("carechat")))));
        return decoder;
    }

    /**
     * The chat socket's chain.
     *
     * @param http Spring Security's builder
     * @return the chain
     * @throws Exception as Spring Security's builder declares
     */
    @Bean
    @Order(1)
    public SecurityFilterChain chatSocket(HttpSecurity http) throws Exception {
        // --- README: the chat socket's own security chain, without the bearer filter ---
        return http.securityMatcher("/ws")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
        // --- end README ---
    }

    /**
     * Everything else: health is open, the API needs the identity provider's token.
     *
     * @param http Spring Security's builder
     * @return the chain
     * @throws Exception as Spring Security's builder declares
     */
    @Bean
    @Order(2)
    public SecurityFilterChain api(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(Customizer.withDefaults()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }
}
