package io.carechat.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The example application: everything CareChat needs comes from the starter and
 * {@code application.properties}; this application adds only its security rules
 * ({@link SecurityConfiguration}) and one API of its own ({@link UnreadController}).
 */
@SpringBootApplication
public class CareChatExampleApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot's command line
     */
    public static void main(String[] args) {
        SpringApplication.run(CareChatExampleApplication.class, args);
    }
}
