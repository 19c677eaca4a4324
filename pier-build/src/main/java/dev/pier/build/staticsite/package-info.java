/**
 * The static site buildpack: detects a {@code static.json} (Heroku's static buildpack format) or
 * a plain {@code index.html} site, runs an optional npm {@code build} script, precompresses text
 * files, and packs only the site's files ({@link dev.pier.build.staticsite.StaticSlug}). The
 * release it makes has no process types: the router serves it from files.
 */
package dev.pier.build.staticsite;
