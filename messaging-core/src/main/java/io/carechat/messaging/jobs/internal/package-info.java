/**
 * What the library's own scheduled jobs share and applications do not use: the format of their
 * saved cursors. Not API: it may change in any release.
 */
@NullMarked
package io.carechat.messaging.jobs.internal;

import org.jspecify.annotations.NullMarked;
