/**
 * A small Spring Boot application that embeds CareChat through {@code carechat-spring-boot-starter}:
 * PostgreSQL through Spring's own data source, the hospital's identity provider as the
 * application's OAuth2 resource server, and the chat socket at {@code /ws} on the application's
 * own Tomcat. Not published.
 */
@NullMarked
package io.carechat.examples.spring;

import org.jspecify.annotations.NullMarked;
