/**
 * A small JSON-over-HTTP layer on the JDK's {@code com.sun.net.httpserver}: routing, request
 * limits, errors as JSON, security headers. Part of the example, not of the library.
 */
package io.carechat.examples.http;
