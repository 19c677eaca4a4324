/**
 * The Python buildpack: detects {@code requirements.txt}, {@code pyproject.toml}, {@code
 * setup.py} or app.yaml {@code runtime: python*}; makes a virtualenv at {@code /app/.venv} with
 * the server's python3 and installs the requirements into it (from committed wheels when there
 * are any, since Pier's build network reaches no package index here).
 */
package dev.pier.build.python;
