/**
 * Add-ons (#11): data store servers (PostgreSQL, Redis, memcached, RabbitMQ) Pier makes and runs
 * for apps, attached to them as config vars.
 *
 * <pre>
 *   AddonRoutes -> AddonService --(rows: AddonStore)--> addons, addon_attachments
 *                       |--> Datastore (pier-datastores, one per kind): create, start, rotate, destroy
 *                       |--> ConfigService: vars of each attached app, a new release each change
 *                       '--> AddonGuard: the add-on's port admitted only to its apps' uids
 * </pre>
 *
 * <p>Each add-on has its own port (from {@link dev.pier.addons.AddonPorts}), its own uid (from the
 * apps' uid sequence, so never an app's) and its folder {@code DATA/addons/NAME}. A create writes
 * its row first ({@code creating}), a destroy marks it ({@code destroying}): a start after a kill
 * -9 undoes the one and finishes the other before the API serves ({@link
 * dev.pier.addons.AddonService#recover}).
 */
package dev.pier.addons;
