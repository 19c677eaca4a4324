/** Versions and traffic: splits over releases, migrations, starting and stopping versions. */
package dev.pier.versions;
