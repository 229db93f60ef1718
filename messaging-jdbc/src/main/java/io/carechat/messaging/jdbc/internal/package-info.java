/**
 * Implementation classes of the JDBC storage. Not API: public only for technical reasons, and may
 * change in any release without notice.
 */
@NullMarked
package io.carechat.messaging.jdbc.internal;

import org.jspecify.annotations.NullMarked;
