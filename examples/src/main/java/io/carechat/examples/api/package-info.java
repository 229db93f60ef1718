/**
 * The demo server's HTTP API (section 3 of the wire contract): thin handlers that turn JSON into
 * calls on the {@link io.carechat.messaging.Messaging} facade and back.
 */
package io.carechat.examples.api;
