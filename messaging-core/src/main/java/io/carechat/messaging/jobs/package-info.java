/**
 * Background jobs that run themselves: the {@link io.carechat.messaging.jobs.JobScheduler} runs
 * each {@link io.carechat.messaging.jobs.ScheduledJob} (retention, key rotation) at its interval on
 * one node of a cluster at a time, under a lease kept in the storage's
 * {@link io.carechat.messaging.spi.JobLeaseStore}, and resumes a run that a dead node left midway
 * from its saved cursor. {@link io.carechat.messaging.jobs.JobStatus} tells each job's last run,
 * progress and outcome, for an admin view or a metrics binder.
 */
@NullMarked
package io.carechat.messaging.jobs;

import org.jspecify.annotations.NullMarked;
