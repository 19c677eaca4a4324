/** The Procfile-only buildpack for generic apps: no build step, the Procfile's commands run as pushed. */
package dev.pier.build.procfile;
