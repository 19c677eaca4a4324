/**
 * Branch previews (#10): {@code git push pier feature-x} runs that branch as its own version of
 * the app, one web instance at {@code feature-x.APP.DOMAIN}, outside the app's traffic split.
 *
 * <pre>
 *   PushHook (branch push) -> PreviewService.deploy (under the app's lock)
 *     -> DeployService.buildRelease (app config + the preview's overrides) -> preview_releases row
 *     -> Rollout.startWithoutTraffic (StoredDesiredState runs web=1 for it) -> previews row points at it
 *     -> RoutePublisher: LABEL.APP.DOMAIN -> that version -> the version it replaced is stopped
 *   PreviewActivity (router access log) -> IdlePreviews.sweep: idle past the app's limit -> asleep (web=0)
 *   router holds a request for an asleep preview -> Waker -> IdlePreviews.wake -> web=1
 * </pre>
 */
package dev.pier.previews;
