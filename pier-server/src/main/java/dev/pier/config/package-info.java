/** Config vars: every change is a new release started beside the old one ({@code ConfigService}). */
package dev.pier.config;
