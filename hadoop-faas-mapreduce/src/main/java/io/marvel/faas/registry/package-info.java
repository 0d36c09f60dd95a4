/**
 * The job registry: the jobs of this host and user as files in the job summary dir, so that a
 * process other than a job's coordinator can list, follow and kill it. {@code JobRegistry} (the
 * files), {@code JobSnapshot} with {@code TaskDetails} (a job as its coordinator last published
 * it; JSON through {@code SnapshotJson}), {@code StatusPublisher} (the coordinator's side:
 * publishing every second, taking kill and attempt-end requests, {@code AttemptEndRequests}),
 * {@code RemoteJobs} (the other processes' side), {@code Coordinator} (the process running a
 * job, to tell whether it lives), {@code OrphanSweep} (ending jobs whose client died) and
 * {@code SummaryRetention} (removing old jobs' files). Knows nothing of the coordinator: what
 * it publishes arrives as Hadoop's job status, counters and task reports.
 */
package io.marvel.faas.registry;
