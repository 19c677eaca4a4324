/**
 * From source to running instances.
 *
 * <pre>
 *   DeployService: disk reserve -> Builder (slug, fsynced) -> ReleaseStore (vN pending)
 *     -> AppYamlFormation (app.yaml scaling and resources into the formation)
 *     -> Rollout (under the app's lock: start, await ready, traffic + current in one transaction,
 *        drain and stop the old) -> ProcessManager -> RuntimeBackend
 * </pre>
 *
 * Every change of what runs for an app takes the app's lock ({@code Rollout.locked}), so deploys,
 * pushes, config changes, rollbacks and scaling of one app happen one at a time.
 */
package dev.pier.deploy;
