/**
 * Scheduled jobs: Heroku-Scheduler-style command jobs ({@code pier cron:add}) and App Engine
 * {@code cron.yaml} URL jobs.
 *
 * <pre>
 *   cron:add / cron.yaml -> CronService / CronYamlHook -> CronStore (cron_jobs)
 *   CronScheduler (one thread, a Clock) -- due? overlap? --> JobRunner (virtual thread per run)
 *     command job: JobLauncher -> RuntimeBackend TASK instance scheduler.RUN_ID -> exit code
 *     URL job:     UrlCaller   -> GET through the router, X-Pier-Cron: true -> HTTP status
 *   every run -> CronStore (cron_runs, last 100 per job) + a platform line in the app's log
 * </pre>
 *
 * Schedules are {@link dev.pier.cron.Schedule}s: UNIX five-field expressions parsed by cron-utils
 * ({@link dev.pier.cron.UnixSchedule}) or App Engine's English form
 * ({@link dev.pier.cron.AppEngineSchedule}).
 */
package dev.pier.cron;
