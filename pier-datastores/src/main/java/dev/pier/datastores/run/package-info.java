/**
 * What every kind of data store shares: the template each kind extends ({@link
 * dev.pier.datastores.run.ServerDatastore}: create flow, start, stop, destroy, status), running a
 * server in the add-on's sandbox and cgroup ({@link dev.pier.datastores.run.Host}), keeping it
 * running ({@link dev.pier.datastores.run.ServerSupervisor}, one per started add-on), the
 * add-on's 0700 folder ({@link dev.pier.datastores.run.DataDir}) and Pier's record in it ({@link
 * dev.pier.datastores.run.Settings}), secrets and short host commands.
 */
package dev.pier.datastores.run;
