/**
 * CareChat's Spring Boot auto-configuration: {@link io.carechat.spring.boot.CareChatAutoConfiguration}
 * builds storage on the application's {@code DataSource}, token verification for its identity
 * provider, the {@code Messaging} facade and the real-time hub; the chat socket is mounted on the
 * application's own servlet container, and Actuator gets health contributors. Every bean backs off
 * when the application defines its own. Settings: {@link io.carechat.spring.boot.CareChatProperties}.
 */
@NullMarked
package io.carechat.spring.boot;

import org.jspecify.annotations.NullMarked;
