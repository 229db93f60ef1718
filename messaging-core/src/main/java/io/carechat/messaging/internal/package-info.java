/**
 * Implementation classes of the core. Not API: public only for technical reasons, and may change
 * in any release without notice.
 */
@NullMarked
package io.carechat.messaging.internal;

import org.jspecify.annotations.NullMarked;
