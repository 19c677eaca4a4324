/**
 * From source to running instances.
 *
 * <pre>
 *   DeployService: disk reserve -> Builder (slug, fsynced) -> ReleaseStore (vN pending)
 *     -> AppYamlFormation (app.yaml scaling and resources into the formation)
 *     -> Rollout (under the app's lock: mark vN running, await ready, traffic + current in one
 *        transaction, mark the old stopped, await settled) -> desired state in the store
 *   StoredDesiredState + InstanceSpecs -> dev.pier.control.Reconciler -> RuntimeBackend
 *   Scaler / Autoscaling: formation count, size, autoscale spec -> the same desired state
 * </pre>
 *
 * Every change of what runs for an app takes the app's lock ({@code Rollout.locked}), so deploys,
 * pushes, config changes, rollbacks and scaling of one app happen one at a time.
 */
package dev.pier.deploy;
