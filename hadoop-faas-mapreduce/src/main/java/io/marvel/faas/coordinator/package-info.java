/**
 * The coordinator of one job, in the submitting JVM: {@code FaasJob} (its thread: setup, the
 * map and the reduce stage, commit or abort, clean-up, summary, final status),
 * {@code StageRunner} (a stage's activations, attempts and retries), {@code JobProgress} with
 * {@code LiveAttempt} and {@code AttemptRecord} (what the attempts did, and the job's status,
 * task reports and counters as Hadoop asks for them; {@code JobCounters}),
 * {@code ProgressPoller} (the progress running tasks report), {@code TaskLogs} (activation logs
 * kept beside the summary) and {@code JobSummary} (the summary and timeline). Uses the
 * launchers and the job registry, never the client facade.
 */
package io.marvel.faas.coordinator;
