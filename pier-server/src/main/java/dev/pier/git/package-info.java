/**
 * Git smart HTTP: {@code GitReceiver} (auth, disk reserve, push size limits) in front of JGit,
 * whose pre-receive {@code PushHook} builds and releases a push under the app's lock and then
 * moves the branch itself, so a rejected or stale push is never released.
 */
package dev.pier.git;
