package io.carechat.messaging.jdbc;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs every test of the annotated class, its inherited and nested tests included, once per entry
 * of {@link DatabaseUnderTest}, each run shown as "on H2", "on PostgreSQL", ... The class takes the
 * {@link DatabaseUnderTest} of the run as its constructor parameter and opens its databases from
 * it. A database that is not configured here is skipped with the reason (see
 * {@link DatabaseUnderTest#skipReason()}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ClassTemplate
@ExtendWith(EachDatabaseExtension.class)
@interface EachDatabase {}
