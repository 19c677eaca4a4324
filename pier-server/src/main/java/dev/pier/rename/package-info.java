/**
 * Renaming an app ({@code pier apps:rename}): its rows under the new name in one transaction
 * ({@code AppRenameStore}), then its folders, instances, logs, metrics and drains
 * ({@code AppRenamer}).
 */
package dev.pier.rename;
